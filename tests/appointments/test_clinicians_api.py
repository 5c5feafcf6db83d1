"""Seed 003 clinicians through HTTP (issue #18): the public list and detail, staff writes in scope, weekly rules."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from catalog.models import Service
from partners.models import OnboardingStatus, Partner, PartnerAvailability, PartnerKind
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.appointments import builders
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/clinicians"
PUBLIC_KEYS = {
    "id",
    "user_id",
    "full_name",
    "specialization",
    "qualification",
    "years_of_experience",
    "consultation_fee",
    "languages",
    "profile_picture_url",
    "is_active",
    "timezone",
    "session_minutes",
    "centres",
}


def new_clinician(centre, **fields):
    return {
        "fullName": "Dr. Jane Smith",
        "phone": "+919876543215",
        "email": "jane.smith@example.com",
        "password": "SecurePassword123",
        "primaryCentreId": str(centre.pk),
        "specialization": ["Clinical Psychologist"],
        "qualification": ["PhD Psychology"],
        "yearsOfExperience": 8,
        "consultationFee": 1500,
        "languages": ["English", "Hindi"],
        "profilePictureUrl": "https://example.com/jane.jpg",
        "defaultConsultationDurationMinutes": 60,
        **fields,
    }


def admin():
    return client_for(make_user(Role.ADMIN))


def week(*rules):
    return {
        "availabilityRules": [
            {"dayOfWeek": day, "startTime": start, "endTime": end, "isAvailable": True} for day, start, end in rules
        ]
    }


# --- public reads -------------------------------------------------------------------------------------


def test_the_public_list_shows_active_verified_clinicians_without_private_data():
    centre = builders.centre()
    shown = builders.clinician(at=centre, specialties=["Clinical Psychologist"], languages=["English"])
    builders.clinician(at=centre, is_active=False)
    builders.specialist()
    hidden = builders.clinician(at=centre)
    Partner.objects.filter(pk=hidden.pk).update(onboarding_status=OnboardingStatus.PENDING)

    response = APIClient().get(URL)

    assert response.status_code == 200, response.content
    rows = response.json()["data"]
    assert [row["id"] for row in rows] == [str(shown.pk)]
    assert set(rows[0]) == PUBLIC_KEYS
    assert rows[0]["consultation_fee"] == 800.0
    assert rows[0]["centres"] == [{"id": str(centre.pk), "name": centre.name, "city": centre.city}]
    assert shown.user.phone not in response.content.decode()


def test_the_list_filters_by_centre_in_either_spelling_and_by_specialization_ignoring_case():
    here, there = builders.centre(), builders.centre()
    psychologist = builders.clinician(at=here, specialties=["Clinical Psychologist", "Therapist"])
    builders.clinician(at=here, specialties=["Psychiatrist"])
    builders.clinician(at=there, specialties=["Clinical Psychologist"])

    camel = APIClient().get(URL, {"centreId": str(here.pk), "specialization": "clinical psychologist"})
    snake = APIClient().get(URL, {"centre_id": str(here.pk), "specialization": "Clinical Psychologist"})

    assert [row["id"] for row in camel.json()["data"]] == [str(psychologist.pk)]
    assert snake.json()["data"] == camel.json()["data"]


def test_a_deactivated_centre_lists_no_clinicians():
    centre = builders.centre(is_active=False)
    builders.clinician(at=centre)
    assert APIClient().get(URL, {"centreId": str(centre.pk)}).json()["data"] == []


def test_an_inactive_clinician_is_not_found_publicly():
    gone = builders.clinician(is_active=False)
    assert_error(APIClient().get(f"{URL}/{gone.pk}"), 404, "PARTNER_NOT_FOUND", "id")
    assert_error(APIClient().get(f"{URL}/{gone.pk}/availability"), 404, "PARTNER_NOT_FOUND", "id")


def test_the_clinician_list_takes_the_same_queries_at_two_sizes():
    centre = builders.centre()
    builders.clinician(at=centre)
    paths = [URL, f"{URL}?centreId={centre.pk}"]
    small = query_counts(APIClient(), paths)
    for _ in range(5):
        builders.clinician(at=builders.centre()).centres.add(centre)
    large = query_counts(APIClient(), paths)
    assert small == large


# --- create -------------------------------------------------------------------------------------------


def test_an_admin_creates_a_clinician_with_account_profile_and_consultation():
    centre = builders.centre(zone="America/New_York")

    response = admin().post(URL, new_clinician(centre), format="json")

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["full_name"] == "Dr. Jane Smith"
    partner = Partner.objects.select_related("user").get(pk=data["id"])
    assert str(partner.user_id) == data["user_id"]
    assert (partner.kind, partner.onboarding_status) == (PartnerKind.CLINICIAN, OnboardingStatus.VERIFIED)
    assert (partner.timezone, partner.default_session_minutes) == ("America/New_York", 60)
    assert partner.primary_centre == centre
    assert list(partner.centres.all()) == [centre]
    assert partner.user.has_role(Role.SPECIALIST)
    assert partner.user.check_password("SecurePassword123")
    service = Service.objects.get(partner=partner)
    assert (service.name, service.product_cost, service.duration_minutes) == ("Consultation", Decimal("1500"), 60)
    public = APIClient().get(f"{URL}/{partner.pk}").json()["data"]
    assert public["profile_picture_url"] == "https://example.com/jane.jpg"


def test_a_phone_or_email_already_registered_is_a_conflict_with_the_accounts_codes():
    centre = builders.centre()
    make_user(phone="+919876543215")
    make_user(email="taken@example.com")

    by_phone = admin().post(URL, new_clinician(centre), format="json")
    by_email = admin().post(URL, new_clinician(centre, phone="+919876543216", email="Taken@example.com"), format="json")

    assert_error(by_phone, 409, "PHONE_ALREADY_EXISTS", "phone")
    assert_error(by_email, 409, "EMAIL_ALREADY_EXISTS", "email")
    assert not Partner.objects.filter(kind=PartnerKind.CLINICIAN).exists()


def test_a_bad_phone_and_an_unknown_zone_are_refused():
    centre = builders.centre()
    assert_error(
        admin().post(URL, new_clinician(centre, phone="12345"), format="json"), 422, "INVALID_PHONE_NUMBER", "phone"
    )
    assert_error(
        admin().post(URL, new_clinician(centre, timezone="Nowhere/City"), format="json"),
        422,
        "VALIDATION_ERROR",
        "timezone",
    )


def test_a_front_desk_member_cannot_create_a_clinician():
    response = client_for(make_user(Role.FRONT_DESK)).post(URL, new_clinician(builders.centre()), format="json")
    assert_error(response, 403, "FORBIDDEN")


def test_a_centre_manager_creates_clinicians_for_their_centres_only():
    mine, theirs = builders.centre(), builders.centre()
    manager = client_for(builders.centre_manager(mine))

    refused = manager.post(URL, new_clinician(theirs), format="json")
    created = manager.post(URL, new_clinician(mine), format="json")

    assert_error(refused, 404, "NOT_FOUND", "primary_centre_id")
    assert created.status_code == 201, created.content


# --- update, delete, toggle ---------------------------------------------------------------------------


def test_a_fee_change_changes_the_consultation_price_too():
    doctor = builders.clinician(at=builders.centre())
    body = {"specialization": ["Clinical Psychologist", "Child Psychologist"], "consultationFee": 1800}

    response = admin().put(f"{URL}/{doctor.pk}", {**body, "yearsOfExperience": 11}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["consultation_fee"] == 1800.0
    assert response.json()["data"]["years_of_experience"] == 11
    assert builders.service_of(doctor).product_cost == Decimal("1800.00")


def test_a_centre_manager_of_another_centre_gets_404():
    doctor = builders.clinician(at=builders.centre())
    manager = client_for(builders.centre_manager(builders.centre()))

    assert_error(manager.put(f"{URL}/{doctor.pk}", {"yearsOfExperience": 3}, format="json"), 404, "PARTNER_NOT_FOUND")
    assert_error(manager.delete(f"{URL}/{doctor.pk}"), 404, "PARTNER_NOT_FOUND")


def test_delete_is_soft_and_toggle_brings_the_clinician_back():
    doctor = builders.clinician(at=builders.centre())
    client = admin()

    deleted = client.delete(f"{URL}/{doctor.pk}")
    assert deleted.json()["data"]["is_active"] is False
    assert APIClient().get(URL).json()["data"] == []

    toggled = client.patch(f"{URL}/{doctor.pk}/toggle-active")
    assert toggled.json()["data"]["is_active"] is True
    assert [row["id"] for row in APIClient().get(URL).json()["data"]] == [str(doctor.pk)]


# --- weekly rules -------------------------------------------------------------------------------------


def test_the_week_is_replaced_and_read_back_publicly():
    doctor = builders.clinician()
    body = week(("MONDAY", "09:00:00", "17:00:00"), ("tuesday", "10:00", "13:00"))
    body["availabilityRules"].append(
        {"dayOfWeek": "SUNDAY", "startTime": "10:00", "endTime": "12:00", "isAvailable": False}
    )

    response = admin().put(f"{URL}/{doctor.pk}/availability", body, format="json")

    assert response.status_code == 200, response.content
    read = APIClient().get(f"{URL}/{doctor.pk}/availability").json()["data"]
    assert read == [
        {"day_of_week": "MONDAY", "start_time": "09:00:00", "end_time": "17:00:00", "is_available": True},
        {"day_of_week": "TUESDAY", "start_time": "10:00:00", "end_time": "13:00:00", "is_available": True},
        {"day_of_week": "SUNDAY", "start_time": "10:00:00", "end_time": "12:00:00", "is_available": False},
    ]
    assert response.json()["data"] == read
    assert PartnerAvailability.objects.filter(partner=doctor).count() == 3


def test_the_week_is_taken_in_snake_case_too():
    doctor = builders.clinician()
    body = {"availability_rules": [{"day_of_week": "MONDAY", "start_time": "09:00", "end_time": "12:00"}]}

    response = admin().put(f"{URL}/{doctor.pk}/availability", body, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"] == [
        {"day_of_week": "MONDAY", "start_time": "09:00:00", "end_time": "12:00:00", "is_available": True}
    ]


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ((("MONDAY", "09:00", "17:00"), ("TUESDAY", "12:00", "12:00")), "availability_rules.1.end_time"),
        ((("MONDAY", "09:00", "17:00"), ("TUESDAY", "12:00", "11:00")), "availability_rules.1.end_time"),
        ((("MONDAY", "09:00", "12:00"), ("monday", "14:00", "17:00")), "availability_rules.1.day_of_week"),
        ((("FUNDAY", "09:00", "17:00"),), "availability_rules.0.day_of_week"),
        ((("MONDAY", "9 am", "17:00"),), "availability_rules.0.start_time"),
    ],
    ids=["end-equals-start", "end-before-start", "duplicated-day", "unknown-day", "bad-time"],
)
def test_bad_rules_are_refused_and_the_week_is_kept(rules, field):
    doctor = builders.clinician()

    response = admin().put(f"{URL}/{doctor.pk}/availability", week(*rules), format="json")

    assert_error(response, 422, "VALIDATION_ERROR", field)
    kept = PartnerAvailability.objects.filter(partner=doctor, is_active=True)
    assert kept.count() == 7
    assert {(row.start_time, row.end_time) for row in kept} == {(time(9), time(17))}


def test_a_clinician_sets_their_own_week_but_not_a_colleagues():
    doctor, colleague = builders.clinician(), builders.clinician()
    client = client_for(doctor.user)
    body = week(("FRIDAY", "08:00", "12:00"))

    own = client.put(f"{URL}/{doctor.pk}/availability", body, format="json")
    other = client.put(f"{URL}/{colleague.pk}/availability", body, format="json")

    assert own.status_code == 200, own.content
    assert [r["day_of_week"] for r in own.json()["data"]] == ["FRIDAY"]
    assert_error(other, 403, "FORBIDDEN")
    assert_error(APIClient().put(f"{URL}/{doctor.pk}/availability", body, format="json"), 401, "UNAUTHORIZED")
