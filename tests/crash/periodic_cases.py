"""One case per periodic task of the beat schedule, for tests/crash/test_periodic_twice.py.

A case builds a world with due work (committed: the two runs are two threads, each with its own connection) and
returns the check of what the two runs together did: each effect once. ``CASES`` is keyed by task name.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from accounts.roles import Role
from bookings.models import BOOKING_PAYABLE, Booking, BookingPaymentStatus, BookingSignature, Dispute, SignatureStatus
from core.models import IdempotencyKey
from core.tasks import BEAT_HEARTBEAT_KEY
from notifications import sms
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services.inbox import notify
from orders.models import Order, OrderStatus, OrderTimeline
from partners.models import AssignmentStatus, PartnerAssignment
from partners.services.dispatch import dispatch_booking
from payments.gateways import get_gateway
from payments.models import LedgerEntry, Payment, PaymentStatus, PaymentWebhook, ReconciliationReport, WebhookStatus
from tests.conftest import client_for, make_user
from tests.crash.harness import purge
from tests.factories import BookingFactory, PaymentFactory
from tests.partners import helpers as h
from tests.payments.conftest import post_webhook, webhook_body

LONG_AGO = timedelta(days=2)


def _paid_at_the_gateway(booking: Booking) -> dict:
    """The booking's gateway order, paid at the gateway; nobody here has heard of it yet."""
    response = client_for(booking.user).post(
        "/api/v1/payments/orders",
        {"payable_type": BOOKING_PAYABLE, "payable_id": str(booking.pk)},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.json()
    return get_gateway().simulate_checkout(response.json()["data"]["order_id"])


def _captured_once(booking: Booking) -> None:
    payment = Payment.objects.get(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk))
    assert payment.status == PaymentStatus.SUCCESS
    assert LedgerEntry.objects.filter(payment=payment, memo__startswith="Captured").count() == 2  # one pair
    booking.refresh_from_db()
    assert booking.payment_status == BookingPaymentStatus.PAID
    assert booking.events.filter(action="payment_success").count() == 1


def heartbeat(request):
    cache.delete(BEAT_HEARTBEAT_KEY)
    return lambda results: cache.get(BEAT_HEARTBEAT_KEY) in results  # one of the two times, not a mixture


def idempotency_keys(request):
    past, future = timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(hours=1)
    for n in range(5):
        IdempotencyKey.objects.create(scope="user:x", key=f"old-{n}", fingerprint="x", expires_at=past)
    IdempotencyKey.objects.create(scope="user:x", key="live", fingerprint="x", expires_at=future)

    def check(results):
        assert sum(results) == 5
        assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["live"]

    return check


def personal_data(request):
    from tests.privacy.test_retention import _world

    _world()

    def check(results):
        assert sum(r["otps"] for r in results) == 2
        assert sum(r["notification_deliveries"] for r in results) == 5  # four payloads and an attempt's error
        assert sum(r["payment_webhooks"] for r in results) == 1

    return check


def reconcile(request):
    booking = BookingFactory(online=True, total="1180.00")
    _paid_at_the_gateway(booking)  # the verify and the webhook were both lost
    monkeypatch = request.getfixturevalue("monkeypatch")
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr("payments.tasks.timezone.localdate", lambda *args: tomorrow)  # "yesterday" is today

    def check(results):
        _captured_once(booking)
        assert ReconciliationReport.objects.count() == 1

    return check


def lost_webhooks(request):
    booking = BookingFactory(online=True, total="1180.00")
    paid = _paid_at_the_gateway(booking)
    body = webhook_body("payment.captured", order_id=paid["razorpay_order_id"], payment_id=paid["razorpay_payment_id"])
    assert post_webhook(client_for(booking.user), body).status_code == 200
    purge()  # its processing task is lost
    PaymentWebhook.objects.update(updated_at=timezone.now() - timedelta(minutes=6))

    def check(results):
        assert PaymentWebhook.objects.get().status == WebhookStatus.PROCESSED
        _captured_once(booking)

    return check


def unpaid_bookings(request):
    bookings = [BookingFactory(online=True) for _ in range(3)]
    Booking.objects.update(created_at=timezone.now() - timedelta(hours=1))

    def check(results):
        assert sum(results) == 3
        for booking in bookings:
            booking.refresh_from_db()
            assert booking.status == "cancelled"
            assert booking.events.filter(action="expired_unpaid").count() == 1

    return check


def lagging_payables(request):
    payment = PaymentFactory()  # an online booking's pending payment
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.SUCCESS, captured_at=timezone.now(), event_version=1, payable_version=0,
        updated_at=timezone.now() - timedelta(minutes=5),
    )  # fmt: skip

    def check(results):
        assert sum(results) in (1, 2)  # both may queue it; the payable hears it once
        payment.refresh_from_db()
        assert payment.payable_version == 1
        booking = Booking.objects.get(pk=payment.payable_id)
        assert booking.payment_status == BookingPaymentStatus.PAID
        assert booking.events.filter(action="payment_success").count() == 1

    return check


def appointment_reminders(request):
    request.getfixturevalue("settings").REMINDER_LEAD_MINUTES = 120
    start = (timezone.localtime() + timedelta(hours=1)).replace(second=0, microsecond=0)
    bookings = [h.booking(start=start) for _ in range(4)]

    def check(results):
        assert sum(results) == 4
        for booking in bookings:
            assert Notification.objects.filter(user=booking.user, event_type="appointment_reminder").count() == 1

    return check


