"""Profile and contact management (seed 001 section 9) and seed 004's profile and avatar."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from accounts.models import OtpVerification, User
from accounts.roles import Role
from core import ratelimit
from tests.accounts.helpers import assert_error, last_email_code, last_sms_code
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(db):
    return make_user(Role.CUSTOMER, email="owner@example.com", phone="+919876511111", full_name="Ramesh Kumar")


@pytest.fixture
def client(owner):
    return client_for(owner)


def url(user, tail):
    return f"/api/v1/users/{user.pk}/{tail}"


def test_get_own_profile(client, owner, django_assert_max_num_queries):
    # user for the token + user with groups (2) + session-free: at most 4 queries, plus the bookings app's
    # sections (seed 004: the loyalty balance and the bookings count, one query each)
    with django_assert_max_num_queries(6):
        response = client.get(url(owner, "profile"))

    data = response.json()["data"]
    assert data["user_id"] == str(owner.pk)
    assert data["phone_verified"] is False
    assert data["email"] == "owner@example.com"
    assert data["needs_contact_update"] is False
    assert data["first_name"] == "Ramesh"


def test_profile_without_contacts_asks_for_one():
    user = User.objects.create_user(telegram_id="42", full_name="Priya Sharma")

    data = client_for(user).get(url(user, "profile")).json()["data"]

    assert data["needs_contact_update"] is True
    assert data["message"] == "Please add email or phone for better account security"


def test_someone_elses_profile_is_forbidden(client):
    other = make_user(Role.CUSTOMER)

    assert_error(client.get(url(other, "profile")), 403, "FORBIDDEN")
    assert_error(client.put(url(other, "profile"), {"full_name": "X"}, format="json"), 403, "FORBIDDEN")


def test_unknown_user_is_not_found(client):
    assert_error(client.get("/api/v1/users/00000000-0000-0000-0000-000000000000/profile"), 404, "NOT_FOUND")


def test_update_profile(client, owner):
    response = client.put(
        url(owner, "profile"),
        {"full_name": "Ramesh Kumar Sharma", "profile_photo_url": "https://cdn.example.com/p.jpg"},
        format="json",
    )

    data = response.json()["data"]
    assert data["full_name"] == "Ramesh Kumar Sharma"
    assert data["profile_photo_url"] == "https://cdn.example.com/p.jpg"


def test_seed_004_profile_put_with_camel_case(client, owner):
    response = client.put(
        "/api/v1/users/profile",
        {"firstName": "John", "lastName": "Smith", "preferences": {"language": "hi", "currency": "INR"}},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["data"]["full_name"] == "John Smith"
    profile = client.get("/api/v1/users/profile").json()["data"]
    assert profile["member_since"]
    assert profile["preferences"] == {"language": "hi", "currency": "INR"}
    assert profile["profile_complete"] is True


def test_bad_preferences_are_refused(client, owner):
    response = client.put("/api/v1/users/profile", {"preferences": {"currency": "rupees"}}, format="json")

    assert_error(response, 422, "VALIDATION_ERROR", "preferences.currency")


def test_profile_put_cannot_change_a_contact_without_an_otp(client, owner):
    response = client.put("/api/v1/users/profile", {"phoneNumber": "+919800000000"}, format="json")

    error = assert_error(response, 422, "VALIDATION_ERROR", "phone_number")
    assert error["details"]["reason"] == "verification_required"


def test_change_email_with_an_otp_sent_to_the_new_address(client, owner):
    started = client.post(url(owner, "update-email"), {"new_email": "New@Example.com"}, format="json")
    verification_id = started.json()["data"]["verification_id"]

    done = client.post(
        url(owner, "verify-email"),
        {"verification_id": verification_id, "otp": last_email_code("new@example.com")},
        format="json",
    )

    assert started.json()["data"]["masked_email"] == "n****w@example.com"
    assert started.json()["data"]["next_step"] == "verify_email_otp"
    assert done.status_code == 200, done.content
    assert done.json()["data"]["email"] == "new@example.com"
    assert done.json()["data"]["email_verified"] is True


def test_change_phone_with_an_otp(client, owner):
    started = client.post(url(owner, "update-phone"), {"new_phone": "+919876522222"}, format="json")

    done = client.post(
        url(owner, "verify-phone"),
        {"verification_id": started.json()["data"]["verification_id"], "otp": last_sms_code("+919876522222")},
        format="json",
    )

    assert done.json()["data"]["phone"] == "+919876522222"
    assert done.json()["data"]["phone_verified"] is True


def test_new_email_used_by_another_account_is_a_conflict(client, owner):
    make_user(email="taken@example.com")

    response = client.post(url(owner, "update-email"), {"new_email": "taken@example.com"}, format="json")

    assert_error(response, 409, "EMAIL_ALREADY_EXISTS", "new_email")


def test_new_phone_used_by_another_account_is_a_conflict(client, owner):
    make_user(phone="+919876533333")

    response = client.post(url(owner, "update-phone"), {"new_phone": "+919876533333"}, format="json")

    assert_error(response, 409, "PHONE_ALREADY_EXISTS", "new_phone")


def test_wrong_contact_otp_answers_attempts_remaining(client, owner):
    verification_id = client.post(url(owner, "update-email"), {"new_email": "n@example.com"}, format="json").json()[
        "data"
    ]["verification_id"]
    wrong = "000000" if last_email_code("n@example.com") != "000000" else "111111"

    response = client.post(
        url(owner, "verify-email"), {"verification_id": verification_id, "otp": wrong}, format="json"
    )

    error = assert_error(response, 400, "INVALID_OTP", "otp")
    assert error["details"]["attempts_remaining"] == 2
    assert error["details"]["can_resend"] is True
    owner.refresh_from_db()
    assert owner.email == "owner@example.com"


def test_expired_contact_otp(client, owner):
    verification_id = client.post(url(owner, "update-phone"), {"new_phone": "+919876544444"}, format="json").json()[
        "data"
    ]["verification_id"]
    OtpVerification.objects.filter(id=verification_id).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(
        url(owner, "verify-phone"),
        {"verification_id": verification_id, "otp": last_sms_code("+919876544444")},
        format="json",
    )

    assert_error(response, 400, "OTP_EXPIRED", "otp")


def test_someone_elses_verification_id_is_refused(client, owner):
    other = make_user()
    other_id = (
        client_for(other)
        .post(url(other, "update-email"), {"new_email": "o@example.com"}, format="json")
        .json()["data"]["verification_id"]
    )

    response = client.post(
        url(owner, "verify-email"),
        {"verification_id": other_id, "otp": last_email_code("o@example.com")},
        format="json",
    )

    assert_error(response, 400, "INVALID_OTP", "otp_id")


def test_resend_has_a_cooldown_then_sends_a_new_code(client, owner):
    verification_id = client.post(url(owner, "update-email"), {"new_email": "r@example.com"}, format="json").json()[
        "data"
    ]["verification_id"]
    first_code = last_email_code("r@example.com")

    too_soon = client.post(
        url(owner, "resend-verification-otp"), {"verification_id": verification_id, "type": "EMAIL"}, format="json"
    )
    ratelimit.release_cooldown("otp-cooldown", "r@example.com")
    resent = client.post(
        url(owner, "resend-verification-otp"), {"verification_id": verification_id, "type": "EMAIL"}, format="json"
    )
    stale = client.post(
        url(owner, "verify-email"), {"verification_id": verification_id, "otp": first_code}, format="json"
    )
    fresh = client.post(
        url(owner, "verify-email"),
        {"verification_id": verification_id, "otp": last_email_code("r@example.com")},
        format="json",
    )

    error = assert_error(too_soon, 429, "TOO_MANY_REQUESTS")
    assert error["details"]["retry_after_seconds"] > 0
    assert error["details"]["can_resend_after"]
    assert resent.json()["data"]["masked_contact"] == "r****@example.com"
    if first_code != last_email_code("r@example.com"):
        assert stale.status_code == 400
    assert fresh.status_code == 200


def test_remove_a_contact(client, owner):
    response = client.delete(url(owner, "contact/email"))

    assert response.status_code == 200
    assert response.json()["message"] == "Email removed successfully"
    assert response.json()["data"]["email"] is None


def test_the_last_contact_cannot_be_removed(client, owner):
    client.delete(url(owner, "contact/email"))

    response = client.delete(url(owner, "contact/phone"))

    error = assert_error(response, 422, "LAST_CONTACT_METHOD", "phone")
    assert error["details"]["current_contacts"] == {"email": None, "phone": "+919876511111"}


def test_unknown_contact_type(client, owner):
    assert_error(client.delete(url(owner, "contact/fax")), 404, "NOT_FOUND", "type")


def image_bytes(fmt="PNG", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    buffer.seek(0)
    buffer.name = f"a.{fmt.lower()}"
    return buffer


def test_avatar_upload_stores_the_image(client, owner):
    response = client.post("/api/v1/users/avatar", {"avatar": image_bytes()}, format="multipart")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["avatar_url"].endswith(".png")
    owner.refresh_from_db()
    assert owner.photo.name.startswith("avatars/")
    assert owner.photo.storage.exists(owner.photo.name)


def test_avatar_that_is_not_an_image_is_refused(client):
    fake = io.BytesIO(b"#!/bin/sh\necho not an image\n")
    fake.name = "evil.png"

    response = client.post("/api/v1/users/avatar", {"avatar": fake}, format="multipart")

    assert_error(response, 422, "INVALID_FILE", "avatar")


def test_avatar_of_an_unsupported_type_is_refused(client):
    response = client.post("/api/v1/users/avatar", {"avatar": image_bytes("GIF")}, format="multipart")

    error = assert_error(response, 422, "INVALID_FILE", "avatar")
    assert error["details"]["reason"] == "unsupported_type"


def test_avatar_too_large_is_refused(client, settings):
    settings.AVATAR_MAX_BYTES = 100

    response = client.post("/api/v1/users/avatar", {"avatar": image_bytes(size=(64, 64))}, format="multipart")

    error = assert_error(response, 422, "INVALID_FILE", "avatar")
    assert error["details"]["reason"] == "too_large"


def test_avatar_needs_multipart(client):
    response = client.post("/api/v1/users/avatar", {"avatar": "x"}, format="json")

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")
