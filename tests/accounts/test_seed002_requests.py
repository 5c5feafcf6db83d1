"""Seed 002's literal request shapes (issue #20): ``refresh``, send/verify-otp with ``email`` and ``method``,
the vendor sign-in paths, and ``label`` / ``address_line`` addresses."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Address
from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from notifications import sms
from tests.accounts.helpers import assert_error, last_email_code, last_sms_code, last_whatsapp_code
from tests.conftest import client_for, make_user

# Real commits: OTP messages go out on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+919876543210"
EMAIL = "user@example.com"


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, format="json")


# --- refresh ------------------------------------------------------------------------------------------------


def test_refresh_takes_refresh_as_another_name_for_refresh_token(api_client):
    refresh = tokens_issue(user=make_user())["refresh_token"]

    response = post(api_client, "/auth/refresh", {"refresh": refresh})

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["access_token"]
    assert data["refresh_token"] != refresh


def test_refresh_without_a_token_names_refresh_token(api_client):
    assert_error(post(api_client, "/auth/refresh", {}), 400, "INVALID_REQUEST", "refresh_token")


# --- send-otp / verify-otp --------------------------------------------------------------------------------


def test_send_otp_by_email_then_verify_otp_with_the_email(api_client):
    sent = post(api_client, "/auth/send-otp", {"email": EMAIL, "method": "email"})

    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert body["message"] == "OTP sent successfully via email"
    assert body["data"]["method"] == "email"
    assert body["data"]["otp_sent"] is True
    assert not sms.outbox

    response = post(api_client, "/auth/verify-otp", {"email": EMAIL, "otp": last_email_code(EMAIL)})

    assert response.status_code == 200, response.content
    user = response.json()["data"]["user"]
    assert user["email"] == EMAIL
    assert user["email_verified"] is True


def test_send_otp_with_an_email_and_no_method_sends_an_email(api_client):
    response = post(api_client, "/auth/send-otp", {"email": EMAIL})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["method"] == "email"
    assert last_email_code(EMAIL)


def test_send_otp_by_sms_with_method(api_client):
    response = post(api_client, "/auth/send-otp", {"phone": PHONE, "method": "sms"})

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "OTP sent successfully via sms"
    code = last_sms_code(PHONE)
    assert post(api_client, "/auth/verify-otp", {"phone": PHONE, "otp": code}).status_code == 200


def test_send_otp_by_whatsapp(api_client):
    response = post(api_client, "/auth/send-otp", {"phone": PHONE, "method": "whatsapp"})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["method"] == "whatsapp"
    code = last_whatsapp_code(PHONE)
    assert post(api_client, "/auth/verify-otp", {"phone": PHONE, "otp": code}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"email": EMAIL, "method": "sms"}, {"email": EMAIL, "method": "whatsapp"}, {"phone": PHONE, "method": "email"}],
)
def test_a_method_that_does_not_suit_the_contact_names_method(api_client, body):
    assert_error(post(api_client, "/auth/send-otp", body), 422, "VALIDATION_ERROR", "method")
    assert not sms.outbox


def test_send_otp_without_a_contact_names_phone(api_client):
    assert_error(post(api_client, "/auth/send-otp", {"method": "sms"}), 400, "INVALID_REQUEST", "phone")


def test_a_wrong_email_code_is_refused(api_client):
    post(api_client, "/auth/send-otp", {"email": EMAIL, "method": "email"})
    code = last_email_code(EMAIL)
    wrong = "000000" if code != "000000" else "111111"

    response = post(api_client, "/auth/verify-otp", {"email": EMAIL, "otp": wrong})

    assert response.status_code >= 400
    assert response.json()["success"] is False


def test_reset_password_by_email_through_send_otp(api_client):
    make_user(email=EMAIL)

    response = post(api_client, "/auth/send-otp", {"email": EMAIL, "method": "email", "purpose": "reset_password"})

    assert response.status_code == 200, response.content
    assert last_email_code(EMAIL)


# --- vendor sign-in ------------------------------------------------------------------------------------------


def test_vendor_send_otp_then_verify_otp_signs_the_partner_in(api_client):
    partner = make_user(Role.PARTNER, phone="+919876500011")

    sent = post(api_client, "/auth/vendor/send-otp", {"phone": partner.phone, "method": "sms"})
    assert sent.status_code == 200, sent.content

    response = post(
        api_client, "/auth/vendor/verify-otp", {"phone": partner.phone, "otp": last_sms_code(partner.phone)}
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["user"]["user_type"] == "PARTNER"
    assert data["access_token"]
    assert data["refresh_token"]
    assert "partner" in data


def test_vendor_verify_refuses_a_customer(api_client):
    customer = make_user(Role.CUSTOMER, phone="+919876500012")
    post(api_client, "/auth/vendor/send-otp", {"phone": customer.phone, "method": "sms"})

    response = post(
        api_client, "/auth/vendor/verify-otp", {"phone": customer.phone, "otp": last_sms_code(customer.phone)}
    )

    assert_error(response, 403, "WRONG_ACCOUNT_KIND")


def test_vendor_verify_takes_no_email(api_client):
    response = post(api_client, "/auth/vendor/verify-otp", {"email": EMAIL, "otp": "123456"})

    assert_error(response, 400, "INVALID_REQUEST", "phone")


# --- addresses -----------------------------------------------------------------------------------------------


OFFICE = {
    "label": "Office",
    "address_line": "456 Business Park, Floor 3",
    "city": "New Delhi",
    "state": "Delhi",
    "pincode": "110002",
    "lat": "28.7141",
    "lng": "77.1125",
    "is_default": False,
}


def test_an_address_with_label_and_address_line():
    owner = make_user()
    client: APIClient = client_for(owner)

    response = post(client, "/users/addresses", OFFICE)

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["name"] == "Office"
    assert data["address_line1"] == "456 Business Park, Floor 3"
    address = Address.objects.get(user=owner)
    assert (address.name, address.address_line1) == ("Office", "456 Business Park, Floor 3")


def test_patching_an_address_with_label():
    client = client_for(make_user())
    address_id = post(client, "/users/addresses", OFFICE).json()["data"]["id"]

    response = client.patch(f"/api/v1/users/addresses/{address_id}", {"label": "Work"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["name"] == "Work"


def test_an_address_without_a_label_names_name():
    client = client_for(make_user())
    body = {k: v for k, v in OFFICE.items() if k != "label"}

    assert_error(post(client, "/users/addresses", body), 400, "INVALID_REQUEST", "name")


def test_the_seeds_body_without_city_and_state_takes_them_from_the_pincode():
    client = client_for(make_user())
    body = {k: v for k, v in OFFICE.items() if k not in ("city", "state")} | {"pincode": "110001"}

    response = post(client, "/users/addresses", body)

    assert response.status_code == 201, response.content
    assert (response.json()["data"]["city"], response.json()["data"]["state"]) == ("New Delhi", "Delhi")


def test_city_and_state_are_required_for_a_pincode_the_platform_does_not_know():
    client = client_for(make_user())
    body = {k: v for k, v in OFFICE.items() if k != "city"} | {"pincode": "799999"}  # not in core/data/pincodes.csv

    assert_error(post(client, "/users/addresses", body), 400, "INVALID_REQUEST", "city")


def test_the_aliases_are_in_the_schema(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]

    assert "refresh" in components["RefreshInputRequest"]["properties"]
    assert {"email", "method"} <= set(components["SendOtpInputRequest"]["properties"])
    assert "email" in components["VerifyAnyOtpInputRequest"]["properties"]
    assert {"label", "address_line"} <= set(components["AddressInputRequest"]["properties"])
    assert "/api/v1/auth/vendor/send-otp" in schema["paths"]
    assert "/api/v1/auth/vendor/verify-otp" in schema["paths"]


def test_the_address_list_filters_by_is_default():
    client = client_for(make_user())
    home = post(client, "/users/addresses", {**OFFICE, "label": "Home", "is_default": True}).json()["data"]["id"]
    office = post(client, "/users/addresses", OFFICE).json()["data"]["id"]

    def ids(query: str) -> list[str]:
        response = client.get(f"/api/v1/users/addresses{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["data"]]

    assert ids("?is_default=true") == [home]
    assert ids("?isDefault=false") == [office]
    assert sorted(ids("")) == sorted([home, office])
    assert_error(client.get("/api/v1/users/addresses?is_default=maybe"), 422, "VALIDATION_ERROR", "is_default")
