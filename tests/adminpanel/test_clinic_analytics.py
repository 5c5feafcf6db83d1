"""Seed 003 analytics in the back office (issue #18): centreId on every report, a centre manager's own centres,
period=year, appointments and follow-ups on the dashboard; seed 003 role ids 3 and 7 are no staff roles."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from bookings.models import BookingStatus, PaymentMode, SessionType
from bookings.services.lifecycle import booking_lock, booking_transition
from partners.services.appointments import AppointmentRequest, appointment_create
from payments.services.payments import payment_record_cash
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import paid_booking, query_counts, staff
from tests.appointments import builders
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/admin/analytics"


def appointment(provider, centre, *, customer=None, days: int = 1, hour: int = 10, source: str = "app", paid=None):
    """A cash appointment at ``centre`` (confirmed at once), paid ``paid`` rupees in cash when given."""
    booking = appointment_create(
        customer=customer or builders.patient(),
        request=AppointmentRequest(
            provider_id=provider.pk,
            start=builders.slot(provider, days=days, hour=hour),
            session_type=SessionType.IN_PERSON,
            centre_id=centre.pk,
            payment_method=PaymentMode.CASH,
            source=source,
        ),
    )
    if paid is not None:
        payment_record_cash(
            payable_type="bookings.booking",
            payable_id=str(booking.pk),
            amount=Decimal(paid),
            recorded_by=staff(Role.FRONT_DESK)[0],
        )
    return booking


def complete(booking) -> None:
    with transaction.atomic():
        booking_transition(booking_lock(booking.pk), BookingStatus.COMPLETED)


class Clinic:
    """Two centres, a clinician at each, appointments paid at both (₹800 at north, twice; ₹800 at south)."""

    def __init__(self) -> None:
        self.north, self.south = builders.centre("North"), builders.centre("South")
        self.doctor_n, self.doctor_s = builders.clinician(at=self.north), builders.clinician(at=self.south)
        self.north_rows = [
            appointment(self.doctor_n, self.north, hour=10, paid="800.00"),
            appointment(self.doctor_n, self.north, hour=11, paid="800.00", source="front_desk"),
        ]
        self.south_rows = [appointment(self.doctor_s, self.south, hour=10, paid="800.00", source="web")]
        self.day = self.north_rows[0].booking_date.isoformat()


@pytest.fixture
def clinic() -> Clinic:
    return Clinic()


@pytest.fixture
def admin():
    return staff(Role.ADMIN)[1]


def _today_range() -> str:
    today = timezone.localdate().isoformat()
    return f"date_from={today}&date_to={today}"


# --- centreId on every report --------------------------------------------------------------------


def test_revenue_of_one_centre_counts_only_the_payments_of_its_bookings(admin, clinic):
    north = admin.get(f"{BASE}/revenue?{_today_range()}&centreId={clinic.north.pk}").json()["data"]
    south = admin.get(f"{BASE}/revenue?{_today_range()}&centre_id={clinic.south.pk}").json()["data"]
    everything = admin.get(f"{BASE}/revenue?{_today_range()}").json()["data"]

    assert (north["total_revenue"], north["total_bookings"]) == (1600.0, 2)
    assert (south["total_revenue"], south["total_bookings"]) == (800.0, 1)
    assert (everything["total_revenue"], everything["total_bookings"]) == (2400.0, 3)


def test_top_partners_and_partner_performance_of_one_centre(admin, clinic):
    window = f"date_from={clinic.day}&date_to={clinic.day}"

    top = admin.get(f"{BASE}/top-partners?{window}&centreId={clinic.south.pk}").json()["data"]["partners"]
    rows = admin.get(f"{BASE}/partner-performance?{window}&centreId={clinic.north.pk}").json()["data"]["partners"]
    both = admin.get(f"{BASE}/top-partners?{window}").json()["data"]["partners"]

    assert [(row["partner_id"], row["total_bookings"]) for row in top] == [(str(clinic.doctor_s.pk), 1)]
    assert "average_rating" in top[0]
    assert [(row["partner_id"], row["total_bookings"]) for row in rows] == [(str(clinic.doctor_n.pk), 2)]
    assert {row["partner_id"] for row in both} == {str(clinic.doctor_n.pk), str(clinic.doctor_s.pk)}


def test_bookings_by_source_of_one_centre(admin, clinic):
    rows = admin.get(f"{BASE}/bookings-by-source?centreId={clinic.north.pk}").json()["data"]["sources"]

    counts = {row["source"]: (row["count"], row["percentage"]) for row in rows}
    assert counts["app"] == (1, 50.0)
    assert counts["front_desk"] == (1, 50.0)
    assert counts["web"] == (0, 0.0)  # south's booking is left out


def test_dashboard_of_one_centre(admin, clinic, clock_held):
    north = admin.get(f"{BASE}/dashboard?centreId={clinic.north.pk}").json()["data"]
    everything = admin.get(f"{BASE}/dashboard").json()["data"]

    assert (north["total_customers"], north["total_partners"], north["total_revenue"]) == (2, 1, 1600.0)
    assert north["total_appointments"] == 2
    assert north["appointments_by_status"]["confirmed"] == 2
    assert (everything["total_appointments"], everything["total_revenue"]) == (3, 2400.0)
    assert everything["appointments_by_status"]["confirmed"] == 3


@pytest.mark.parametrize("path", ["revenue", "top-partners", "partner-performance", "bookings-by-source", "dashboard"])
def test_an_unknown_centre_is_not_found_and_a_malformed_id_is_refused(admin, path):
    missing = admin.get(f"{BASE}/{path}?{_today_range()}&centreId={uuid.uuid4()}")
    malformed = admin.get(f"{BASE}/{path}?{_today_range()}&centreId=12")

    assert assert_error(missing, 404, "NOT_FOUND", "centre_id")["details"]["reason"] == "not_found"
    assert_error(malformed, 422, "VALIDATION_ERROR", "centre_id")


# --- a centre manager reads their own centres ----------------------------------------------------


@pytest.fixture
def manager_of_north(clinic):
    return client_for(builders.centre_manager(clinic.north))


def test_a_centre_manager_without_centre_id_gets_their_own_centre(clinic, manager_of_north, clock_held):
    revenue = manager_of_north.get(f"{BASE}/revenue?{_today_range()}").json()["data"]
    metrics = manager_of_north.get(f"{BASE}/dashboard").json()["data"]
    sources = manager_of_north.get(f"{BASE}/bookings-by-source").json()["data"]["sources"]
    window = f"date_from={clinic.day}&date_to={clinic.day}"
    top = manager_of_north.get(f"{BASE}/top-partners?{window}").json()["data"]["partners"]

    assert revenue["total_revenue"] == 1600.0
    assert (metrics["total_appointments"], metrics["total_partners"]) == (2, 1)
    assert sum(row["count"] for row in sources) == 2
    assert [row["partner_id"] for row in top] == [str(clinic.doctor_n.pk)]


@pytest.mark.parametrize("path", ["revenue", "top-partners", "partner-performance", "bookings-by-source", "dashboard"])
def test_a_centre_manager_reads_their_centre_and_not_another(clinic, manager_of_north, path):
    own = manager_of_north.get(f"{BASE}/{path}?{_today_range()}&centreId={clinic.north.pk}")
    other = manager_of_north.get(f"{BASE}/{path}?{_today_range()}&centreId={clinic.south.pk}")

    assert own.status_code == 200, own.content
    assert assert_error(other, 404, "NOT_FOUND", "centre_id")["details"]["reason"] == "not_your_centre"


def test_a_centre_manager_with_no_centre_sees_nothing(clinic, clock_held):
    lonely = client_for(builders.centre_manager())

    metrics = lonely.get(f"{BASE}/dashboard").json()["data"]

    assert (metrics["total_appointments"], metrics["total_revenue"], metrics["total_partners"]) == (0, 0.0, 0)


def test_the_analytics_permission_is_checked_before_the_centre(clinic):
    front_desk = staff(Role.FRONT_DESK)[1]

    response = front_desk.get(f"{BASE}/dashboard?centreId={uuid.uuid4()}")

    assert_error(response, 403, "FORBIDDEN")


def test_scoped_report_query_counts_do_not_grow_with_the_data(clinic):
    """Per report: the user and their roles, the centre check, then the report's own queries."""
    manager = client_for(builders.centre_manager(clinic.north))
    window = f"date_from={clinic.day}&date_to={clinic.day}"
    paths = [
        f"{BASE}/revenue?{_today_range()}&centreId={clinic.north.pk}",
        f"{BASE}/top-partners?{window}&centreId={clinic.north.pk}",
        f"{BASE}/bookings-by-source?centreId={clinic.north.pk}",
        f"{BASE}/dashboard?centreId={clinic.north.pk}",
        f"{BASE}/dashboard",
    ]
    small = query_counts(manager, paths)
    for hour in (12, 13, 14):
        appointment(clinic.doctor_n, clinic.north, hour=hour, paid="800.00")

    assert query_counts(manager, paths) == small