def lost_deliveries(request):
    from tests.notifications.test_lost_deliveries import CONTEXT

    for n in range(3):
        person = make_user(phone=f"+9198000002{n:02d}", email=f"lost{n}@example.com")
        notify("partner_on_the_way", user=person, context=CONTEXT)
    purge()  # their delivery tasks are lost
    Delivery.objects.update(updated_at=timezone.now() - timedelta(minutes=5))
    count = Delivery.objects.count()
    assert count

    def check(results):
        assert sum(results) in range(count, 2 * count + 1)  # both may queue one; it is sent once
        for delivery in Delivery.objects.all():
            assert delivery.status == DeliveryStatus.SENT
            tries = list(delivery.attempt_log.values_list("number", "status", "started_at", "finished_at"))
            assert [t[1] for t in tries].count(DeliveryStatus.SENT) == 1, tries  # a failed try may precede
        for phone in Delivery.objects.filter(channel="sms").values_list("destination", flat=True):
            assert [m.to for m in sms.outbox].count(phone) == 1

    return check


def dispatch_sweep(request):
    first, second = h.partner(at=h.NEAR), h.partner(at=h.MID)
    lapsed = h.booking(method="online", paid=True)
    offer = dispatch_booking(lapsed.pk)
    PartnerAssignment.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    waiting = h.booking(method="online", paid=True, start=lapsed.scheduled_start + timedelta(hours=3))
    Booking.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    purge()  # the offer's expiry countdown is lost

    def check(results):
        assert sum(r["expired"] for r in results) == 1
        assert sum(r["dispatched"] for r in results) >= 1  # a run that finds the live offer counts it too
        rows = PartnerAssignment.objects.filter(booking=lapsed).order_by("created_at")
        assert [(a.partner, a.status) for a in rows] == [
            (offer.partner, AssignmentStatus.EXPIRED),
            (second if offer.partner == first else first, AssignmentStatus.ASSIGNED),
        ]
        assert lapsed.events.filter(action="offer_expired").count() == 1
        assert PartnerAssignment.objects.filter(booking=waiting).count() == 1

    return check


def count_approvals(request):
    from tests.orders.test_count_races import approved_once, overdue

    worlds = [overdue() for _ in range(3)]

    def check(results):
        assert sum(results) == 3
        for world in worlds:
            approved_once(world.order.pk)

    return check


def auto_close(request):
    from tests.crash.test_autoclose_crash import due_orders

    worlds = due_orders(3)

    def check(results):
        assert sum(results) == 3
        for world in worlds:
            assert Order.objects.get(pk=world.order.pk).status == OrderStatus.CLOSED
            assert OrderTimeline.objects.filter(order=world.order, status="CLOSED").count() == 1
            for person in (world.resident, world.vendor.user):
                assert Notification.objects.filter(user=person, event_type="society_order_closed").count() == 1

    return check


def pickup_reminders(request):
    from tests.orders.helpers import neighbourhood, placed
    from tests.orders.test_pickup_reminders import EVENT, due_at, people, reminded

    society, resident, partner = neighbourhood()
    orders = [due_at(placed(society, resident, partner), timezone.now() + timedelta(minutes=10 + n)) for n in range(4)]

    def check(results):
        assert sum(results) == 4
        for order in orders:
            assert reminded(order) == people(order), EVENT

    return check


def signatures(request):
    from tests.bookings.test_signatures_api import age, job, requested

    ops = make_user(Role.OPS_MANAGER)
    ids = [requested(job()) for _ in range(3)]
    for signature_id in ids:
        age(signature_id, 48)

    def check(results):
        assert sum(results) == 3
        assert set(BookingSignature.objects.values_list("status", flat=True)) == {SignatureStatus.EXPIRED}
        assert Notification.objects.filter(user=ops, event_type="signatures_expired").count() in (1, 2)

    return check


def resolved_disputes(request):
    from tests.bookings.test_disputes_api import opened, paid_job, resolve

    ids = [opened(paid_job(8 + n)) for n in range(2)]
    for dispute_id in ids:
        assert resolve(dispute_id, resolution_type="revisit").status_code == 200
    Dispute.objects.update(resolved_at=timezone.now() - timedelta(days=settings.DISPUTE_CLOSE_DAYS + 1))

    def check(results):
        assert sum(results) == 2
        for dispute in Dispute.objects.all():
            assert dispute.status == "closed"
            assert dispute.messages.filter(content__startswith="Closed automatically").count() == 1

    return check


CASES = {
    "core.tasks.beat_heartbeat": heartbeat,
    "core.tasks.purge_expired_idempotency_keys": idempotency_keys,
    "core.tasks.purge_personal_data": personal_data,
    "payments.tasks.reconcile_yesterday": reconcile,
    "payments.tasks.sweep_unprocessed_webhooks": lost_webhooks,
    "bookings.tasks.expire_unpaid_bookings": unpaid_bookings,
    "payments.tasks.sweep_lagging_payables": lagging_payables,
    "bookings.tasks.send_reminders": appointment_reminders,
    "notifications.tasks.sweep_pending_deliveries": lost_deliveries,
    "partners.tasks.sweep_dispatch": dispatch_sweep,
    "orders.tasks.auto_approve_counts": count_approvals,
    "orders.tasks.auto_close_orders": auto_close,
    "orders.tasks.send_pickup_reminders": pickup_reminders,
    "bookings.tasks.expire_signatures": signatures,
    "bookings.tasks.close_resolved_disputes": resolved_disputes,
}

__all__ = ["CASES", "Decimal"]
