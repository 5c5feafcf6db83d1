"""Staff partner APIs (create with KYC, list, detail, update, verify, availability, jobs, earnings), assigning by hand,
the internal service-token APIs, seed 002 vendor applications and search, and the Django admin's actions."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from partners.models import (
    ApplicationStatus,
    AssignmentStatus,
    Dispatch,
    DispatchStatus,
    EarningStatus,
    OnboardingStatus,
    Partner,
    PartnerApplication,
    PartnerAssignment,
    PartnerEarning,
    PartnerPayout,
    PayoutStatus,
)
from partners.services import dispatch, jobs, payouts
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/admin/partners"
AADHAR, PAN, BANK = "123456789012", "ABCDE1234F", "1234567890"


def error(response) -> dict:
    body = response.json()
    assert body["success"] is False, body
    return body["error"]


def seed_body(**changes) -> dict:
    """Seed 000's ``POST /admin/partners`` example."""
    body = {
        "name": "Priya Sharma",
        "phone_number": "+919876543210",
        "email": "priya@example.com",
        "aadhar_number": AADHAR,
        "pan_number": PAN,
        "bank_account_number": BANK,
        "ifsc_code": "SBIN0001234",
        "bank_name": "State Bank of India",
        "address": "12 Lake Road, Kolkata",
        "service_categories": ["Facial"],
        "service_tiers": ["Minimal", "Exclusive"],
        "working_hours": {"start": "08:00", "end": "20:00", "days": [1, 2, 3, 4, 5, 6, 7]},
        "service_radius_km": 10,
    }
    body.update(changes)
    return body


def earn(partner: Partner, hour: int = 10, *, online: bool = False) -> PartnerEarning:
    """A completed job of ``partner`` (the only partner who qualifies): cash, or online and paid."""
    booking = h.booking(start=h.next_weekday_at(hour), method="online" if online else "cash", paid=online)
    offer = dispatch.dispatch_booking(booking.pk)
    assert offer.partner_id == partner.pk
    dispatch.offer_accept(partner=partner, booking_id=booking.pk)
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="in_transit")
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="arrived")
    return jobs.job_complete(partner=partner, booking_id=booking.pk)[1]


@pytest.fixture
def admin():
    return client_for(make_user(Role.ADMIN))


@pytest.fixture
def facial():
    return h.category("FACIAL")


# --- create ------------------------------------------------------------------------------------