# --- period=year ---------------------------------------------------------------------------------


def test_revenue_by_year(admin):
    paid_booking(total="1000.00", tax="0.00", paid_on=date(2025, 3, 2))
    paid_booking(total="500.00", tax="0.00", paid_on=date(2025, 11, 30))
    paid_booking(total="300.00", tax="0.00", paid_on=date(2026, 1, 5))

    data = admin.get(f"{BASE}/revenue?date_from=2025-01-01&date_to=2026-12-31&period=year").json()["data"]
    same = admin.get(f"{BASE}/revenue?date_from=2025-01-01&date_to=2026-12-31&group_by=year").json()["data"]

    assert data["group_by"] == "year"
    assert data["breakdown"] == [
        {"date": "2025-01-01", "revenue": 1500.0, "bookings": 2},
        {"date": "2026-01-01", "revenue": 300.0, "bookings": 1},
    ]
    assert same["breakdown"] == data["breakdown"]


# --- follow-ups ----------------------------------------------------------------------------------


def test_follow_ups_are_appointments_after_a_completed_one_with_the_same_provider(admin, clock_held):
    centre = builders.centre()
    doctor, other_doctor = builders.clinician(at=centre), builders.clinician(at=centre)
    asha, ravi = builders.patient(), builders.patient()
    first = appointment(doctor, centre, customer=asha, days=1, hour=10)
    complete(first)
    appointment(doctor, centre, customer=asha, days=2, hour=10)  # a follow-up
    appointment(doctor, centre, customer=asha, days=3, hour=10)  # another
    appointment(doctor, centre, customer=asha, days=1, hour=9)  # before the completed one: not a follow-up
    appointment(other_doctor, centre, customer=asha, days=2, hour=11)  # another provider: not one
    appointment(doctor, centre, customer=ravi, days=2, hour=11)  # another patient: not one
    unfinished = appointment(doctor, centre, customer=ravi, days=3, hour=11)  # after a confirmed, not completed, one
    paid_booking(customer=asha)  # a seed 000 booking, no provider chosen: no appointment

    metrics = admin.get(f"{BASE}/dashboard?centreId={centre.pk}").json()["data"]
    everything = admin.get(f"{BASE}/dashboard").json()["data"]

    assert unfinished.status == BookingStatus.CONFIRMED
    assert metrics["total_follow_ups"] == 2
    assert metrics["total_appointments"] == 7
    assert metrics["appointments_by_status"]["completed"] == 1
    assert metrics["appointments_by_status"]["confirmed"] == 6
    assert everything["total_appointments"] == 7  # the seed 000 booking is not an appointment


