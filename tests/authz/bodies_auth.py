"""Valid bodies for the sign-in, account, staff-admin and service endpoints (merged into tests/authz/bodies.py).

A body here may write inside the call's savepoint (test_mass_assignment builds each body there): a fresh OTP
whose code it knows, a refresh token, a person with a password, a pending request to decide. Each call gets
fresh contacts (phone numbers, emails), so the second call of a case is not stopped by the first one's
one-per-minute OTP limit. A key starting with ``HTTP_`` is a request header, not a field (``send`` takes it out);
``HTTP_AUTHORIZATION`` replaces the caller's own token (a service token, or another person's). The outside
services these routes call (Google's certificates, Facebook's Graph API) are faked by :func:`providers`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from typing import Any

import responses
from django.utils import timezone
from google.auth import crypt
from google.auth import jwt as google_jwt

from accounts.models import OtpChannel, OtpPurpose, OtpVerification, User
from accounts.roles import Role
from accounts.services.otp import _code_hash
from accounts.services.tokens import tokens_issue
from partners.models import OnboardingStatus, Partner, PartnerEarning
from societies.models import ApprovalStatus, HierarchyNode, VendorAccess
from tests.accounts.helpers import self_signed_key, telegram_widget
from tests.authz.world import World
from tests.conftest import make_user

Body = Callable[[World], dict[str, Any]]
V = "api/v1/"
CODE = "424242"
PASSWORD = "correct-horse-battery"  # every factory-made person's password (tests/factories.py)
NEW_PASSWORD = "a-new-Passw0rd-for-authz"
SERVICE_TOKEN = "authz-internal-token"
BOT_TOKEN = "123456:authz-bot-token"
WEBHOOK_SECRET = "authz-webhook-secret"
GOOGLE_CLIENT = "authz.apps.googleusercontent.com"
GOOGLE_CERTS = "https://www.googleapis.com/oauth2/v1/certs"
GRAPH = "https://graph.facebook.com/v19.0"


def _phone() -> str:
    return f"+9197{uuid.uuid4().int % 10**8:08d}"


def _email() -> str:
    return f"authz-{uuid.uuid4().hex[:12]}@example.com"


def _otp(destination: str, *, purpose: str = OtpPurpose.LOGIN, user: User | None = None) -> OtpVerification:
    """An OTP as otp_send stores it, whose code is CODE."""
    now = timezone.now()
    channel = OtpChannel.EMAIL if "@" in destination else OtpChannel.SMS
    otp = OtpVerification(
        id=uuid.uuid4(),
        channel=channel,
        destination=destination,
        purpose=purpose,
        expires_at=now + timedelta(minutes=5),
        last_sent_at=now,
        user=user,
    )
    otp.code_hash = _code_hash(otp.id, CODE)
    otp.save()
    return otp


def _bearer(user: User) -> str:
    return f"Bearer {tokens_issue(user=user)['access_token']}"


# --- the outside world -----------------------------------------------------------------------------------------


@cache
def _google_key() -> tuple[str, str]:
    return self_signed_key("authz-google")


def _google_token() -> str:
    now = int(time.time())
    claims = {
        "iss": "https://accounts.google.com",
        "aud": GOOGLE_CLIENT,
        "sub": str(uuid.uuid4().int)[:20],
        "email": _email(),
        "email_verified": True,
        "name": "Gee User",
        "iat": now,
        "exp": now + 600,
    }
    return google_jwt.encode(crypt.RSASigner.from_string(_google_key()[0], key_id="authz-1"), claims).decode()


@contextmanager
def providers(settings: Any) -> Iterator[None]:
    """Turn on the services these routes need (the internal API's token, the Telegram bot, Google and Facebook
    sign-in) and answer Google's and Facebook's HTTP calls with a fake; any other outside call fails as before."""
    settings.INTERNAL_API_TOKEN = SERVICE_TOKEN
    settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_WEBHOOK_SECRET = BOT_TOKEN, WEBHOOK_SECRET
    settings.GOOGLE_CLIENT_IDS = [GOOGLE_CLIENT]
    settings.FACEBOOK_APP_ID, settings.FACEBOOK_APP_SECRET = "4242", "authz-fb-secret"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as fake:
        fake.get(GOOGLE_CERTS, json={"authz-1": _google_key()[1]})
        fake.get(f"{GRAPH}/debug_token", json={"data": {"is_valid": True, "app_id": "4242", "user_id": "555"}})
        fake.get(f"{GRAPH}/me", json={"id": "555", "name": "Fay Book", "email": "fay.authz@example.com"})
        yield


# --- bodies ----------------------------------------------------------------------------------------------------


def _verify_phone(w: World, who: str | None = None) -> dict[str, Any]:
    phone = w.users[who].phone if who else _phone()
    otp = _otp(phone)
    return {"phone": phone, "otp": CODE, "otp_id": str(otp.id)}


def _verify_email(w: World) -> dict[str, Any]:
    email = _email()
    otp = _otp(email)
    return {"email": email, "otp": CODE, "otp_id": str(otp.id)}


def _reset(w: World) -> dict[str, Any]:
    person = make_user(Role.CUSTOMER, email=_email())
    otp = _otp(person.email, purpose=OtpPurpose.RESET_PASSWORD, user=person)
    return {"email": person.email, "otp": CODE, "otp_id": str(otp.id), "new_password": NEW_PASSWORD}


def _set_password(w: World) -> dict[str, Any]:
    person = make_user(Role.CUSTOMER, email=_email(), password=None)  # signed up by OTP: no password yet
    return {"HTTP_AUTHORIZATION": _bearer(person), "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}


def _staff_username(w: World) -> dict[str, Any]:
    User.objects.filter(pk=w.users["FD"].pk).update(username="authz.desk")
    return {"username": "authz.desk", "password": PASSWORD}


def _contact_change(w: World, channel: str) -> dict[str, Any]:
    c1 = w.users["c1"]
    if channel == "email":
        otp = _otp(_email(), purpose=OtpPurpose.CHANGE_EMAIL, user=c1)
    else:
        otp = _otp(_phone(), purpose=OtpPurpose.CHANGE_PHONE, user=c1)
    return {"verification_id": str(otp.id), "otp": CODE}


def _telegram_update(w: World) -> dict[str, Any]:
    update = uuid.uuid4().int % 10**9
    message = {"message_id": 1, "date": int(time.time()), "chat": {"id": 777, "type": "private"}, "text": "/start"}
    return {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": WEBHOOK_SECRET, "update_id": update, "message": message}


def _earned(w: World) -> None:
    PartnerEarning.objects.filter(partner=w.objects["p1"]).update(payout=None)  # earned, not paid out yet


def _vendor_asks(w: World) -> None:
    access = VendorAccess.objects.filter(partner=w.objects["v1"], society=w.objects["s1"])
    access.update(approval_status=ApprovalStatus.PENDING)


def _vendor_submitted(w: World) -> None:
    Partner.objects.filter(pk=w.objects["v1"].pk).update(onboarding_status=OnboardingStatus.SUBMITTED)


def _roster(w: World) -> dict[str, Any]:
    unit = HierarchyNode.objects.get(society=w.objects["s1"], node_code="A-003")
    return {"rows": [{"phone": _phone(), "unit_node_id": unit.pk, "suggested_name": "New Neighbour"}]}


def _staff(role: str | None = None) -> Body:
    def body(w: World) -> dict[str, Any]:
        made = {"full_name": "New Staff", "email": _email(), "password": NEW_PASSWORD}
        return {**made, "role": role} if role else made

    return body


AUTH_BODIES: dict[tuple[str, str], Body] = {
    # sign-in and passwords
    (V + "auth/login", "POST"): lambda w: {"email": w.users["c1"].email, "password": PASSWORD},
    (V + "admin/auth/login", "POST"): lambda w: {"email": w.users["SA"].email, "password": PASSWORD},
    (V + "auth/login/phone-password", "POST"): lambda w: {"phone": w.users["FD"].phone, "password": PASSWORD},
    (V + "auth/login/username-password", "POST"): _staff_username,
    (V + "auth/login/phone-otp", "POST"): lambda w: _verify_phone(w, "FD"),
    (V + "auth/vendor/verify-otp", "POST"): lambda w: _verify_phone(w, "p1"),
    (V + "partner/auth/login", "POST"): lambda w: _verify_phone(w, "p1"),
    (V + "auth/verify-otp", "POST"): _verify_phone,
    (V + "patient-auth/verify-otp", "POST"): lambda w: {k: v for k, v in _verify_phone(w).items() if k != "otp_id"},
    (V + "auth/verify-email-otp", "POST"): _verify_email,
    (V + "auth/send-otp", "POST"): lambda w: {"phone": _phone()},
    (V + "auth/vendor/send-otp", "POST"): lambda w: {"phone": _phone()},
    (V + "auth/send-email-otp", "POST"): lambda w: {"email": _email()},
    (V + "patient-auth/send-otp", "POST"): lambda w: {"phone": _phone(), "full_name": "Pat Ient"},
    (V + "auth/register", "POST"): lambda w: {"email": _email(), "password": NEW_PASSWORD, "full_name": "New Person"},
    (V + "auth/forgot-password", "POST"): lambda w: {"email": make_user(Role.CUSTOMER, email=_email()).email},
    (V + "auth/reset-password", "POST"): _reset,
    (V + "auth/set-password", "POST"): _set_password,
    (V + "auth/change-password", "POST"): lambda w: {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    (V + "auth/refresh", "POST"): lambda w: {"refresh_token": tokens_issue(user=w.users["c1"])["refresh_token"]},
    (V + "auth/refresh-token", "POST"): lambda w: {"refresh_token": tokens_issue(user=w.users["c1"])["refresh_token"]},
    (V + "patient-auth/refresh-token", "POST"): lambda w: {
        "refresh_token": tokens_issue(user=w.users["c1"])["refresh_token"]
    },
    (V + "admin/auth/refresh-token", "POST"): lambda w: {
        "refresh_token": tokens_issue(user=w.users["SA"])["refresh_token"]
    },
    (V + "auth/telegram", "POST"): lambda w: telegram_widget(BOT_TOKEN, id=str(uuid.uuid4().int % 10**9)),
    (V + "auth/oauth/google", "POST"): lambda w: {"id_token": _google_token()},
    (V + "auth/oauth/facebook", "POST"): lambda w: {"access_token": "authz-user-token"},
    # a person's own contacts
    (V + "users/<uuid:user_id>/update-email", "POST"): lambda w: {"new_email": _email()},
    (V + "users/<uuid:user_id>/update-phone", "POST"): lambda w: {"new_phone": _phone()},
    (V + "users/<uuid:user_id>/verify-email", "POST"): lambda w: _contact_change(w, "email"),
    (V + "users/<uuid:user_id>/verify-phone", "POST"): lambda w: _contact_change(w, "phone"),
    (V + "users/<uuid:user_id>/resend-verification-otp", "POST"): lambda w: _contact_change(w, "phone"),
    # staff: the back office
    (V + "admin-dashboard/notifications", "POST"): lambda w: {"action": "send_reminders"},
    (V + "admin/notifications/stats", "POST"): lambda w: {"action": "send_reminders"},
    (V + "admin/notifications/broadcast", "POST"): lambda w: {"segment": "all_staff", "title": "Hi", "message": "Hi"},
    (V + "admin/settings", "PUT"): lambda w: {"otp_expiry_minutes": 6},
    (V + "admin/settings", "PATCH"): lambda w: {"otp_expiry_minutes": 6},
    (V + "admin/webhooks", "POST"): lambda w: {"url": "https://hooks.example.com/authz", "events": []},
    (V + "admin/staff", "POST"): _staff("support"),
    (V + "admin/staff/care-coordinators", "POST"): _staff(),
    (V + "admin/staff/centre-managers", "POST"): _staff(),
    (V + "admin/staff/managers", "POST"): _staff(),
    (V + "admin/bookings/<uuid:booking_id>/assign-partner", "POST"): lambda w: {
        "partner_id": str(w.objects["p1"].pk),
        "force": True,
    },
    (V + "admin/bookings/<uuid:booking_id>/cancel", "POST"): lambda w: {"reason": "The customer called"},
    (V + "admin/bookings/<uuid:booking_id>/refund", "POST"): lambda w: {"amount": "100.00", "reason": "Late"},
    (V + "admin/bookings/<uuid:booking_id>/status", "PATCH"): lambda w: {"status": "in_progress"},
    (V + "admin/partners", "POST"): lambda w: {
        "name": "New Partner",
        "phone_number": _phone(),
        "service_categories": ["AUTHZ"],
        "service_tiers": ["Minimal"],
    },
    (V + "admin/partners/<uuid:partner_id>/verify", "POST"): lambda w: {"onboarding_status": "verified"},
    (V + "admin/payouts", "POST"): lambda w: {"partner_id": str(w.objects["p1"].pk)},
    (V + "admin/payouts/<uuid:payout_id>/fail", "POST"): lambda w: {"failure_reason": "The bank refused it"},
    (V + "admin/platform/vendors/<uuid:vendor_id>/verify", "POST"): lambda w: {"action": "APPROVE"},
    (V + "admin/societies", "POST"): lambda w: {
        "name": "Green Park",
        "society_type": "APARTMENT",
        "city": "Kolkata",
        "pincode": "700091",
    },
    (V + "admin/society/<int:society_id>/roster", "POST"): _roster,
    (V + "admin/society/<int:society_id>/vendors/<uuid:vendor_id>/approve", "POST"): lambda w: {"action": "APPROVE"},
    # staff: the clinic
    (V + "centres", "POST"): lambda w: {"name": "North Centre", "city": "Kolkata"},
    (V + "clinicians", "POST"): lambda w: {"full_name": "Dr New", "phone": _phone(), "consultation_fee": "800.00"},
    (V + "patients", "POST"): lambda w: {"full_name": "Pat Ient", "phone": _phone()},
    # services
    (V + "internal/bookings/<uuid:booking_id>/assign-partner", "POST"): lambda w: {
        "HTTP_AUTHORIZATION": f"Bearer {SERVICE_TOKEN}",
        "force": True,
    },
    (V + "telegram/webhook", "POST"): _telegram_update,
}

# The state an action needs (run in each case's savepoint before the "before" snapshot; see bodies_state.PREPARE).
AUTH_PREPARE: dict[tuple[str, str], Callable[[World], None]] = {
    (V + "admin/payouts", "POST"): _earned,
    (V + "admin/platform/vendors/<uuid:vendor_id>/verify", "POST"): _vendor_submitted,
    (V + "admin/society/<int:society_id>/vendors/<uuid:vendor_id>/approve", "POST"): _vendor_asks,
}