def test_staff_create_a_partner_with_kyc_encrypted_and_shown_masked(admin, facial):
    response = admin.post(PARTNERS, seed_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message"] == "Partner created"
    partner = body["data"]["partner"]
    assert re.fullmatch(r"PT-\d{3,}", body["data"]["partner_code"])
    assert partner["partner_code"] == body["data"]["partner_code"]
    assert (partner["name"], partner["phone_number"], partner["email"]) == (
        "Priya Sharma",
        "+919876543210",
        "priya@example.com",
    )
    assert partner["bank_account_number"] == "XXXXXX7890"
    assert partner["aadhar_number"] == "XXXXXXXX9012"
    assert partner["pan_number"] == "XXXXXX234F"
    assert (partner["ifsc_code"], partner["bank_name"]) == ("SBIN0001234", "State Bank of India")
    assert partner["service_categories"] == ["Facial"]
    assert partner["service_tiers"] == ["Minimal", "Exclusive"]
    assert partner["working_hours"] == {"start": "08:00", "end": "20:00", "days": [1, 2, 3, 4, 5, 6, 7]}
    assert partner["service_radius_km"] == 10
    assert partner["onboarding_status"] == "pending"
    text = response.content.decode()
    for raw in (AADHAR, PAN, BANK):
        assert raw not in text

    row = Partner.objects.get(pk=partner["id"])
    assert row.aadhar_encrypted
    assert row.aadhar_encrypted != AADHAR
    assert row.bank_account_encrypted
    assert row.bank_account_encrypted != BANK
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM partners_partner WHERE id = %s", [row.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    for raw in (AADHAR, PAN, BANK):
        assert raw not in stored
    assert row.user.has_role(Role.PARTNER)
    assert row.availability.filter(is_active=True).count() == 7


def test_the_same_aadhaar_for_another_partner_is_a_conflict(admin, facial):
    assert admin.post(PARTNERS, seed_body(), format="json").status_code == 201

    response = admin.post(PARTNERS, seed_body(phone_number="+919876500000", email="other@example.com"), format="json")

    assert response.status_code == 409
    err = error(response)
    assert err["code"] == "DUPLICATE_KYC"
    assert err["details"]["field"] == "aadhar_number"
    assert AADHAR not in response.content.decode()
    assert Partner.objects.count() == 1
    assert not User.objects.filter(phone="+919876500000").exists()  # the account is rolled back with it


def test_an_unknown_category_is_refused_and_nothing_is_created(admin, facial):
    response = admin.post(PARTNERS, seed_body(service_categories=["Facial", "Astrology"]), format="json")

    assert response.status_code == 422
    err = error(response)
    assert (err["code"], err["details"]["field"]) == ("VALIDATION_ERROR", "service_categories")
    assert err["details"]["context"] == {"unknown": ["astrology"]}
    assert not Partner.objects.exists()
    assert not User.objects.filter(phone="+919876543210").exists()


def test_working_hours_that_end_before_they_start_are_refused(admin, facial):
    hours = {"start": "20:00", "end": "08:00", "days": [1]}
    response = admin.post(PARTNERS, seed_body(working_hours=hours), format="json")

    assert response.status_code == 422
    err = error(response)
    assert (err["code"], err["details"]["field"], err["details"]["reason"]) == (
        "VALIDATION_ERROR",
        "working_hours",
        "ends_before_start",
    )
    assert not Partner.objects.exists()


def test_a_latitude_out_of_range_names_the_field(admin, facial):
    response = admin.post(PARTNERS, seed_body(current_lat=120, current_lng=88), format="json")

    assert response.status_code == 422
    err = error(response)
    assert (err["code"], err["details"]["field"], err["details"]["reason"]) == (
        "VALIDATION_ERROR",
        "current_lat",
        "max_value",  # out of range, however many digits
    )
    above = admin.post(PARTNERS, seed_body(current_lat="95.5", current_lng=88), format="json")
    assert above.status_code == 422
    assert (error(above)["details"]["field"], error(above)["details"]["reason"]) == ("current_lat", "max_value")
    assert not Partner.objects.exists()


def test_an_existing_account_becomes_the_partner_and_a_second_profile_is_refused(admin, facial):
    person = make_user(Role.CUSTOMER, phone="+919876543210", email=None, full_name="")

    response = admin.post(PARTNERS, seed_body(email="Priya@Example.COM"), format="json")

    assert response.status_code == 201, response.content
    person.refresh_from_db()
    assert (person.email, person.full_name) == ("priya@example.com", "Priya Sharma")
    assert Partner.objects.get().user == person
    again = admin.post(PARTNERS, seed_body(aadhar_number="999988887777"), format="json")
    assert again.status_code == 409
    assert error(again)["code"] == "PARTNER_EXISTS"


def test_an_email_of_another_account_is_refused(admin, facial):
    make_user(Role.CUSTOMER, email="taken@example.com")
    response = admin.post(PARTNERS, seed_body(email="taken@example.com"), format="json")
    assert response.status_code == 422
    assert error(response)["details"]["field"] == "email"
    assert not Partner.objects.exists()


def test_a_missing_name_is_a_bad_request(admin, facial):
    body = seed_body()
    del body["name"]
    response = admin.post(PARTNERS, body, format="json")
    assert response.status_code == 400
    assert (error(response)["code"], error(response)["details"]["field"]) == ("INVALID_REQUEST", "name")


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.FINANCE, Role.CUSTOMER])
def test_only_partner_managers_create_partners(role, facial):
    response = client_for(make_user(role)).post(PARTNERS, seed_body(), format="json")
    assert response.status_code == 403
    assert error(response)["code"] == "FORBIDDEN"
    assert not Partner.objects.exists()


# --- list, detail, update, verify, availability -------------------------------------------------


