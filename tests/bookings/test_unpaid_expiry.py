"""Unpaid online bookings expire: the scan cancels them (cancelled_by system), gives the promo use back and closes
the payment order; a capture that arrives afterwards is refunded in full, with its ledger entries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings import tasks
from bookings.models import Booking, BookingStatus, PromoCode, PromoCodeUsage
from bookings.services import expiry
from core import system_settings
from payments.gateways import get_gateway
from payments.models import LedgerEntry, Payment, Refund
from tests.bookings.factories import make_promo
from tests.bookings.test_checkout_api import address, catalog, client, confirm, prepare, shopper  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def book_online(client, catalog, address, **extra):  # noqa: F811
    preview = prepare(client, catalog, "Facial - Minimal", **extra).json()["data"]
    response = confirm(client, preview, address, **({"promo_code": extra["promo_code"]} if extra else {}))
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    return Booking.objects.get(pk=data["booking"]["id"]), data["payment"]["order_id"]


def age(booking, minutes):
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


def pay(client, order_id):  # noqa: F811
    paid = get_gateway().simulate_checkout(order_id)
    return client.post(
        "/api/v1/payments/verify",
        {k: paid[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )


def test_an_unpaid_online_booking_is_cancelled_by_the_system_after_30_minutes(
    shopper,  # noqa: F811
    client,  # noqa: F811
    catalog,  # noqa: F811
    address,  # noqa: F811
):
    make_promo(code="FIRST", total_usage_limit=1)
    booking, order_id = book_online(client, catalog, address, promo_code="FIRST")
    assert PromoCode.objects.get(code="FIRST").used_count == 1
    age(booking, 29)
    assert tasks.expire_unpaid_bookings.apply().get() == 0  # not yet: 30 minutes by default

    age(booking, 31)
    assert tasks.expire_unpaid_bookings.apply().get() == 1

    detail = client.get(f"/api/v1/bookings/{booking.pk}").json()["data"]
    assert (detail["status"], detail["cancelled_by"]) == ("cancelled", "system")
    assert not PromoCodeUsage.objects.filter(booking=booking).exists()
    assert PromoCode.objects.get(code="FIRST").used_count == 0  # the last use of the code is free again
    order = Payment.objects.get(gateway_order_id=order_id)
    assert order.status == "failed"
    assert order.failure_reason.startswith("Order expired")
    assert shopper.notifications.filter(event_type="booking_cancelled").count() == 1
    assert not shopper.notifications.filter(event_type="payment_failed").exists()
    assert tasks.expire_unpaid_bookings.apply().get() == 0  # nothing twice


def test_the_released_promo_can_be_used_again(client, catalog, address):  # noqa: F811
    make_promo(code="ONCE", usage_limit=1, total_usage_limit=1)
    booking, _ = book_online(client, catalog, address, promo_code="ONCE")
    age(booking, 31)
    tasks.expire_unpaid_bookings.apply()

    again, _ = book_online(client, catalog, address, promo_code="ONCE")

    assert again.discount > 0
    assert PromoCodeUsage.objects.get(booking=again).promo_code.code == "ONCE"


def test_paid_cash_and_fresh_bookings_are_left_alone(client, catalog, address):  # noqa: F811
    paid, order_id = book_online(client, catalog, address)
    assert pay(client, order_id).status_code == 200
    preview = prepare(client, catalog, "Facial - Minimal").json()["data"]
    cash_id = confirm(client, preview, address, payment_method="cash").json()["data"]["booking"]["id"]
    cash = Booking.objects.get(pk=cash_id)
    fresh, _ = book_online(client, catalog, address)
    for booking in (paid, cash):
        age(booking, 120)

    assert tasks.expire_unpaid_bookings.apply().get() == 0

    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.PENDING}
    assert fresh.pk not in expiry.unpaid_bookings_due()  # due only after its 30 minutes


def test_the_expiry_window_is_a_runtime_setting(client, catalog, address):  # noqa: F811
    booking, _ = book_online(client, catalog, address)
    system_settings.settings_update(actor=None, changes={"unpaid_booking_expiry_minutes": 10})
    age(booking, 11)

    assert tasks.expire_unpaid_bookings.apply().get() == 1


def test_a_capture_after_expiry_is_refunded_in_full_and_recorded_in_the_ledger(
    shopper,  # noqa: F811
    client,  # noqa: F811
    catalog,  # noqa: F811
    address,  # noqa: F811
    celery_eager,
):
    booking, order_id = book_online(client, catalog, address)
    age(booking, 31)
    tasks.expire_unpaid_bookings.apply()

    response = pay(client, order_id)  # the customer was still inside Checkout

    assert response.status_code == 200, response.json()
    payment = Payment.objects.get(gateway_order_id=order_id)
    assert payment.status == "refunded"
    assert payment.amount_refunded == payment.amount == booking.grand_total
    refund = Refund.objects.get(payment=payment)
    assert (refund.status, refund.amount, refund.refund_type) == ("processed", booking.grand_total, "full")
    entries = LedgerEntry.objects.filter(refund=refund).select_related("account")
    movement = {entry.account.code: entry.amount for entry in entries}
    assert movement == {"customer_funds": booking.grand_total, "gateway_receivable": -booking.grand_total}
    booking.refresh_from_db()
    assert (booking.status, booking.payment_status) == (BookingStatus.REFUNDED, "refunded")
    assert list(booking.events.filter(action="late_capture").values_list("note", flat=True)) == [str(payment.pk)]


def test_a_late_capture_whose_refund_task_was_lost_is_refunded_by_the_scan(
    client,  # noqa: F811
    catalog,  # noqa: F811
    address,  # noqa: F811
    monkeypatch,
):
    booking, order_id = book_online(client, catalog, address)
    age(booking, 31)
    tasks.expire_unpaid_bookings.apply()
    monkeypatch.setattr("bookings.services.expiry.enqueue_on_commit", lambda *args, **kwargs: None)
    assert pay(client, order_id).status_code == 200
    payment = Payment.objects.get(gateway_order_id=order_id)
    assert payment.status == "success"  # captured, not yet refunded

    tasks.expire_unpaid_bookings.apply()
    tasks.expire_unpaid_bookings.apply()  # a second run refunds nothing more

    payment.refresh_from_db()
    assert payment.status == "refunded"
    assert Refund.objects.filter(payment=payment).count() == 1
    assert Refund.objects.get(payment=payment).amount == Decimal(booking.grand_total)
