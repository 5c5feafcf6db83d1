"""User addresses (seed 000): CRUD, exactly one default, owner-only, coordinate checks."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Address
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

HOME = {
    "name": "Home",
    "address_line1": "123 Main St",
    "address_line2": "Apartment 4B",
    "city": "Kolkata",
    "state": "West Bengal",
    "pincode": "700032",
    "lat": 22.5726,
    "lng": 88.3639,
    "place_id": "ChIJ-home",
}
OFFICE = {**HOME, "name": "Office", "address_line1": "456 Park Ave"}


@pytest.fixture
def owner(db):
    return make_user()


@pytest.fixture
def client(owner):
    return client_for(owner)


def create(client, body):
    response = client.post("/api/v1/users/addresses", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["data"]


def test_the_first_address_is_the_default(client):
    home = create(client, HOME)
    office = create(client, OFFICE)

    assert home["is_default"] is True
    assert office["is_default"] is False
    assert home["lat"] == 22.5726


def test_list_is_mine_default_first_in_a_fixed_number_of_queries(client, owner, django_assert_max_num_queries):
    for n in range(12):
        create(client, {**OFFICE, "name": f"Place {n}"})
    create(client_for(make_user()), HOME)

    # the token's user, then one query for the addresses, whatever their number
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/users/addresses")

    rows = response.json()["data"]
    assert len(rows) == 12
    assert rows[0]["is_default"] is True
    assert sum(row["is_default"] for row in rows) == 1


def test_update_an_address(client):
    home = create(client, HOME)

    response = client.put(f"/api/v1/users/addresses/{home['id']}", {**HOME, "city": "Howrah"}, format="json")

    assert response.json()["data"]["city"] == "Howrah"


def test_set_default_moves_the_default(client, owner):
    create(client, HOME)
    office = create(client, OFFICE)

    response = client.patch(f"/api/v1/users/addresses/{office['id']}/set-default")

    assert response.json()["message"] == "Default address updated"
    assert list(Address.objects.filter(user=owner, is_default=True).values_list("name", flat=True)) == ["Office"]


def test_deleting_the_default_promotes_another(client, owner):
    home = create(client, HOME)
    create(client, OFFICE)

    response = client.delete(f"/api/v1/users/addresses/{home['id']}")

    assert response.json()["message"] == "Address deleted successfully"
    assert Address.objects.get(user=owner).is_default is True


def test_someone_elses_address_is_not_found(client):
    theirs = create(client_for(make_user()), HOME)

    for response in (
        client.put(f"/api/v1/users/addresses/{theirs['id']}", HOME, format="json"),
        client.delete(f"/api/v1/users/addresses/{theirs['id']}"),
        client.patch(f"/api/v1/users/addresses/{theirs['id']}/set-default"),
    ):
        assert_error(response, 404, "ADDRESS_NOT_FOUND")
    assert Address.objects.filter(id=theirs["id"]).exists()


@pytest.mark.parametrize(("field", "value"), [("lat", 91), ("lat", -90.5), ("lng", 180.01), ("lng", -181)])
def test_coordinates_out_of_range_are_refused(client, field, value):
    assert_error(
        client.post("/api/v1/users/addresses", {**HOME, field: value}, format="json"), 422, "VALIDATION_ERROR", field
    )
    assert not Address.objects.exists()


@pytest.mark.parametrize("missing", ["name", "address_line1", "pincode"])
def test_required_fields(client, missing):
    body = {k: v for k, v in HOME.items() if k != missing}

    assert_error(client.post("/api/v1/users/addresses", body, format="json"), 400, "INVALID_REQUEST", missing)


@pytest.mark.parametrize("missing", ["city", "state"])
def test_city_and_state_come_from_a_known_pincode_and_are_required_for_another(client, missing):
    known = {k: v for k, v in HOME.items() if k != missing}  # 700032 is in core/data/pincodes.csv
    unknown = {**known, "pincode": "799999"}

    created = client.post("/api/v1/users/addresses", known, format="json")

    assert created.status_code == 201, created.content
    assert (created.json()["data"]["city"], created.json()["data"]["state"]) == ("Kolkata", "West Bengal")
    assert_error(client.post("/api/v1/users/addresses", unknown, format="json"), 400, "INVALID_REQUEST", missing)


def test_bad_pincode(client):
    assert_error(
        client.post("/api/v1/users/addresses", {**HOME, "pincode": "12ab"}, format="json"),
        422,
        "VALIDATION_ERROR",
        "pincode",
    )


def test_addresses_need_sign_in(api_client):
    assert_error(api_client.get("/api/v1/users/addresses"), 401, "UNAUTHORIZED")


def test_the_database_refuses_a_second_default():
    user = make_user()
    Address.objects.create(user=user, is_default=True, **{k: v for k, v in HOME.items() if k not in ("lat", "lng")})

    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.create(
            user=user, is_default=True, **{k: v for k, v in OFFICE.items() if k not in ("lat", "lng")}
        )
