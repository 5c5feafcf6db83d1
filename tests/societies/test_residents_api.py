"""Seed 001 2.1 through the API: the roster check, search, registration, switching, residences, the profile."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from societies.models import ApprovalStatus, Residence, RosterEntry, SocietyStatus
from tests.accounts.helpers import assert_error
from tests.conftest import client_for
from tests.societies.helpers import apartment, resident, unit

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/onboarding/resident/register"


def on_roster(society, phone, code, **fields):
    return RosterEntry.objects.create(society=society, phone=phone, unit=unit(society, code), **fields)


def register(client, society, code, **body):
    return client.post(
        REGISTER, {"society_id": society.pk, "unit_node_id": unit(society, code).pk, **body}, format="json"
    )


# --- check roster ---------------------------------------------------------------------------------


def test_the_roster_check_finds_my_flat_with_its_tower_and_floor():
    society = apartment(name="Green Valley")
    person = resident()
    on_roster(society, person.phone, "A-101", suggested_name="Asha K", is_primary=True)

    response = client_for(person).post("/api/v1/onboarding/resident/check-roster", {}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["found_in_roster"] is True
    assert data["has_multiple_societies"] is False
    [row] = data["residences"]
    assert row["society_name"] == "Green Valley"
    assert row["unit_type"] == "FLAT"
    assert (row["flat_number"], row["tower"], row["floor"]) == ("A-101", "Tower A", 1)
    assert row["suggested_name"] == "Asha K"
    assert row["is_primary"] is True


def test_a_phone_on_two_rosters_is_asked_which_is_primary():
    first, second = apartment(), apartment()
    person = resident()
    on_roster(first, person.phone, "A-001")
    on_roster(second, person.phone, "B-101", is_primary=True)

    data = client_for(person).post("/api/v1/onboarding/resident/check-roster", {}, format="json").json()["data"]

    assert data["has_multiple_societies"] is True
    assert data["message"].startswith("Multiple residences found")
    assert [r["society_id"] for r in data["residences"]] == [second.pk, first.pk]  # primary first


def test_a_phone_on_no_roster_is_told_to_search():
    apartment()
    data = client_for(resident()).post("/api/v1/onboarding/resident/check-roster", {}, format="json").json()["data"]

    assert data == {
        "found_in_roster": False,
        "has_multiple_societies": False,
        "residences": [],
        "message": "Phone number not found in any society roster. Please search and select your society.",
    }


def test_nobody_reads_the_roster_for_a_phone_that_is_not_theirs():
    society = apartment()
    on_roster(society, "+919812345678", "A-001", suggested_name="Someone Else")

    response = client_for(resident()).post(
        "/api/v1/onboarding/resident/check-roster", {"phone": "+919812345678"}, format="json"
    )
    assert_error(response, 403, "FORBIDDEN", "phone")
    assert_error(
        client_for(resident(is_phone_verified=False)).post(
            "/api/v1/onboarding/resident/check-roster", {}, format="json"
        ),
        403,
        "FORBIDDEN",
        "phone",
    )
    anonymous = APIClient()
    assert_error(anonymous.post("/api/v1/onboarding/resident/check-roster", {}, format="json"), 401, "UNAUTHORIZED")


# --- search ---------------------------------------------------------------------------------------


def test_search_finds_by_name_address_and_pincode_name_matches_first(api_client):
    by_address = apartment(name="Lake View", address="Near Green Park")
    by_name = apartment(name="Green Valley", address="EM Bypass")
    apartment(name="Green Hidden", status=SocietyStatus.INACTIVE)
    apartment(name="Green Unpaid", has_subscription=False)

    data = api_client.get("/api/v1/societies/search", {"q": "green"}).json()["data"]
    assert [s["society_id"] for s in data["societies"]] == [by_name.pk, by_address.pk]
    assert data["total_results"] == 2
    assert data["query"] == "green"

    by_pincode = apartment(name="Pin Towers", pincode="560001")
    data = api_client.get("/api/v1/societies/search", {"q": "5600"}).json()["data"]
    assert [s["society_id"] for s in data["societies"]] == [by_pincode.pk]


def test_search_counts_flats_and_occupied_flats(api_client):
    society = apartment(name="Counted", towers=1, floors=2, flats=3)
    person = resident()
    on_roster(society, person.phone, "A-001")
    register(client_for(person), society, "A-001")
    register(client_for(resident()), society, "A-002")  # pending: not occupied

    [row] = api_client.get("/api/v1/societies/search", {"q": "Counted"}).json()["data"]["societies"]

    assert (row["total_flats"], row["occupied_flats"], row["total_houses"], row["occupied_houses"]) == (
        6,
        1,
        None,
        None,
    )


def test_search_refuses_a_query_shorter_than_two_characters(api_client):
    assert_error(api_client.get("/api/v1/societies/search", {"q": "g"}), 422, "VALIDATION_ERROR", "q")
    data = api_client.get("/api/v1/societies/search", {"q": "zz"}).json()["data"]
    assert data["societies"] == []
    assert "No societies found matching 'zz'" in data["message"]


# --- registration ---------------------------------------------------------------------------------


def test_a_resident_on_the_roster_is_verified_at_once_and_becomes_primary_and_active():
    society = apartment()
    person = resident()
    on_roster(society, person.phone, "A-101")

    response = register(
        client_for(person), society, "A-101", temp_user_id=str(person.pk), full_name="Asha K", from_roster=True
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message"] == "Registration successful"
    data = body["data"]
    assert data["user"]["user_type"] == "RESIDENT"
    assert data["user"]["is_verified"] is True
    assert data["user"]["full_name"] == "Asha K"
    [row] = data["residences"]
    assert (row["verification_status"], row["is_primary"], row["is_active"]) == ("VERIFIED", True, True)
    assert data["active_society"] == {"society_id": society.pk, "society_name": society.name}
    assert set(data["tokens"]) == {"access_token", "refresh_token", "expires_in"}


def test_from_roster_is_not_trusted_without_a_roster_match():
    society = apartment()
    person = resident()
    on_roster(society, person.phone, "A-102")  # a different flat

    response = register(client_for(person), society, "A-101", from_roster=True)

    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "Registration submitted for verification"
    assert body["data"]["residences"][0]["verification_status"] == "PENDING"
    assert body["data"]["user"]["is_verified"] is False
    assert body["data"]["next_steps"]["can_place_orders"] is False


def test_an_additional_society_always_waits_even_on_its_roster():
    home, second = apartment(), apartment()
    person = resident()
    on_roster(home, person.phone, "A-001")
    on_roster(second, person.phone, "B-001")
    register(client_for(person), home, "A-001")

    response = register(client_for(person), second, "B-001", user_id=str(person.pk), is_primary=True)

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Additional society added successfully"
    rows = {r["society_id"]: r for r in response.json()["data"]["residences"]}
    assert rows[second.pk]["verification_status"] == "PENDING"
    assert rows[second.pk]["is_primary"] is False
    assert rows[home.pk]["is_primary"] is True
    assert response.json()["data"]["active_society"]["society_id"] == home.pk


def test_registration_refuses_unknown_societies_foreign_units_and_repeats():
    society, other = apartment(), apartment()
    person = resident()
    client = client_for(person)

    assert_error(
        client.post(REGISTER, {"society_id": 999999, "unit_node_id": unit(society, "A-001").pk}, format="json"),
        404,
        "SOCIETY_NOT_FOUND",
        "society_id",
    )
    assert_error(
        client.post(REGISTER, {"society_id": society.pk, "unit_node_id": unit(other, "A-001").pk}, format="json"),
        404,
        "UNIT_NOT_FOUND",
        "unit_node_id",
    )
    floor = unit(society, "A-001").parent
    assert_error(
        client.post(REGISTER, {"society_id": society.pk, "unit_node_id": floor.pk}, format="json"),
        404,
        "UNIT_NOT_FOUND",
        "unit_node_id",
    )
    assert register(client, society, "A-001").status_code == 201
    assert_error(register(client, society, "A-002"), 409, "ALREADY_REGISTERED", "society_id")
    assert_error(client.post(REGISTER, {"unit_node_id": 1}, format="json"), 400, "INVALID_REQUEST", "society_id")


def test_nobody_registers_someone_else():
    society = apartment()
    person, other = resident(), resident()
    client = client_for(person)

    assert_error(register(client, society, "A-001", temp_user_id=str(other.pk)), 403, "FORBIDDEN", "user_id")
    assert_error(register(client, society, "A-001", phone=other.phone), 403, "FORBIDDEN", "phone")
    assert_error(register(client, society, "A-001", email=other.email), 409, "EMAIL_ALREADY_EXISTS", "email")
    assert not Residence.objects.exists()


# --- switching and listing --------------------------------------------------------------------------


def _two_societies():
    home, second = apartment(name="Home Towers"), apartment(name="Second Heights")
    person = resident()
    on_roster(home, person.phone, "A-001")
    client = client_for(person)
    register(client, home, "A-001")
    register(client, second, "B-001")
    return person, client, home, second


def test_switching_to_a_pending_or_rejected_society_is_refused_with_its_status():
    person, client, home, second = _two_societies()

    error = assert_error(
        client.post(f"/api/v1/residents/{person.pk}/switch-society", {"society_id": second.pk}, format="json"),
        403,
        "SOCIETY_NOT_VERIFIED",
        "society_id",
    )
    assert error["message"] == "You are not verified as a resident of Second Heights"
    assert error["details"]["context"]["verification_status"] == "PENDING"
    assert error["details"]["context"]["society_name"] == "Second Heights"
    assert error["details"]["context"]["submitted_at"]
    Residence.objects.filter(user=person, society=second).update(verification_status=ApprovalStatus.REJECTED)
    error = assert_error(
        client.post(f"/api/v1/residents/{person.pk}/switch-society", {"society_id": second.pk}, format="json"),
        403,
        "SOCIETY_NOT_VERIFIED",
        "society_id",
    )
    assert error["details"]["context"]["verification_status"] == "REJECTED"
    assert Residence.objects.get(user=person, is_active=True).society_id == home.pk


def test_switching_to_a_society_i_am_not_in_lists_the_ones_i_can_use():
    person, client, home, _ = _two_societies()
    elsewhere = apartment()

    error = assert_error(
        client.post(f"/api/v1/residents/{person.pk}/switch-society", {"society_id": elsewhere.pk}, format="json"),
        404,
        "SOCIETY_NOT_FOUND",
        "society_id",
    )
    assert error["details"]["context"]["available_societies"] == [{"society_id": home.pk, "society_name": home.name}]


def test_switching_to_a_verified_society_makes_it_the_only_active_one():
    person, client, home, second = _two_societies()
    Residence.objects.filter(user=person, society=second).update(verification_status=ApprovalStatus.VERIFIED)

    response = client.post(f"/api/v1/residents/{person.pk}/switch-society", {"society_id": second.pk}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["previous_society"] == {"society_id": home.pk, "society_name": home.name}
    assert data["active_society"]["society_id"] == second.pk
    assert data["residence"]["flat_number"] == "B-001"
    assert data["available_vendors"] == 0
    assert data["active_categories"] == []
    assert list(Residence.objects.filter(user=person, is_active=True).values_list("society_id", flat=True)) == [
        second.pk
    ]
    profile = client.get(f"/api/v1/users/{person.pk}/profile").json()["data"]
    assert profile["active_society"] == {
        "society_id": second.pk,
        "society_name": second.name,
        "unit_type": "FLAT",
        "flat_number": "B-001",
    }


def test_nobody_switches_or_reads_another_residents_societies():
    person, _, home, _ = _two_societies()
    stranger = client_for(resident())

    assert_error(
        stranger.post(f"/api/v1/residents/{person.pk}/switch-society", {"society_id": home.pk}, format="json"),
        403,
        "FORBIDDEN",
    )
    assert_error(stranger.get(f"/api/v1/residents/{person.pk}/residences"), 403, "FORBIDDEN")


def test_my_residences_count_verified_and_pending():
    person, client, home, second = _two_societies()

    data = client.get(f"/api/v1/residents/{person.pk}/residences").json()["data"]

    assert (data["total_residences"], data["verified_count"], data["pending_count"]) == (2, 1, 1)
    assert data["active_society"] == {"society_id": home.pk, "society_name": home.name}
    assert [r["society_id"] for r in data["residences"]] == [home.pk, second.pk]
    assert data["residences"][0]["verified_at"]
    assert data["residences"][1]["verified_at"] is None


def test_a_profile_without_a_residence_has_no_active_society():
    person = resident()
    assert client_for(person).get(f"/api/v1/users/{person.pk}/profile").json()["data"]["active_society"] is None