def test_the_list_filters_by_status_and_category_and_pages(admin):
    active = h.partner()
    inactive = h.partner(is_active=False)
    pending = h.partner(verified=False)
    waxer = h.partner(categories=("WAXING",))

    def codes(params=None) -> list[str]:
        response = admin.get(PARTNERS, params or {})
        assert response.status_code == 200, response.content
        return [row["partner_code"] for row in response.json()["data"]["partners"]]

    assert codes() == sorted(p.partner_code for p in (active, inactive, pending, waxer))
    assert codes({"status": "active"}) == [active.partner_code, waxer.partner_code]
    assert codes({"status": "inactive"}) == [inactive.partner_code]
    assert codes({"status": "pending"}) == [pending.partner_code]
    assert codes({"service_category": "waxing"}) == [waxer.partner_code]
    assert codes({"service_category": "Waxing", "status": "inactive"}) == []

    page = admin.get(PARTNERS, {"limit": 3, "page": 2}).json()["data"]
    assert [row["partner_code"] for row in page["partners"]] == [waxer.partner_code]
    assert page["pagination"] == {"page": 2, "limit": 3, "total": 4, "total_pages": 2}
    row = admin.get(PARTNERS, {"status": "pending"}).json()["data"]["partners"][0]
    assert set(row) == {
        "id",
        "partner_code",
        "name",
        "phone_number",
        "rating",
        "total_bookings",
        "completed_bookings",
        "total_earnings",
        "pending_payout",
        "is_active",
        "is_available",
        "onboarding_status",
    }
    assert (row["name"], row["onboarding_status"]) == (pending.name, "pending")

    unknown = admin.get(PARTNERS, {"status": "asleep"})
    assert unknown.status_code == 400
    assert error(unknown)["details"]["field"] == "status"


def test_the_list_takes_the_same_number_of_queries_for_3_or_12_partners(admin):
    for _ in range(3):
        h.partner()

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = admin.get(PARTNERS, {"limit": 50})
        assert response.status_code == 200
        return len(queries), len(response.json()["data"]["partners"])

    few = count()
    for _ in range(9):
        h.partner(categories=("FACIAL", "WAXING"))
    many = count()
    assert (few[1], many[1]) == (3, 12)
    assert few[0] == many[0]


