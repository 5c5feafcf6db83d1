"""The states the state-dependent write endpoints need (tests/authz/bodies_state.py's PREPARE), reached through
the product's services (pay, confirm, arrive, walk an order's workflow...) inside the case's savepoint. Written by
hand, as the appointments and vendor tests do: the clock (an appointment that began), a visit's payment mode (cash
at the centre) and an application's documents on file (no endpoint uploads them)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from accounts.services.addresses import address_create
from bookings.models import BOOKING_PAYABLE, Booking, BookingStatus, PaymentMode
from bookings.services import dispute_resolution, loyalty
from core.errors import DomainError
from orders.models import Order, OrderDispute, OrderStatus, OrderStep
from orders.services import count, payment, workflow
from orders.services import status as order_status
from partners.models import Partner, PartnerApplication
from partners.services import jobs, profiles
from partners.services.appointment_steps import appointment_confirm
from payments.gateways import get_gateway
from payments.services.checkout import payment_verify
from payments.services.payments import payment_create_order
from societies.services.vendors import access_decide, access_request
from tests.authz.world import World
from tests.factories import HOME, PINCODE, PartnerAssignmentFactory, next_weekday_at
from tests.orders import helpers as orders


def p1_of(w: World) -> Partner:
    return Partner.objects.get(user=w.users["p1"])


def _new_job(w: World) -> Booking:
    """A new job of c1's that p1 has accepted (the world's job already carries an earning of its own)."""
    start = next_weekday_at(15, days_ahead=4)
    job = PartnerAssignmentFactory(partner=p1_of(w), accepted=True, booking__user=w.users["c1"], booking__start=start)
    return job.booking


def arrived(w: World) -> dict[str, Any]:
    """p1 is at a new job (on the way, then arrived): the booking is in progress."""
    job = _new_job(w)
    for step in ("in_transit", "arrived"):
        jobs.job_advance(partner=p1_of(w), booking_id=job.pk, status=step)
    return {"booking_id": job.pk}


def job_done(w: World) -> dict[str, Any]:
    """p1 completes a new job of c1's (arrived, then completed): rated, signed off."""
    given = arrived(w)
    jobs.job_complete(partner=p1_of(w), booking_id=given["booking_id"])
    return given


def offered(w: World) -> dict[str, Any]:
    """A new job of c1's offered to p1 (not answered yet)."""
    offer = PartnerAssignmentFactory(
        partner=p1_of(w), offered=True, booking__user=w.users["c1"], booking__start=next_weekday_at(15, days_ahead=4)
    )
    return {"booking_id": offer.booking_id}


def _order(w: World, order: Order | None = None) -> Order:
    return order or Order.objects.get(pk=w.objects["order"].pk)


def counted(w: World, order: Order | None = None) -> None:
    """v1 counts 3 pieces where 2 were ordered: the resident's answer is awaited."""
    order = _order(w, order)
    item = order.items.first()
    line = {"service_id": str(item.service_id), "rate_card_item_id": item.rate_card_item_id, "quantity": 3}
    count.count_update(user=w.users["v1"], order_id=order.pk, data={"actual_items": [line]})


def delivered(w: World) -> None:
    """The world's order is delivered."""
    _walk(w, _order(w))


def _walk(w: World, order: Order) -> Order:
    """v1 walks every step of the order's workflow (the count approved by the resident on the way)."""
    for _ in range(30):
        order.refresh_from_db()
        if order.status == OrderStatus.DELIVERED:
            return order
        if order.status == OrderStatus.COUNT_APPROVAL_PENDING and count.open_count(order) is None:
            counted(w, order)
        if count.open_count(order) is not None:
            count.count_answer(user=w.users["r1"], order_id=order.pk, action="APPROVE")
            continue
        step = OrderStep.objects.filter(order_service__order=order, status="IN_PROGRESS").order_by("pk").first()
        assert step is not None, f"order {order.status}: no step to complete"
        data = {"step_id": step.pk, "notes": "Done", "photos": ["https://cdn.example.com/step.jpg"]}
        try:
            workflow.step_complete(
                user=w.users["v1"], order_id=order.pk, service_id=step.order_service.service_id, data=data
            )
        except DomainError as exc:  # the count step gates the next: count and approve, then go on
            if "count_not_approved" not in str(getattr(exc, "reason", "")):
                raise
            counted(w, order)
    raise AssertionError(f"order stuck at {order.status}")


def payment_received(w: World) -> dict[str, Any]:
    """A new order of r1's, delivered and marked paid by v1: the resident may dispute the payment."""
    order = orders.placed(w.objects["s1"], w.users["r1"], w.objects["v1"])
    order = _walk(w, order)
    payment.payment_mark_received(user=w.users["v1"], order_id=order.pk, method="CASH")
    return {"order_id": order.pk}


