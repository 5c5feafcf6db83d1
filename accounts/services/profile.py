"""Profile and contacts (seed 001 section 9; seed 004 profile and avatar).

A new email or phone becomes the account's only after an OTP sent to it is
verified (purposes ``change_email`` / ``change_phone``, bound to the
requesting user). The last contact method cannot be removed
(``LAST_CONTACT_METHOD``). Avatars are checked for size and for being a real
JPEG, PNG or WebP image (Pillow opens them), then stored through Django's
storage API; the replaced file is deleted after commit.

Seed 001's registrations (a resident, a vendor) act on the signed-in person's
own verified phone (:func:`own_phone`) and may fill in their name and email
(:func:`registration_details`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from PIL import Image, UnidentifiedImageError

from accounts.errors import AccountErrorCode
from accounts.models import OtpChannel, OtpPurpose, User
from accounts.services.otp import OtpSent, otp_resend, otp_send, otp_verify
from accounts.validators import normalize_email, normalize_phone
from core.errors import DomainError, ErrorCode
from core.types import Id

CONTACTS = {
    OtpChannel.EMAIL: ("email", "is_email_verified", OtpPurpose.CHANGE_EMAIL, AccountErrorCode.EMAIL_ALREADY_EXISTS),
    OtpChannel.SMS: ("phone", "is_phone_verified", OtpPurpose.CHANGE_PHONE, AccountErrorCode.PHONE_ALREADY_EXISTS),
}
AVATAR_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def profile_update(
    *,
    user: User,
    full_name: str | None = None,
    photo_url: str | None = None,
    preferences: dict[str, str] | None = None,
) -> User:
    """Name, external photo and display preferences; preferences merge into the stored ones."""
    fields = ["updated_at"]
    if preferences:
        user.preferences = {**user.preferences, **preferences}
        fields.append("preferences")
    if full_name is not None:
        user.full_name = full_name.strip()
        fields.append("full_name")
    if photo_url is not None:
        user.photo_url = photo_url
        fields.append("photo_url")
    user.save(update_fields=fields)
    return user


def _taken(channel: OtpChannel, value: str, user: User) -> DomainError | None:
    field, _, _, code = CONTACTS[channel]
    if User.objects.filter(**{field: value}).exclude(pk=user.pk).exists():
        kind = "email" if channel == OtpChannel.EMAIL else "phone number"
        return DomainError(
            f"This {kind} is already registered with another account.",
            code=code,
            field=f"new_{field}",
            reason="already_exists",
        )
    return None


def contact_change_request(*, user: User, channel: OtpChannel, value: str) -> OtpSent:
    field, _, purpose, _ = CONTACTS[channel]
    if getattr(user, field) == value:
        raise DomainError(
            f"This is already your {field}.", code=ErrorCode.VALIDATION_ERROR, field=f"new_{field}", reason="unchanged"
        )
    conflict = _taken(channel, value, user)
    if conflict:
        raise conflict
    return otp_send(channel=channel, destination=value, purpose=purpose, user=user)


def contact_change_verify(*, user: User, channel: OtpChannel, verification_id: Id, code: str) -> User:
    field, flag, purpose, _ = CONTACTS[channel]
    otp = otp_verify(code=code, purpose=purpose, otp_id=verification_id, user=user, error_status=400)
    conflict = _taken(channel, otp.destination, user)
    if conflict:
        raise conflict
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            setattr(locked, field, otp.destination)
            setattr(locked, flag, True)
            locked.save(update_fields=[field, flag, "updated_at"])
    except IntegrityError as exc:  # taken by another account between the check and the write
        raise _taken(channel, otp.destination, user) or DomainError("Contact already in use.") from exc
    return locked


def contact_resend(*, user: User, verification_id: Id, channel: OtpChannel | None = None) -> OtpSent:
    purposes = (CONTACTS[channel][2],) if channel else (OtpPurpose.CHANGE_EMAIL, OtpPurpose.CHANGE_PHONE)
    return otp_resend(otp_id=verification_id, user=user, purposes=purposes)


def contact_remove(*, user: User, channel: OtpChannel) -> User:
    field, flag, _, _ = CONTACTS[channel]
    other_field = "phone" if field == "email" else "email"
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not getattr(locked, other_field):
            raise DomainError(
                "Cannot remove last contact method. Please add another contact before removing this one.",
                code=AccountErrorCode.LAST_CONTACT_METHOD,
                field=field,
                reason="last_contact_method",
                extra={"current_contacts": {"email": locked.email, "phone": locked.phone}},
            )
        setattr(locked, field, None)
        setattr(locked, flag, False)
        locked.save(update_fields=[field, flag, "updated_at"])
    return locked


def _invalid_file(message: str, reason: str) -> DomainError:
    return DomainError(message, code=AccountErrorCode.INVALID_FILE, field="avatar", reason=reason)


def avatar_upload(*, user: User, upload: UploadedFile) -> User:
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise _invalid_file(f"The image is larger than {settings.AVATAR_MAX_BYTES // (1024 * 1024)} MB.", "too_large")
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _invalid_file("The file is not an image we can read.", "not_an_image") from exc
    if image_format not in AVATAR_FORMATS:
        raise _invalid_file("Upload a JPEG, PNG or WebP image.", "unsupported_type")
    upload.seek(0)
    old_name = user.photo.name if user.photo else None
    with transaction.atomic():
        user.photo.save(f"{user.pk}.{AVATAR_FORMATS[image_format]}", upload, save=False)
        user.save(update_fields=["photo", "updated_at"])
        if old_name and old_name != user.photo.name:
            storage = user.photo.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return user


def own_phone(user: User, phone: str | None) -> str:
    """The caller's verified phone; a request naming another phone is refused (403), so nobody registers,
    or reads a roster, for a number they have not verified."""
    if not user.phone or not user.is_phone_verified:
        raise DomainError(
            "Verify your phone number first (send-otp, verify-otp).",
            code=ErrorCode.FORBIDDEN,
            field="phone",
            reason="phone_not_verified",
        )
    try:
        given = normalize_phone(phone) if phone else None
    except ValidationError:
        given = phone
    if given is not None and given != user.phone:
        raise DomainError(
            "You can only use the phone number you signed in with.",
            code=ErrorCode.FORBIDDEN,
            field="phone",
            reason="not_your_phone",
        )
    return user.phone


def registration_details(*, user: User, full_name: str | None = None, email: str | None = None) -> None:
    """Fill in a registering person's name and email (an email on another account is 409); in the caller's
    transaction."""
    fields = []
    if full_name and full_name.strip():
        user.full_name = full_name.strip()[:150]
        fields.append("full_name")
    email = normalize_email(email)
    if email and email != user.email:
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise DomainError(
                "This email belongs to another account.", code=AccountErrorCode.EMAIL_ALREADY_EXISTS, field="email"
            )
        user.email, user.is_email_verified = email, False
        fields += ["email", "is_email_verified"]
    if fields:
        user.save(update_fields=[*fields, "updated_at"])