def test_the_detail_has_earnings_bookings_and_performance(admin):
    partner = h.partner(rating=Decimal("4.50"), rating_count=2)
    earning = earn(partner)

    response = admin.get(f"{PARTNERS}/{partner.pk}")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["partner"]["id"] == str(partner.pk)
    assert data["partner"]["working_hours"] == {"start": "08:00", "end": "20:00", "days": [1, 2, 3, 4, 5, 6, 7]}
    assert data["earnings"] == {"total": 700.0, "pending": 700.0, "paid": 0.0, "on_hold": 0.0}
    assert data["bookings"] == {"total": 1, "completed": 1, "cancelled": 0}
    assert data["offers"] == {"accepted": 1, "rejected": 0, "expired": 0}
    assert data["performance"] == {
        "rating": 4.5,
        "cancellation_rate": 0.0,
        "acceptance_rate": 100.0,
        "average_rating": 4.5,
    }
    assert earning.status == EarningStatus.PENDING

    missing = admin.get(f"{PARTNERS}/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert error(missing)["code"] == "PARTNER_NOT_FOUND"


def test_staff_update_a_partner(admin):
    partner = h.partner()
    h.category("WAXING")

    response = admin.put(
        f"{PARTNERS}/{partner.pk}",
        {"name": "Renamed Partner", "is_active": False, "service_categories": ["Waxing"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]["partner"]
    assert (data["name"], data["is_active"], data["service_categories"]) == ("Renamed Partner", False, ["Waxing"])
    partner.refresh_from_db()
    assert (partner.name, partner.is_active) == ("Renamed Partner", False)
    assert list(partner.categories.values_list("key", flat=True)) == ["WAXING"]

    patched = admin.patch(f"{PARTNERS}/{partner.pk}", {"is_active": True}, format="json")
    assert patched.status_code == 200
    assert patched.json()["data"]["partner"]["is_active"] is True
    assert patched.json()["data"]["partner"]["service_categories"] == ["Waxing"]  # untouched

    bad = admin.put(f"{PARTNERS}/{partner.pk}", {"service_categories": ["Nope"]}, format="json")
    assert bad.status_code == 422
    assert list(partner.categories.values_list("key", flat=True)) == ["WAXING"]

    make_user(Role.CUSTOMER, email="taken@example.com")
    taken = admin.put(f"{PARTNERS}/{partner.pk}", {"email": "Taken@example.com", "name": "Lost"}, format="json")
    assert taken.status_code == 422
    assert (error(taken)["code"], error(taken)["details"]["field"]) == ("VALIDATION_ERROR", "email")
    partner.refresh_from_db()
    assert partner.name == "Renamed Partner"  # nothing of the refused update was kept
    mixed = admin.put(f"{PARTNERS}/{partner.pk}", {"email": "New.Address@Example.com"}, format="json")
    assert mixed.status_code == 200, mixed.content
    assert mixed.json()["data"]["partner"]["email"] == "new.address@example.com"

    support = client_for(make_user(Role.SUPPORT))
    assert support.get(f"{PARTNERS}/{partner.pk}").status_code == 200
    assert support.put(f"{PARTNERS}/{partner.pk}", {"name": "x"}, format="json").status_code == 403


def test_staff_verify_or_reject_a_partner(admin):
    partner = h.partner(verified=False)
    User.objects.get(pk=partner.user_id).groups.clear()
    url = f"{PARTNERS}/{partner.pk}/verify"

    verified = admin.post(url, {"onboarding_status": "verified", "notes": "documents fine"}, format="json")

    assert verified.status_code == 200, verified.content
    data = verified.json()["data"]["partner"]
    assert (data["onboarding_status"], data["onboarding_notes"]) == ("verified", "documents fine")
    assert data["verified_at"] is not None
    assert User.objects.get(pk=partner.user_id).is_partner

    rejected = admin.post(url, {"onboarding_status": "rejected"}, format="json")
    assert rejected.status_code == 200
    assert (
        rejected.json()["data"]["partner"]["onboarding_status"],
        rejected.json()["data"]["partner"]["verified_at"],
    ) == (
        "rejected",
        None,
    )

    invalid = admin.post(url, {"onboarding_status": "maybe"}, format="json")
    assert invalid.status_code == 422
    assert error(invalid)["details"]["field"] == "onboarding_status"
    missing = admin.post(url, {}, format="json")
    assert missing.status_code == 400
    partner.refresh_from_db()
    assert partner.onboarding_status == OnboardingStatus.REJECTED


def test_staff_set_a_partners_availability(admin):
    partner = h.partner()

    response = admin.patch(
        f"{PARTNERS}/{partner.pk}/availability",
        {"is_available": False, "working_hours": {"start": "09:00", "end": "17:00", "days": [1, 2]}},
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]["partner"]
    assert data["is_available"] is False
    assert data["working_hours"] == {"start": "09:00", "end": "17:00", "days": [1, 2]}
    partner.refresh_from_db()
    assert partner.is_available is False
    assert sorted(partner.availability.filter(is_active=True).values_list("day_of_week", flat=True)) == [1, 2]

    inverted = admin.patch(
        f"{PARTNERS}/{partner.pk}/availability",
        {"working_hours": {"start": "17:00", "end": "09:00", "days": [1]}},
        format="json",
    )
    assert inverted.status_code == 422


def test_a_partners_jobs_and_earnings_for_staff(admin):
    partner = h.partner()
    earning = earn(partner, 10)
    offered = h.booking(start=h.next_weekday_at(14))
    dispatch.dispatch_booking(offered.pk)

    jobs_page = admin.get(f"{PARTNERS}/{partner.pk}/bookings")
    assert jobs_page.status_code == 200, jobs_page.content
    rows = jobs_page.json()["data"]["bookings"]
    assert [(row["id"], row["assignment"]["status"]) for row in rows] == [
        (str(offered.pk), "assigned"),
        (str(earning.booking_id), "completed"),
    ]
    completed = admin.get(f"{PARTNERS}/{partner.pk}/bookings", {"status": "completed"}).json()["data"]["bookings"]
    assert [row["id"] for row in completed] == [str(earning.booking_id)]

    earnings_page = admin.get(f"{PARTNERS}/{partner.pk}/earnings")
    assert earnings_page.status_code == 200, earnings_page.content
    data = earnings_page.json()["data"]
    assert [(row["id"], row["amount"], row["cash_collected"]) for row in data["earnings"]] == [
        (str(earning.pk), 700, 1180)
    ]
    assert float(data["total_earnings"]) == 700
    assert float(data["pending"]) == 700
    assert float(data["paid"]) == 0
    assert admin.get(f"{PARTNERS}/{partner.pk}/earnings", {"status": "paid"}).json()["data"]["earnings"] == []

    support = client_for(make_user(Role.SUPPORT))
    assert support.get(f"{PARTNERS}/{partner.pk}/bookings").status_code == 200
    assert support.get(f"{PARTNERS}/{partner.pk}/earnings").status_code == 403


# --- assign by hand -----------------------------------------------------------------------------


def test_an_operations_manager_assigns_a_partner_by_hand(customer):
    partner = h.partner()
    misfit = h.partner(categories=("WAXING",))
    booking = h.booking(customer)
    ops = client_for(make_user(Role.OPS_MANAGER))
    url = f"/api/v1/admin/bookings/{booking.pk}/assign-partner"

    response = ops.post(url, {"partner_id": str(partner.pk)}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assignment = data["assignment"]
    assert (assignment["partner_id"], assignment["partner_code"], assignment["status"], assignment["forced"]) == (
        str(partner.pk),
        partner.partner_code,
        "accepted",
        False,
    )
    assert assignment["partner_earning"] == 700
    assert data["booking"]["status"] == "confirmed"
    assert data["booking"]["partner"]["id"] == str(partner.pk)

    refused = ops.post(url, {"partner_id": str(misfit.pk)}, format="json")
    assert refused.status_code == 409
    err = error(refused)
    assert (err["code"], err["details"]["reason"]) == ("NO_PARTNER_AVAILABLE", "not_eligible")
    assert PartnerAssignment.objects.get(booking=booking, status=AssignmentStatus.ACCEPTED).partner == partner

    forced = ops.post(url, {"partner_id": str(misfit.pk), "force": True}, format="json")
    assert forced.status_code == 200, forced.content
    assert (forced.json()["data"]["assignment"]["partner_id"], forced.json()["data"]["assignment"]["forced"]) == (
        str(misfit.pk),
        True,
    )
    assert PartnerAssignment.objects.get(booking=booking, partner=partner).status == AssignmentStatus.CANCELLED

    support = client_for(make_user(Role.SUPPORT)).post(url, {"partner_id": str(partner.pk)}, format="json")
    assert support.status_code == 403
    assert error(support)["code"] == "FORBIDDEN"


# --- internal APIs ------------------------------------------------------------------------------


@pytest.fixture
def service_token(settings):
    settings.INTERNAL_API_TOKEN = "svc-token"
    return "svc-token"


def internal_post(api_client, booking, token: str | None):
    headers = {"HTTP_AUTHORIZATION": token} if token is not None else {}
    return api_client.post(f"/api/v1/internal/bookings/{booking.pk}/assign-partner", {}, format="json", **headers)


def test_the_service_token_dispatches_a_booking(api_client, service_token):
    partner = h.partner()
    booking = h.booking()

    response = internal_post(api_client, booking, f"Bearer {service_token}")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assignment = data["assignment"]
    assert (assignment["partner_id"], assignment["partner_name"], assignment["status"]) == (
        str(partner.pk),
        partner.name,
        "assigned",
    )
    assert assignment["expires_at"] is not None
    assert set(assignment["score_parts"]) >= {"distance", "rating_part", "load", "reliability"}
    assert data["booking"]["id"] == str(booking.pk)
    assert data["booking"]["status"] == "partner_assigned"


def test_internal_apis_refuse_missing_wrong_and_user_tokens(api_client, service_token):
    h.partner()
    booking = h.booking()
    staff_jwt = client_for(make_user(Role.SUPER_ADMIN))._credentials["HTTP_AUTHORIZATION"]

    for token in (None, "Bearer wrong-token", staff_jwt, "svc-token", "Token svc-token"):
        response = internal_post(api_client, booking, token)
        assert response.status_code == 401, (token, response.content)
        assert error(response)["code"] == "UNAUTHORIZED"
    queue = api_client.get("/api/v1/internal/assignments/queue", HTTP_AUTHORIZATION=staff_jwt)
    assert queue.status_code == 401
    assert not PartnerAssignment.objects.exists()


def test_with_no_token_configured_the_internal_apis_are_closed(api_client, settings):
    settings.INTERNAL_API_TOKEN = ""
    h.partner()
    booking = h.booking()
    for token in ("Bearer ", "Bearer anything", "Bearer  "):
        assert internal_post(api_client, booking, token).status_code == 401
    assert api_client.get("/api/v1/internal/assignments/queue", HTTP_AUTHORIZATION="Bearer x").status_code == 401
    assert not PartnerAssignment.objects.exists()


def test_no_eligible_partner_answers_409_and_queues_the_booking(api_client, service_token):
    h.partner(categories=("WAXING",))
    booking = h.booking()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {service_token}"}

    response = internal_post(api_client, booking, auth["HTTP_AUTHORIZATION"])

    assert response.status_code == 409
    assert (error(response)["code"], error(response)["details"]["reason"]) == ("NO_PARTNER_AVAILABLE", "queued")
    state = Dispatch.objects.get(booking=booking)
    assert (state.status, state.reason) == (DispatchStatus.MANUAL, "no_eligible_partner")

    queue = api_client.get("/api/v1/internal/assignments/queue", **auth)
    assert queue.status_code == 200, queue.content
    rows = queue.json()["data"]["pending_assignments"]
    assert [
        (row["booking_id"], row["booking_number"], row["priority"], row["service_categories"], row["reason"])
        for row in rows
    ] == [(str(booking.pk), booking.booking_number, 5, ["Facial"], "no_eligible_partner")]
    assert rows[0]["status"] == "manual"
    assert queue.json()["data"]["pagination"]["total"] == 1
    assert (
        api_client.get("/api/v1/internal/assignments/queue", {"status": "offered"}, **auth).json()["data"][
            "pending_assignments"
        ]
        == []
    )

    h.partner()
    forced = api_client.post(
        f"/api/v1/internal/bookings/{booking.pk}/assign-partner", {"force": True}, format="json", **auth
    )
    assert forced.status_code == 200, forced.content
    assert api_client.get("/api/v1/internal/assignments/queue", **auth).json()["data"]["pending_assignments"] == []


def test_a_booking_that_needs_no_partner_is_not_assignable_rather_than_queued(api_client, service_token):
    h.partner()
    unpaid = h.booking(method="online")
    cancelled = h.booking(start=h.next_weekday_at(15))
    type(cancelled).objects.filter(pk=cancelled.pk).update(status="cancelled")

    for booking in (unpaid, cancelled):
        response = internal_post(api_client, booking, f"Bearer {service_token}")
        assert response.status_code == 422, response.content
        assert (error(response)["code"], error(response)["details"]["reason"]) == (
            "BOOKING_NOT_ASSIGNABLE",
            "not_needed",
        )
    forced = api_client.post(
        f"/api/v1/internal/bookings/{cancelled.pk}/assign-partner",
        {"force": True},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {service_token}",
    )
    assert forced.status_code == 422
    assert error(forced)["code"] == "BOOKING_NOT_ASSIGNABLE"
    assert not PartnerAssignment.objects.exists()
    missing = api_client.post(
        "/api/v1/internal/bookings/00000000-0000-0000-0000-000000000000/assign-partner",
        {},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {service_token}",
    )
    assert missing.status_code == 404


# --- seed 002 vendor applications and search -----------------------------------------------------


APPLICATIONS = "/api/v1/vendor-applications"


def application_body(**changes) -> dict:
    body = {
        "full_name": "Asha Applicant",
        "primary_service_category": "Facial",
        "service_categories": ["Facial"],
        "documents": {"aadhar": "https://x.test/a.pdf"},
    }
    body.update(changes)
    return body


def test_a_vendor_application_from_draft_to_approval(customer, customer_client, facial):
    created = customer_client.post(APPLICATIONS, application_body(), format="json")

    assert created.status_code == 201, created.content
    application = created.json()["data"]
    assert (application["status"], application["full_name"], application["documents_count"]) == (
        "pending",
        "Asha Applicant",
        1,
    )
    assert application["is_complete"] is True
    partner = Partner.objects.get(user=customer)
    assert partner.onboarding_status == OnboardingStatus.PENDING
    assert list(partner.categories.values_list("name", flat=True)) == ["Facial"]

    second = customer_client.post(APPLICATIONS, application_body(), format="json")
    assert second.status_code == 409
    assert error(second)["details"]["context"] == {"application_id": application["id"]}

    submit_url = f"{APPLICATIONS}/{application['id']}/submit"
    submitted = customer_client.post(submit_url, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["data"]["status"] == "submitted"
    partner.refresh_from_db()
    assert partner.onboarding_status == OnboardingStatus.SUBMITTED
    assert partner.verification_documents == {"aadhar": "https://x.test/a.pdf"}
    again = customer_client.post(submit_url, format="json")
    assert again.status_code == 422
    assert error(again)["code"] == "INVALID_APPLICATION_STATUS"

    manager = client_for(make_user(Role.ONBOARD_MANAGER))
    listed = manager.get(APPLICATIONS)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["data"]["results"]] == [application["id"]]
    assert listed.json()["data"]["count"] == 1
    assert [row["id"] for row in manager.get(APPLICATIONS, {"status": "submitted"}).json()["data"]["results"]] == [
        application["id"]
    ]
    stranger = client_for(make_user(Role.CUSTOMER))
    assert stranger.get(APPLICATIONS).json()["data"]["results"] == []
    assert customer_client.get(APPLICATIONS).json()["data"]["count"] == 1
    assert stranger.post(submit_url, format="json").status_code == 404  # not theirs

    review_url = f"{APPLICATIONS}/{application['id']}/review"
    by_customer = customer_client.post(review_url, {"decision": "approve"}, format="json")
    assert by_customer.status_code == 403
    maybe = manager.post(review_url, {"decision": "maybe"}, format="json")
    assert maybe.status_code == 422
    assert error(maybe)["details"]["field"] == "decision"

    approved = manager.post(review_url, {"decision": "approve", "notes": "welcome"}, format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["data"]["status"] == "approved"
    assert approved.json()["message"] == "Application approved"
    partner.refresh_from_db()
    assert partner.onboarding_status == OnboardingStatus.VERIFIED
    assert partner.verified_at is not None
    assert User.objects.get(pk=customer.pk).is_partner
    assert PartnerApplication.objects.get(pk=application["id"]).review_notes == "welcome"

    twice = manager.post(review_url, {"decision": "reject"}, format="json")
    assert twice.status_code == 422
    assert error(twice)["code"] == "INVALID_APPLICATION_STATUS"
    assert PartnerApplication.objects.get(pk=application["id"]).status == ApplicationStatus.APPROVED


def test_an_incomplete_application_cannot_be_submitted_and_a_rejected_one_does_not_verify(customer_client, facial):
    created = customer_client.post(APPLICATIONS, application_body(documents={}), format="json").json()["data"]
    incomplete = customer_client.post(f"{APPLICATIONS}/{created['id']}/submit", format="json")
    assert incomplete.status_code == 422
    assert error(incomplete)["details"]["reason"] == "incomplete"

    PartnerApplication.objects.filter(pk=created["id"]).update(documents={"pan": "https://x.test/p.pdf"})
    assert customer_client.post(f"{APPLICATIONS}/{created['id']}/submit", format="json").status_code == 200
    manager = client_for(make_user(Role.ONBOARD_MANAGER))
    rejected = manager.post(f"{APPLICATIONS}/{created['id']}/review", {"decision": "reject"}, format="json")
    assert rejected.status_code == 200
    assert rejected.json()["data"]["status"] == "rejected"
    partner = Partner.objects.get(pk=created["partner_id"])
    assert partner.onboarding_status == OnboardingStatus.REJECTED
    assert not partner.user.is_partner


def test_an_application_with_an_unknown_category_is_refused(customer_client, facial):
    response = customer_client.post(APPLICATIONS, application_body(service_categories=["Tarot"]), format="json")
    assert response.status_code == 422
    assert error(response)["details"]["field"] == "service_categories"
    assert not PartnerApplication.objects.exists()
    assert not Partner.objects.exists()


def test_vendor_search_lists_verified_partners_serving_the_pincode(customer_client):
    serving = h.partner(pincodes=[h.PINCODE], at=h.NEAR)
    h.partner(pincodes=["700001"])
    h.partner(pincodes=[h.PINCODE], verified=False)
    h.partner(pincodes=[h.PINCODE], is_active=False)

    response = customer_client.get("/api/v1/vendor-search", {"pincode": h.PINCODE})

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [v["id"] for v in data["vendors"]] == [str(serving.pk)]
    assert (data["total_vendors"], data["pincode"]) == (1, h.PINCODE)
    vendor = data["vendors"][0]
    assert (vendor["distance_km"], vendor["travel_time"]) == (None, None)
    assert vendor["availability"]["start_time"] == "08:00:00"

    near = customer_client.get(
        "/api/v1/vendor-search", {"pincode": h.PINCODE, "lat": str(h.HOME[0]), "lng": str(h.HOME[1])}
    )
    assert near.status_code == 200
    vendor = near.json()["data"]["vendors"][0]
    assert 1 < vendor["distance_km"] < 2  # NEAR is about 1.5 km from HOME
    assert vendor["travel_time"] == 3  # minutes at 25 km/h

    missing = customer_client.get("/api/v1/vendor-search")
    assert missing.status_code == 400
    assert error(missing)["details"]["field"] == "pincode"
    malformed = customer_client.get("/api/v1/vendor-search", {"pincode": "7000"})
    assert malformed.status_code == 422


# --- the Django admin ---------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(Role.SUPER_ADMIN, email="root@example.com"))
    return client


def test_the_admin_verify_action(superuser_client):
    first, second = h.partner(verified=False), h.partner(verified=False)

    response = superuser_client.post(
        "/admin/partners/partner/",
        {"action": "verify", "_selected_action": [str(first.pk), str(second.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 partner(s) verified." in response.content.decode()
    assert set(Partner.objects.values_list("onboarding_status", flat=True)) == {OnboardingStatus.VERIFIED}
    first.refresh_from_db()
    assert first.verified_by.email == "root@example.com"


def test_the_admin_process_action_completes_pending_payouts(superuser_client):
    partner = h.partner()
    earning = earn(partner, online=True)
    payout = payouts.payout_create(partner_id=partner.pk)

    response = superuser_client.post(
        "/admin/partners/partnerpayout/", {"action": "process", "_selected_action": [str(payout.pk)]}, follow=True
    )

    assert response.status_code == 200
    assert "1 payout(s) completed." in response.content.decode()
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.COMPLETED
    assert payout.processed_at is not None
    earning.refresh_from_db()
    assert earning.status == EarningStatus.PAID

    again = superuser_client.post(
        "/admin/partners/partnerpayout/", {"action": "process", "_selected_action": [str(payout.pk)]}, follow=True
    )
    assert "0 payout(s) completed." in again.content.decode()
    assert PartnerPayout.objects.get(pk=payout.pk).status == PayoutStatus.COMPLETED


def test_the_admin_pages_open(superuser_client):
    partner = h.partner()
    earn(partner, 10, online=True)
    payout = payouts.payout_create(partner_id=partner.pk)
    h.partner(categories=("WAXING",))
    offered = h.booking(start=h.next_weekday_at(15))
    dispatch.dispatch_booking(offered.pk)
    queued = h.booking(services=[h.service("MASSAGE")], start=h.next_weekday_at(16))
    assert dispatch.dispatch_booking(queued.pk) is None
    assert Dispatch.objects.count() == 3

    for model in ("partner", "partnerassignment", "partnerearning", "partnerpayout", "dispatch", "partnerapplication"):
        response = superuser_client.get(f"/admin/partners/{model}/")
        assert response.status_code == 200, model
    assert payout.payout_number in superuser_client.get("/admin/partners/partnerpayout/").content.decode()
    assert queued.booking_number in superuser_client.get("/admin/partners/dispatch/").content.decode()
    page = superuser_client.get(f"/admin/partners/partner/{partner.pk}/change/")
    assert page.status_code == 200
    assert partner.partner_code in page.content.decode()
    assert superuser_client.get(f"/admin/partners/partnerpayout/{payout.pk}/change/").status_code == 200
