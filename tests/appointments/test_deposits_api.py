"""Seed 004 money through HTTP: POST /bookings answers the deposit's order; the deposit, the balance after the
session, a declined deposit (402) and refunds by type (the builders' specialist: 1500 with a 200 deposit)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import TestCase
from django.utils import timezone

from accounts.roles import Role
from bookings.models import Booking, BookingPaymentStatus, BookingStatus
from bookings.services.expiry import booking_expire_hold
from partners.models import AssignmentStatus, PartnerAssignment
from payments.models import Payment, PaymentStatus
from tests.accounts.helpers import assert_error
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def book(client, expert, start, **fields):
    body = {
        "serviceId": str(builders.service_of(expert).pk),
        "specialistId": str(expert.pk),
        "scheduledAt": start.isoformat(),
        "duration": 60,
        "notes": "Looking for help with marketing strategy",
        "paymentMethodId": "pm_card_visa",
        **fields,
    }
    return client.post("/api/v1/bookings", body, format="json")


def checkout(client, order_id, outcome="success"):
    """Play the gateway's checkout (offline gateway), then POST /payments/verify with what it answered; what
    runs after commit (the booking hearing the payment) runs before this returns."""
    result = client.post(
        "/api/v1/payments/offline/checkout", {"order_id": order_id, "outcome": outcome}, format="json"
    ).json()["data"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/api/v1/payments/verify",
            {k: result[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
            format="json",
        )


def pay_order(client, path, body):
    return client.post(path, body, format="json", HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def held(expert=None, *, days=3):
    """A specialist, their customer's client, and a booking POSTed for the specialist's slot (unpaid)."""
    expert = expert or builders.specialist()
    customer = builders.patient()
    client = client_for(customer)
    response = book(client, expert, builders.slot(expert, days=days))
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    return expert, client, Booking.objects.get(pk=data["booking"]["id"]), data


def deposit_paid(expert=None):
    expert, client, booking, data = held(expert)
    verified = checkout(client, data["payment_intent"]["order_id"])
    assert verified.status_code == 200, verified.content
    booking.refresh_from_db()
    return expert, client, booking


def completed(expert=None):
    """A booking whose deposit is paid, confirmed by the specialist and completed after its (moved back) start."""
    expert, client, booking = deposit_paid(expert)
    provider = client_for(expert.user)
    assert provider.post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json").status_code == 200
    past = timezone.now() - timedelta(minutes=5)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=past, scheduled_end=past + timedelta(hours=1))
    response = provider.post(f"/api/v1/bookings/{booking.pk}/complete", {}, format="json")
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    return expert, client, booking


def test_booking_a_specialist_holds_the_slot_and_answers_the_deposit_order():
    expert = builders.specialist()
    start = builders.slot(expert, days=3)
    customer = builders.patient()

    response = book(client_for(customer), expert, start)

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    booking = data["booking"]
    assert booking["status"] == "pending_payment"
    assert booking["specialist_id"] == str(expert.pk)
    assert booking["customer_id"] == str(customer.pk)
    assert booking["service_id"] == str(builders.service_of(expert).pk)
    assert (booking["total_amount"], booking["deposit_amount"], booking["duration"]) == (1500.0, 200.0, 60)
    assert booking["notes"] == "Looking for help with marketing strategy"
    assert booking["scheduled_at"].startswith(start.strftime("%Y-%m-%dT%H:%M"))
    intent = data["payment_intent"]
    assert (intent["kind"], intent["amount"], intent["currency"]) == ("deposit", 20000, "INR")
    assert intent["order_id"]
    assert intent["key"]
    row = Booking.objects.get(pk=booking["id"])
    assert row.hold_expires_at > timezone.now()
    assert Payment.objects.get(pk=intent["payment_id"]).amount == Decimal("200.00")


def test_a_specialist_without_a_deposit_is_paid_in_full_at_booking():
    expert = builders.specialist()
    type(expert).objects.filter(pk=expert.pk).update(deposit_amount=None)
    expert.refresh_from_db()

    _, _, _, data = held(expert)

    assert (data["payment_intent"]["kind"], data["payment_intent"]["amount"]) == ("full", 150000)
    assert data["booking"]["deposit_amount"] is None


def test_a_captured_deposit_makes_the_booking_wait_for_the_specialist():
    _, client, booking = deposit_paid()

    assert booking.status == BookingStatus.PENDING
    assert booking.payment_status == BookingPaymentStatus.DEPOSIT_PAID
    assert booking.hold_expires_at is None
    row = client.get(f"/api/v1/bookings/{booking.pk}").json()["data"]
    assert (row["deposit_paid"], row["status"]) == (True, "pending")


def test_process_deposit_takes_booking_id_and_exactly_the_deposit():
    _, client, booking, _data = held()

    wrong = pay_order(client, "/api/v1/payments/process-deposit", {"bookingId": str(booking.pk), "amount": 150})
    assert_error(wrong, 422, "INVALID_PAYMENT_AMOUNT", "amount")
    right = pay_order(client, "/api/v1/payments/process-deposit", {"bookingId": str(booking.pk), "amount": 200})
    assert right.status_code == 201, right.content
    assert right.json()["data"]["amount"] == 20000
    assert checkout(client, right.json()["data"]["order_id"]).status_code == 200

    again = pay_order(client, "/api/v1/payments/process-deposit", {"bookingId": str(booking.pk), "amount": 200})
    assert_error(again, 409, "PAYMENT_ALREADY_CONFIRMED")


def test_process_deposit_needs_a_booking():
    client = client_for(builders.patient())

    assert_error(
        pay_order(client, "/api/v1/payments/process-deposit", {"amount": 200}), 400, "INVALID_REQUEST", "payable_type"
    )
    missing = pay_order(client, "/api/v1/payments/process-deposit", {"bookingId": str(uuid.uuid4()), "amount": 200})
    assert_error(missing, 404, "NOT_FOUND", "payable_id")
    _, _, booking, _ = held()
    someone_elses = pay_order(client, "/api/v1/payments/process-deposit", {"bookingId": str(booking.pk)})
    assert_error(someone_elses, 404, "NOT_FOUND", "payable_id")


def test_the_balance_is_paid_after_the_session_and_is_the_total_less_the_deposit():
    _, client, booking = deposit_paid()

    early = pay_order(client, "/api/v1/payments/process-full-payment", {"bookingId": str(booking.pk)})
    assert_error(early, 422, "VALIDATION_ERROR", "booking_id")
    assert early.json()["error"]["details"]["reason"] == "not_completed"

    expert = booking.requested_partner
    provider = client_for(expert.user)
    provider.post(f"/api/v1/bookings/{booking.pk}/confirm", {}, format="json")
    past = timezone.now() - timedelta(minutes=5)
    Booking.objects.filter(pk=booking.pk).update(scheduled_start=past, scheduled_end=past + timedelta(hours=1))
    assert provider.post(f"/api/v1/bookings/{booking.pk}/complete", {}, format="json").status_code == 200

    balance = pay_order(client, "/api/v1/payments/process-full-payment", {"bookingId": str(booking.pk)})
    assert balance.status_code == 201, balance.content
    assert balance.json()["data"]["amount"] == 130000
    assert checkout(client, balance.json()["data"]["order_id"]).status_code == 200
    booking.refresh_from_db()
    assert (booking.status, booking.payment_status) == (BookingStatus.COMPLETED, BookingPaymentStatus.PAID)
    paid = Payment.objects.filter(payable_id=str(booking.pk), status=PaymentStatus.SUCCESS)
    assert sorted(paid.values_list("kind", "amount")) == [
        ("balance", Decimal("1300.00")),
        ("deposit", Decimal("200.00")),
    ]
    again = pay_order(client, "/api/v1/payments/process-full-payment", {"bookingId": str(booking.pk)})
    assert_error(again, 409, "PAYMENT_ALREADY_CONFIRMED")


def test_a_declined_deposit_is_402_and_the_hold_stays_until_it_expires():
    _, client, booking, data = held()

    declined = checkout(client, data["payment_intent"]["order_id"], outcome="failure")

    assert_error(declined, 402, "PAYMENT_FAILED", "razorpay_payment_id")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.hold_expires_at > timezone.now()
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.ACCEPTED
    assert booking_expire_hold(booking_id=booking.pk) is False  # not yet: the hold runs its time

    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    assert booking_expire_hold(booking_id=booking.pk) is True
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert PartnerAssignment.objects.get(booking=booking).status == AssignmentStatus.CANCELLED


def test_a_declined_full_payment_of_another_kind_is_still_answered_200():
    expert = builders.specialist()
    type(expert).objects.filter(pk=expert.pk).update(deposit_amount=None)
    _, client, _, data = held(expert)

    response = checkout(client, data["payment_intent"]["order_id"], outcome="failure")

    assert response.status_code == 200
    assert response.json()["data"]["payment_status"] == "failed"


def test_a_deposit_only_refund_refunds_the_deposit_payment_and_nothing_else():
    _, client, booking = completed()
    balance = pay_order(client, "/api/v1/payments/process-full-payment", {"bookingId": str(booking.pk)})
    checkout(client, balance.json()["data"]["order_id"])
    finance = client_for(make_user(Role.FINANCE))

    response = finance.post(
        "/api/v1/payments/refund",
        {"bookingId": str(booking.pk), "refundType": "deposit_only", "reason": "Goodwill"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert response.status_code == 201, response.content
    assert response.json()["data"]["amount"] == 200.0
    rows = dict(Payment.objects.filter(payable_id=str(booking.pk)).values_list("kind", "status"))
    assert rows == {"deposit": PaymentStatus.REFUNDED, "balance": PaymentStatus.SUCCESS}
    again = finance.post(
        "/api/v1/payments/refund",
        {"bookingId": str(booking.pk), "refundType": "deposit_only"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert_error(again, 422, "NOTHING_TO_REFUND")


def test_a_customer_may_not_refund():
    _, client, booking = deposit_paid()

    response = client.post(
        "/api/v1/payments/refund",
        {"bookingId": str(booking.pk), "refundType": "deposit_only"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert response.status_code == 403


def test_when_the_gateway_is_down_the_hold_stands_without_an_order(settings):
    import requests
    import responses

    settings.PAYMENT_GATEWAY = "razorpay"
    settings.RAZORPAY_KEY_ID = "rzp_test_key"
    settings.RAZORPAY_KEY_SECRET = "rzp-test-secret"
    expert = builders.specialist()
    with responses.RequestsMock() as stub:
        stub.post("https://api.razorpay.com/v1/orders", body=requests.ConnectionError("connection refused"))
        response = book(client_for(builders.patient()), expert, builders.slot(expert, days=2))

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["payment_intent"] is None
    assert "process-deposit" in response.json()["message"]
    assert Booking.objects.get(pk=data["booking"]["id"]).status == BookingStatus.PENDING_PAYMENT
    assert not Payment.objects.exists()