# --- seed 003 role ids 3 (CLINICIAN) and 7 (PATIENT) ---------------------------------------------


@pytest.mark.parametrize("role_id", [3, 7])
def test_clinician_and_patient_role_ids_are_no_staff_roles(role_id):
    _, client = staff(Role.SUPER_ADMIN)
    body = {"fullName": "x", "email": "a@example.com", "password": "SecurePassword123", "roleId": role_id}
    member, _ = staff(Role.FRONT_DESK)

    created = client.post("/api/v1/admin/staff", body, format="json")
    updated = client.put(f"/api/v1/admin/staff/{member.pk}", {"roleId": role_id}, format="json")

    assert assert_error(created, 422, "VALIDATION_ERROR", "role_id")["details"]["reason"] == "not_staff"
    assert assert_error(updated, 422, "VALIDATION_ERROR", "role_id")["details"]["reason"] == "not_staff"
    assert not User.objects.filter(email="a@example.com").exists()
    member.refresh_from_db()
    assert member.staff_role == Role.FRONT_DESK


def test_role_id_3_lists_clinicians_and_7_patients():
    _, client = staff(Role.SUPER_ADMIN)
    doctor, expert = builders.clinician(), builders.specialist()
    asha = builders.patient(email="asha@example.com")
    desk, _ = staff(Role.FRONT_DESK)

    clinicians = client.get("/api/v1/admin/staff?roleId=3").json()["data"]["staff"]
    patients = client.get("/api/v1/admin/staff?roleId=7").json()["data"]["staff"]
    desks = client.get("/api/v1/admin/staff?roleId=6").json()["data"]["staff"]

    assert [row["id"] for row in clinicians] == [str(doctor.user_id)]
    assert str(expert.user_id) not in {row["id"] for row in clinicians}
    assert str(asha.pk) in {row["id"] for row in patients}
    assert not {str(doctor.user_id), str(desk.pk)} & {row["id"] for row in patients}
    assert [row["id"] for row in desks] == [str(desk.pk)]