def disputed(w: World) -> None:
    """The world's order is disputed (its open dispute row is the world's): delivered, marked paid, then moved to
    DISPUTED through the order's state machine (raising a dispute again would make a second row)."""
    order = _walk(w, _order(w))
    payment.payment_mark_received(user=w.users["v1"], order_id=order.pk, method="CASH")
    dispute = OrderDispute.objects.get(pk=w.ids[("dispute_id", "society_admin")])
    with transaction.atomic():
        order = order_status.lock_order(order.pk)
        order_status.order_move(order, OrderStatus.DISPUTED, message=f"Payment disputed ({dispute.reason})")


def pending_payment(w: World) -> dict[str, Any]:
    """c1 opens a gateway order for the unpaid booking and does not pay it: a pending payment."""
    made = payment_create_order(
        user=w.users["c1"], payable_type=BOOKING_PAYABLE, payable_id=str(w.objects["unpaid"].pk)
    )
    return {"payment_id": made.payment.pk}


def gateway_order(w: World) -> None:
    """A gateway order for c1's unpaid online booking, paid on the (offline) checkout page."""
    made = payment_create_order(
        user=w.users["c1"], payable_type=BOOKING_PAYABLE, payable_id=str(w.objects["unpaid"].pk)
    )
    paid = get_gateway().simulate_checkout(made.data["order_id"])
    w.objects["checkout"] = {"payment_id": str(made.payment.pk), **paid}


def paid_session(w: World) -> None:
    _paid(w)


def _paid(w: World) -> Booking:
    """c1 pays the deposit (or the price) of the session with sp1: the appointment waits for sp1 (pending)."""
    session = w.objects["session"]
    made = payment_create_order(
        user=w.users["c1"], payable_type=BOOKING_PAYABLE, payable_id=str(session.pk), kind=_kind(session)
    )
    paid = get_gateway().simulate_checkout(made.data["order_id"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        payment_verify(
            user=w.users["c1"],
            order_id=paid["razorpay_order_id"],
            payment_id=paid["razorpay_payment_id"],
            signature=paid["razorpay_signature"],
        )
    session.refresh_from_db()
    return session


def _kind(booking: Booking) -> str:
    return "deposit" if booking.deposit_amount else "full"


def _started(booking: Booking) -> None:
    """The clock: the appointment began a grace period ago (no service moves time)."""
    past = timezone.now() - timedelta(minutes=settings.APPOINTMENT_NO_SHOW_GRACE_MINUTES + 5)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=past, scheduled_end=past + timedelta(hours=1))


def confirmed_session(w: World) -> None:
    session = _paid(w)
    appointment_confirm(provider_user=w.users["sp1"], booking_id=session.pk, meeting_link="https://meet.example.com/a")
    _started(session)


def cash_visit_started(w: World) -> None:
    """cl1's visit with c1, to be paid in cash at the centre, confirmed by staff and begun a while ago."""
    from partners.services import clinic_booking

    seen = w.objects["seen"]
    Booking.objects.filter(pk=seen.pk).update(payment_method=PaymentMode.CASH)
    clinic_booking.appointment_update(
        actor=w.users["AD"], booking_id=seen.pk, day=None, at=None, status=BookingStatus.CONFIRMED, reason=""
    )
    _started(seen)


def dispute_resolved(w: World) -> None:
    dispute_resolution.dispute_resolve(
        actor=w.users["AD"],
        dispute_id=w.objects["dispute"].pk,
        resolution_type="no_action",
        resolution_notes="Checked the photos",
    )


def points_given(w: World) -> None:
    loyalty.loyalty_adjust(user_id=w.users["c1"].pk, points=100, reason="Welcome", actor=w.users["AD"])


def documents_on_file(w: World) -> None:
    """v1's application has its documents (what application_create takes; nothing uploads them later)."""
    application = w.ids[("application_id", "")]
    PartnerApplication.objects.filter(pk=application).update(documents={"id_proof": "https://cdn.example.com/id.pdf"})


def submitted(w: World) -> None:
    documents_on_file(w)
    profiles.application_submit(user=w.users["v1"], application_id=w.ids[("application_id", "")])


def serves_s2(w: World) -> None:
    """v1 asks to serve s2 and s2's admin approves."""
    v1, s2 = w.objects["v1"], w.objects["s2"]
    access_request(user=w.users["v1"], vendor_id=v1.pk, society_ids=[s2.pk])
    access_decide(society=s2, vendor_id=v1.pk, action="APPROVE", by=w.users["sa2"])


def near_address(w: World) -> None:
    """c1's address beside p1 (the world's address has no coordinates, so no partner is in reach)."""
    data = {"name": "Near", "address_line1": "2 Salt Lake", "city": "Kolkata", "state": "WB", "pincode": PINCODE}
    w.objects["near"] = address_create(user=w.users["c1"], data={**data, "lat": HOME[0], "lng": HOME[1]})
