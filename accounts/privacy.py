"""The accounts app's personal data (core.privacy): profile, addresses, patient profile; and its anonymiser.

The anonymiser keeps the row (bookings, payments and the ledger point at it) and blanks what identifies the
person: name, email, phone, username, avatar, social logins (Telegram, Google, Facebook ids), preferences,
addresses' lines and coordinates (the pincode, city and state stay: coarse, kept for statistics), the patient
profile's contacts and history, and every OTP row (theirs or sent to their phone or email). The account is made
inactive with an unusable password and every refresh token is blacklisted (``accounts.services.blocking``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import Address, OtpVerification, PatientProfile, User
from core import audit, privacy

PROFILE_FIELDS = (
    "id",
    "full_name",
    "email",
    "phone",
    "username",
    "photo_url",
    "preferences",
    "is_phone_verified",
    "is_email_verified",
    "telegram_id",
    "google_sub",
    "facebook_id",
    "last_login",
)
ADDRESS_FIELDS = (
    "id",
    "name",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "pincode",
    "lat",
    "lng",
    "place_id",
    "is_default",
    "created_at",
)
PATIENT_FIELDS = (
    "date_of_birth",
    "gender",
    "blood_group",
    "emergency_contact_name",
    "emergency_contact_phone",
    "medical_history",
)


def export(user: User) -> dict[str, Any]:
    """Three queries: the user, their addresses, their patient profile."""
    row = User.objects.filter(pk=user.pk).values(*PROFILE_FIELDS, "created_at").get()
    row["date_joined"] = row.pop("created_at")
    patient = PatientProfile.objects.filter(user_id=user.pk).values(*PATIENT_FIELDS).first()
    return {
        "profile": {**row, "roles": sorted(user.role_names), "patient_profile": patient},
        "addresses": list(Address.objects.filter(user_id=user.pk).order_by("created_at").values(*ADDRESS_FIELDS)),
    }


def anonymise(user: User) -> None:
    from accounts.services.blocking import end_sessions

    contacts = [value for value in (user.email, user.phone) if value]
    OtpVerification.objects.filter(Q(user_id=user.pk) | Q(destination__in=contacts)).delete()
    addresses = Address.objects.filter(user_id=user.pk)
    privacy.blank(addresses, name="", address_line1="", address_line2="", lat=None, lng=None, place_id="")
    addresses.update(is_default=False)
    privacy.blank(
        PatientProfile.objects.filter(user_id=user.pk),
        date_of_birth=None,
        emergency_contact_name="",
        emergency_contact_phone="",
        medical_history="",
    )
    if user.photo:
        user.photo.delete(save=False)
    privacy.blank(
        User.objects.filter(pk=user.pk),
        full_name=privacy.ANONYMISED_NAME,
        email=None,
        phone=None,
        username=None,
        photo="",
        photo_url="",
        telegram_id=None,
        google_sub=None,
        facebook_id=None,
        preferences={},
    )
    audit.erase_actor(user, name=privacy.ANONYMISED_NAME)
    User.objects.filter(pk=user.pk).update(
        is_phone_verified=False,
        is_email_verified=False,
        is_active=False,
        password=f"!{user.pk.hex}",  # Django's unusable-password prefix: no password ever matches
    )
    end_sessions(user)


def purge_old_otps() -> int:
    """Delete OTP rows created more than ``OTP_RETENTION_DAYS`` ago (a plain DELETE: concurrent runs agree)."""
    cutoff = timezone.now() - timedelta(days=settings.OTP_RETENTION_DAYS)
    deleted, _ = OtpVerification.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def register() -> None:
    privacy.register("accounts", export=export, anonymise=anonymise)
    privacy.register_retention("otps", purge_old_otps)
