"""``POST /payments/{id}/process_manual_payment`` (issue #20, seed 002 E): an operations manager settles a pending
payment in cash or by bank transfer, as a capture (ledger, the booking paid, audit), once."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from accounts.roles import Role
from bookings.models import Booking, BookingPaymentStatus
from core.models import AuditLog
from payments.models import LedgerEntry, Payment, PaymentGatewayName, PaymentStatus
from payments.services.ledger import ledger_trial_balance
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.conftest import client_for, make_user
from tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


def url(payment_id) -> str:
    return f"/api/v1/payments/{payment_id}/process_manual_payment"


@pytest.fixture
def ops():
    return make_user(Role.OPS_MANAGER)


def test_an_operations_manager_settles_a_pending_booking_payment(ops, django_capture_on_commit_callbacks):
    payment = PaymentFactory()
    booking = Booking.objects.get(pk=payment.payable_id)
    assert booking.payment_status != BookingPaymentStatus.PAID

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ops).post(
            url(payment.pk),
            {"method": "bank_transfer", "reference": "NEFT-123", "notes": "Paid at the office"},
            format="json",
        )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["data"]["message"] == "Payment processed successfully"
    row = body["data"]["payment"]
    assert (row["status"], row["payment_method"], row["payment_type"]) == ("success", "bank_transfer", "manual")
    assert row["processed_by"] == str(ops.pk)
    assert row["processed_at"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.gateway == PaymentGatewayName.CASH
    assert payment.recorded_by_id == ops.pk
    assert payment.notes["manual"]["reference"] == "NEFT-123"
    assert payment.captured_at is not None
    entries = LedgerEntry.objects.filter(payment=payment)
    assert {(e.account.code, e.amount) for e in entries} == {
        ("cash_on_hand", payment.amount),
        ("customer_funds", -payment.amount),
    }
    assert ledger_trial_balance() == Decimal("0")
    booking.refresh_from_db()
    assert booking.payment_status == BookingPaymentStatus.PAID  # the payable heard the capture
    entry = AuditLog.objects.get(action="process_manual_payment")
    assert (entry.resource_id, entry.actor_id) == (str(payment.pk), ops.pk)


def test_the_seeds_call_without_a_body_settles_it_in_cash(ops):
    payment = PaymentFactory()

    response = client_for(ops).post(url(payment.pk))

    assert response.status_code == 200, response.content
    assert response.json()["data"]["payment"]["payment_method"] == "cash"


@pytest.mark.parametrize("status", [PaymentStatus.SUCCESS, PaymentStatus.FAILED, PaymentStatus.REFUNDED])
def test_a_payment_that_is_not_pending_is_422(ops, status):
    payment = PaymentFactory(status=status)

    response = client_for(ops).post(url(payment.pk), {"method": "cash"}, format="json")

    assert_error(response, 422, "INVALID_PAYMENT_STATUS", "status")
    payment.refresh_from_db()
    assert payment.status == status
    assert not LedgerEntry.objects.filter(payment=payment).exists()


def test_a_stale_order_of_an_item_already_paid_is_409(ops):
    paid = PaymentFactory(captured=True)
    stale = PaymentFactory(booking=Booking.objects.get(pk=paid.payable_id))

    response = client_for(ops).post(url(stale.pk))

    assert_error(response, 409, "PAYMENT_ALREADY_CONFIRMED", "payment_id")
    stale.refresh_from_db()
    assert stale.status == PaymentStatus.PENDING


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"method": "card"}, "method"),
        ({"method": "cash", "reference": "x" * 101}, "reference"),
        ({"method": "cash", "notes": "x" * 1001}, "notes"),
    ],
)
def test_bad_input_is_422_naming_the_field(ops, body, field):
    payment = PaymentFactory()

    assert_error(client_for(ops).post(url(payment.pk), body, format="json"), 422, "VALIDATION_ERROR", field)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_an_unknown_payment_is_404(ops):
    assert_error(client_for(ops).post(url(uuid.uuid4())), 404, "PAYMENT_NOT_FOUND")


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.SUPPORT, Role.PARTNER, Role.CENTRE_MANAGER])
def test_others_are_refused(role):
    payment = PaymentFactory()
    user = payment.user if role == Role.CUSTOMER else make_user(role)

    assert_error(client_for(user).post(url(payment.pk)), 403, "FORBIDDEN")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_finance_and_admins_may_too():
    for role in (Role.FINANCE, Role.ADMIN):
        payment = PaymentFactory()
        assert client_for(make_user(role)).post(url(payment.pk)).status_code == 200


def test_anonymous_is_401(api_client):
    payment = PaymentFactory()
    assert api_client.post(url(payment.pk)).status_code == 401


@pytest.mark.django_db(transaction=True)
def test_two_operations_managers_at_once_capture_once():
    payment = PaymentFactory()
    staff = [make_user(Role.OPS_MANAGER) for _ in range(2)]

    responses = run_together(2, lambda i: client_for(staff[i]).post(url(payment.pk), {"method": "cash"}, format="json"))

    assert sorted(r.status_code for r in responses) == [200, 422]
    loser = next(r for r in responses if r.status_code == 422)
    assert loser.json()["error"]["code"] == "INVALID_PAYMENT_STATUS"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCESS
    assert LedgerEntry.objects.filter(payment=payment).count() == 2  # one posting
    assert AuditLog.objects.filter(action="process_manual_payment").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_orders_of_one_booking_settled_at_once_make_one_capture():
    first = PaymentFactory()
    second = PaymentFactory(booking=Booking.objects.get(pk=first.payable_id))
    staff = [make_user(Role.OPS_MANAGER) for _ in range(2)]
    ids = [first.pk, second.pk]

    responses = run_together(2, lambda i: client_for(staff[i]).post(url(ids[i]), {"method": "cash"}, format="json"))

    assert sorted(r.status_code for r in responses) == [200, 409]
    statuses = sorted(Payment.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == [PaymentStatus.PENDING, PaymentStatus.SUCCESS]
