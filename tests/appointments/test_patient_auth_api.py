"""Seed 003 ``/patient-auth/...``: the platform's phone OTP sign-in in the seed's shape, keeping the sent name."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import OtpVerification, PatientProfile, User
from accounts.roles import Role
from notifications import sms
from notifications.backends import DeliveryFailed, whatsapp_outbox
from notifications.models import Delivery
from tests.accounts.helpers import assert_error, last_sms_code, last_whatsapp_code
from tests.appointments import builders

pytestmark = pytest.mark.django_db(transaction=True)  # codes are sent at commit, as in tests/accounts

BASE = "/api/v1/patient-auth"
PHONE = "+919700011122"


def send(client, phone=PHONE, **body):
    return client.post(f"{BASE}/send-otp", {"phone": phone, **body}, format="json")


def verify(client, phone=PHONE, otp=None):
    return client.post(f"{BASE}/verify-otp", {"phone": phone, "otp": otp or last_whatsapp_code(phone)}, format="json")


def test_a_new_patient_signs_up_with_the_name_sent_with_the_code():
    client = APIClient()

    sent = send(client, fullName="Jane Smith")
    signed = verify(client)

    assert sent.status_code == 200, sent.content
    assert (sent.json()["data"]["phone"], sent.json()["data"]["channel"]) == (PHONE, "whatsapp")
    assert sent.json()["data"]["expires_in"] == 300
    assert signed.status_code == 200, signed.content
    data = signed.json()["data"]
    user = User.objects.get(phone=PHONE)
    assert data["patient"] == {
        "id": str(user.pk),
        "full_name": "Jane Smith",
        "phone": PHONE,
        "email": None,
        "is_new_user": True,
    }
    assert data["access_token"]
    assert data["refresh_token"]
    assert user.has_role(Role.CUSTOMER)
    assert user.is_phone_verified


def test_an_existing_patient_signs_in_and_keeps_their_own_name():
    jane = builders.patient(full_name="Jane Smith", phone=PHONE)
    client = APIClient()
    send(client, fullName="Somebody Else")

    data = verify(client).json()["data"]

    assert (data["patient"]["id"], data["patient"]["is_new_user"]) == (str(jane.pk), False)
    jane.refresh_from_db()
    assert jane.full_name == "Jane Smith"


def test_me_refresh_and_logout_under_the_patient_path():
    client = APIClient()
    send(client, fullName="Jane Smith")
    tokens = verify(client).json()["data"]
    user = User.objects.get(phone=PHONE)
    PatientProfile.objects.create(user=user, gender="FEMALE", blood_group="O+", emergency_contact_name="John")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")

    me = client.get(f"{BASE}/me").json()["data"]
    refreshed = client.post(f"{BASE}/refresh-token", {"refreshToken": tokens["refresh_token"]}, format="json")
    new_refresh = refreshed.json()["data"]["refresh_token"]
    logged_out = client.post(f"{BASE}/logout", {"refreshToken": new_refresh}, format="json")
    reused = client.post(f"{BASE}/refresh-token", {"refreshToken": new_refresh}, format="json")

    assert (me["full_name"], me["gender"], me["blood_group"], me["emergency_contact_name"]) == (
        "Jane Smith",
        "FEMALE",
        "O+",
        "John",
    )
    assert refreshed.status_code == 200, refreshed.content
    assert logged_out.status_code == 200, logged_out.content
    assert reused.status_code == 401, reused.content


def test_a_wrong_code_is_refused_and_creates_no_account():
    client = APIClient()
    send(client, fullName="Jane Smith")
    wrong = "000000" if last_whatsapp_code(PHONE) != "000000" else "111111"

    assert_error(verify(client, otp=wrong), 401, "INVALID_OTP", field="otp")
    assert not User.objects.filter(phone=PHONE).exists()


class BrokenWhatsApp:
    """A WhatsApp provider that refuses every message (the number is not on WhatsApp)."""

    provider = "broken-whatsapp"

    def send(self, message):
        raise DeliveryFailed("not a WhatsApp number", retryable=False, provider=self.provider)


def test_the_code_goes_over_whatsapp_and_by_sms_when_whatsapp_cannot_deliver_it(settings):
    assert send(APIClient(), fullName="Jane Smith").status_code == 200
    assert [m.to for m in whatsapp_outbox] == [PHONE]
    assert not [m for m in sms.outbox if m.to == PHONE]

    settings.WHATSAPP_BACKEND = f"{__name__}.BrokenWhatsApp"
    other = "+919812345670"
    client = APIClient()
    assert send(client, phone=other, fullName="Ravi").status_code == 200
    signed = client.post(f"{BASE}/verify-otp", {"phone": other, "otp": last_sms_code(other)}, format="json")

    assert signed.status_code == 200, signed.content
    failed, texted = Delivery.objects.filter(destination=other).order_by("created_at")
    assert (failed.channel, failed.status, texted.channel, texted.status) == ("whatsapp", "failed", "sms", "sent")
    assert last_sms_code(other) not in failed.body + texted.body  # the log keeps masked copies only


def test_a_bad_phone_is_422_and_sends_nothing():
    before = len(sms.outbox) + len(whatsapp_outbox)
    assert_error(send(APIClient(), phone="12345"), 422, "INVALID_PHONE_NUMBER", field="phone")
    assert len(sms.outbox) + len(whatsapp_outbox) == before
    assert not OtpVerification.objects.exists()


def test_a_second_code_within_the_cooldown_is_429():
    client = APIClient()
    send(client, fullName="Jane Smith")
    assert_error(send(client, fullName="Jane Smith"), 429, "TOO_MANY_REQUESTS")
