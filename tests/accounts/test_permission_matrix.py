"""The permission matrix over the account endpoints: anonymous, customer, partner and every staff role."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import STAFF_ROLES, Role
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ACTORS = ["anonymous", "customer", "partner", *sorted(role.value for role in STAFF_ROLES)]
# Staff who may read other people's profiles (accounts.view_user in the matrix; super_admin has everything).
READERS = {
    "super_admin",
    "admin",
    "support",
    "finance",
    "ops_manager",
    "onboard_manager",
    "centre_manager",
    "care_coordinator",
    "front_desk",
}


@pytest.fixture
def someone(db):
    return make_user(Role.CUSTOMER)


def actor_client(actor):
    if actor == "anonymous":
        return APIClient(), None
    user = make_user(Role(actor), email=f"{actor}@example.com")
    return client_for(user), user


def expect(actor, *, anonymous, customer, partner, staff):
    if actor == "anonymous":
        return anonymous
    if actor in ("customer", "partner"):
        return customer if actor == "customer" else partner
    return staff(actor) if callable(staff) else staff


@pytest.mark.parametrize("actor", ACTORS)
def test_me(actor):
    client, _ = actor_client(actor)

    assert client.get("/api/v1/auth/me").status_code == expect(
        actor, anonymous=401, customer=200, partner=200, staff=200
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_role_list(actor):
    client, _ = actor_client(actor)

    status = client.get("/api/v1/auth/roles").status_code

    assert status == expect(actor, anonymous=401, customer=403, partner=403, staff=200)


@pytest.mark.parametrize("actor", ACTORS)
def test_read_someone_elses_profile(actor, someone):
    client, _ = actor_client(actor)

    status = client.get(f"/api/v1/users/{someone.pk}/profile").status_code

    assert status == expect(
        actor, anonymous=401, customer=403, partner=403, staff=lambda role: 200 if role in READERS else 403
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_change_someone_elses_profile_or_contacts(actor, someone):
    client, _ = actor_client(actor)

    statuses = {
        client.put(f"/api/v1/users/{someone.pk}/profile", {"full_name": "Hacked"}, format="json").status_code,
        client.post(
            f"/api/v1/users/{someone.pk}/update-email", {"new_email": "x@example.com"}, format="json"
        ).status_code,
        client.delete(f"/api/v1/users/{someone.pk}/contact/email").status_code,
    }

    assert statuses == {expect(actor, anonymous=401, customer=403, partner=403, staff=403)}
    someone.refresh_from_db()
    assert someone.full_name != "Hacked"


@pytest.mark.parametrize("actor", ACTORS)
def test_own_addresses(actor):
    client, _ = actor_client(actor)

    assert client.get("/api/v1/users/addresses").status_code == expect(
        actor, anonymous=401, customer=200, partner=200, staff=200
    )


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
def test_admin_login_is_for_staff(actor):
    _, user = actor_client(actor)

    status = (
        APIClient()
        .post("/api/v1/admin/auth/login", {"email": user.email, "password": PASSWORD}, format="json")
        .status_code
    )

    assert status == expect(actor, anonymous=None, customer=403, partner=403, staff=200)


def test_the_django_admin_honours_roles(someone):
    support = make_user(Role.SUPPORT, email="support@example.com")
    admin = make_user(Role.ADMIN, email="admin@example.com")
    customer = make_user(Role.CUSTOMER, email="cust@example.com")
    browser = APIClient()

    browser.force_login(support)
    support_list = browser.get("/admin/accounts/user/")
    support_change = browser.post(f"/admin/accounts/user/{someone.pk}/change/", {"full_name": "Changed"})
    browser.force_login(admin)
    admin_change_page = browser.get(f"/admin/accounts/user/{someone.pk}/change/")
    browser.force_login(customer)
    customer_list = browser.get("/admin/accounts/user/")

    assert support_list.status_code == 200
    assert support_change.status_code == 403
    assert admin_change_page.status_code == 200
    assert customer_list.status_code == 302
    someone.refresh_from_db()
    assert someone.full_name != "Changed"
