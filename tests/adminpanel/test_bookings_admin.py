"""Admin bookings: list with filters, detail with timeline, status changes, cancel with refund, refund."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.roles import Role
from bookings.models import Booking, BookingStatus
from core.models import AuditLog
from payments.models import Payment, Refund
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import paid_booking, staff
from tests.partners import helpers as partners

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_status_source_customer_and_dates():
    _, client = staff(Role.SUPPORT)
    customer = partners.make_user(Role.CUSTOMER)
    mine = paid_booking(customer, source="web")
    other = paid_booking(status=BookingStatus.PENDING)

    def numbers(query: str) -> list[str]:
        response = client.get(f"/api/v1/admin/bookings?{query}")
        assert response.status_code == 200, response.content
        return [row["booking_number"] for row in response.json()["data"]["bookings"]]

    assert set(numbers("")) == {mine.booking_number, other.booking_number}
    assert numbers("status=pending") == [other.booking_number]
    assert numbers("source=web") == [mine.booking_number]
    assert numbers(f"user_id={customer.pk}") == [mine.booking_number]
    assert numbers(f"search={mine.booking_number}") == [mine.booking_number]
    day = mine.booking_date.isoformat()
    assert set(numbers(f"date_from={day}&date_to={day}")) == {mine.booking_number, other.booking_number}
    page = client.get("/api/v1/admin/bookings?limit=1").json()["data"]
    assert page["pagination"] == {"page": 1, "limit": 1, "total": 2, "total_pages": 2}


@pytest.mark.parametrize(
    ("query", "status", "code", "field", "reason"),
    [
        ("date_from=2026-03-02&date_to=2026-03-01", 422, "VALIDATION_ERROR", "date_to", "inverted_range"),
        ("status=lost", 422, "VALIDATION_ERROR", "status", "invalid_choice"),
        ("partner_id=x", 422, "VALIDATION_ERROR", "partner_id", "invalid"),
    ],
)
def test_the_list_refuses_bad_filters(query, status, code, field, reason):
    _, client = staff(Role.ADMIN)

    response = client.get(f"/api/v1/admin/bookings?{query}")

    assert assert_error(response, status, code, field)["details"]["reason"] == reason


def test_the_detail_has_customer_payment_services_and_timeline():
    _, client = staff(Role.ADMIN)
    booking = paid_booking()

    client.patch(
        f"/api/v1/admin/bookings/{booking.pk}/status", {"status": "in_progress", "notes": "on site"}, format="json"
    )
    data = client.get(f"/api/v1/admin/bookings/{booking.pk}").json()["data"]

    assert data["booking"]["booking_number"] == booking.booking_number
    assert data["user"]["id"] == str(booking.user_id)
    assert data["payment"]["amount"] == 1180.0
    assert len(data["services"]) == 1
    assert data["timeline"][-1]["action"] == "status_set_by_staff"
    assert data["timeline"][-1]["new_status"] == "in_progress"
    assert data["timeline"][-1]["note"] == "on site"


def test_a_status_change_follows_the_state_machine_and_is_audited():
    admin, client = staff(Role.OPS_MANAGER)
    booking = paid_booking(status=BookingStatus.PENDING)

    response = client.patch(f"/api/v1/admin/bookings/{booking.pk}/status", {"status": "confirmed"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["booking"]["status"] == "confirmed"
    entry = AuditLog.objects.get(action="update_booking_status")
    assert entry.actor == admin
    assert entry.changes["status"] == {"old": "pending", "new": "confirmed"}


@pytest.mark.parametrize(
    ("start", "wanted", "reason"),
    [
        (BookingStatus.PENDING, "completed", "illegal_transition"),
        (BookingStatus.COMPLETED, "confirmed", "illegal_transition"),
        (BookingStatus.CONFIRMED, "confirmed", "unchanged"),
        (BookingStatus.CONFIRMED, "cancelled", "use_cancel_endpoint"),
        (BookingStatus.CANCELLED, "refunded", "use_refund_endpoint"),
    ],
)
def test_status_changes_the_state_machine_forbids_are_refused(start, wanted, reason):
    _, client = staff(Role.ADMIN)
    booking = paid_booking(status=start)

    response = client.patch(f"/api/v1/admin/bookings/{booking.pk}/status", {"status": wanted}, format="json")

    assert assert_error(response, 422, "INVALID_BOOKING_STATUS")["details"]["reason"] == reason
    assert Booking.objects.get(pk=booking.pk).status == start
    assert not AuditLog.objects.exists()


def test_an_unknown_status_is_a_validation_error():
    _, client = staff(Role.ADMIN)
    booking = paid_booking()

    response = client.patch(f"/api/v1/admin/bookings/{booking.pk}/status", {"status": "teleported"}, format="json")

    assert assert_error(response, 422, "VALIDATION_ERROR", "status")["details"]["reason"] == "unknown_value"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_an_admin_cancel_with_a_chosen_refund_pays_it_back():
    _, client = staff(Role.ADMIN)
    booking = paid_booking(total="1180.00")

    response = client.post(
        f"/api/v1/admin/bookings/{booking.pk}/cancel",
        {"reason": "Customer request", "refund_amount": "1000.00", "refund_to_wallet": True},
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["booking"]["status"] == "cancelled"
    assert data["refund"] == {
        "amount": 1000.0,
        "cancellation_fee": 180.0,
        "status": "processed",
        "destination": "original_payment_method",
    }
    assert Payment.objects.get(payable_id=str(booking.pk)).amount_refunded == Decimal("1000.00")
    entry = AuditLog.objects.get(action="cancel_booking")
    assert entry.changes["status"] == {"old": "confirmed", "new": "cancelled"}
    assert entry.changes["cancelled_by"] == {"old": "", "new": "admin"}


def test_a_cancel_refund_above_what_was_paid_is_refused_and_nothing_changes():
    _, client = staff(Role.ADMIN)
    booking = paid_booking(total="1180.00")

    response = client.post(
        f"/api/v1/admin/bookings/{booking.pk}/cancel", {"reason": "x", "refund_amount": "1180.01"}, format="json"
    )

    error = assert_error(response, 422, "REFUND_EXCEEDS_REFUNDABLE", "refund_amount")
    assert error["details"]["context"] == {"refundable": "1180.00"}
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    assert not Refund.objects.exists()


@pytest.mark.parametrize("amount", ["10.00", "0"])
def test_a_role_that_may_cancel_but_not_refund_cannot_choose_a_refund(amount):
    _, client = staff(Role.OPS_MANAGER)  # a care coordinator does not reach a home-service booking at all (404)
    booking = paid_booking()

    response = client.post(
        f"/api/v1/admin/bookings/{booking.pk}/cancel", {"reason": "x", "refund_amount": amount}, format="json"
    )

    assert_error(response, 403, "FORBIDDEN")
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


def test_finance_refunds_part_then_the_rest_and_no_more():
    _, client = staff(Role.FINANCE)
    booking = paid_booking(total="1180.00")
    url = f"/api/v1/admin/bookings/{booking.pk}/refund"

    first = client.post(url, {"amount": "180.00", "reason": "Late", "notes": "called"}, format="json")
    too_much = client.post(url, {"amount": "1000.01", "reason": "Again"}, format="json")
    rest = client.post(url, {"reason": "Service not provided"}, format="json")

    assert first.status_code == 200, first.content
    assert first.json()["data"]["refund_amount"] == 180.0
    assert first.json()["data"]["status"] == "processed"
    assert_error(too_much, 422, "REFUND_EXCEEDS_REFUNDABLE", "amount")
    assert rest.json()["data"]["refund_amount"] == 1000.0
    assert sum(r.amount for r in Refund.objects.all()) == Decimal("1180.00")
    assert AuditLog.objects.filter(action="refund_booking").count() == 2


@pytest.mark.parametrize("amount", ["0", "-5", "abc"])
def test_a_refund_amount_must_be_positive(amount):
    _, client = staff(Role.FINANCE)
    booking = paid_booking()

    response = client.post(
        f"/api/v1/admin/bookings/{booking.pk}/refund", {"amount": amount, "reason": "x"}, format="json"
    )

    assert_error(response, 422, "VALIDATION_ERROR", "amount")
    assert not Refund.objects.exists()


def test_support_reads_bookings_but_cannot_refund():
    _, client = staff(Role.SUPPORT)
    booking = paid_booking()

    assert client.get(f"/api/v1/admin/bookings/{booking.pk}").status_code == 200
    response = client.post(f"/api/v1/admin/bookings/{booking.pk}/refund", {"reason": "x"}, format="json")
    assert_error(response, 403, "FORBIDDEN")
    assert not Refund.objects.exists()
