"""Input validation and output shapes of the accounts API.

Input fields accept each seed's names: seed 001's ``phone``/``otp`` and seed
000's ``phone_number``/``otp_code`` (camelCase from seeds 003/004 is turned
into snake_case by the parser). Outputs carry the union of the seeds' user
fields, so a client written against any of them finds what it reads
(``id`` and ``user_id``, ``full_name`` and ``name``, ``phone`` and ``phone_number``).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts import profile_sections
from accounts.address_serializers import AddressInput as AddressInput
from accounts.address_serializers import AddressOutput as AddressOutput
from accounts.input_fields import LowerEmailField, OtpCodeField, PhoneField, aliased, require_one
from accounts.models import User
from accounts.roles import Role

# --- outputs -------------------------------------------------------------------------------


class UserOutput(serializers.Serializer):
    id = serializers.UUIDField()
    user_id = serializers.UUIDField(source="id")
    full_name = serializers.CharField()
    name = serializers.CharField(source="full_name")
    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    phone = serializers.CharField(allow_null=True)
    phone_number = serializers.CharField(source="phone", allow_null=True)
    phone_verified = serializers.BooleanField(source="is_phone_verified")
    email = serializers.EmailField(allow_null=True)
    email_verified = serializers.BooleanField(source="is_email_verified")
    is_verified = serializers.SerializerMethodField()
    username = serializers.CharField(allow_null=True)
    user_type = serializers.CharField()
    roles = serializers.SerializerMethodField()
    staff_role = serializers.CharField(allow_null=True)
    profile_photo_url = serializers.CharField(allow_null=True)
    has_password = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()
    telegram_id = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_first_name(self, user: User) -> str:
        return user.full_name.split(" ", 1)[0] if user.full_name else ""

    def get_last_name(self, user: User) -> str:
        parts = user.full_name.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""

    def get_is_verified(self, user: User) -> bool:
        return user.is_phone_verified or user.is_email_verified

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_names)

    def get_has_password(self, user: User) -> bool:
        return user.has_usable_password()


# Seed 001 9.1 plus seed 004's profile names; the sections other apps own come from ``profile_sections``.
class ProfileOutput(UserOutput, profile_sections.ProfileSectionsOutput):
    """A user's profile: account and contact details, avatar and preferences, with their active society,
    loyalty points and number of bookings."""

    avatar = serializers.CharField(source="profile_photo_url", allow_null=True)
    member_since = serializers.DateTimeField(source="created_at")
    preferences = serializers.DictField()
    profile_complete = serializers.SerializerMethodField()
    needs_contact_update = serializers.SerializerMethodField()

    def get_profile_complete(self, user: User) -> bool:
        return bool(user.full_name and (user.email or user.phone))

    def get_needs_contact_update(self, user: User) -> bool:
        return not (user.email or user.phone)


class TokensOutput(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
    token_type = serializers.CharField()


class SignInOutput(serializers.Serializer):
    user = UserOutput()
    tokens = TokensOutput()
    access_token = serializers.CharField(help_text="The same access token as in tokens.")  # seed 000 reads it here
    refresh_token = serializers.CharField()
    expires_in = serializers.IntegerField()
    is_new_user = serializers.BooleanField()
    requires_registration = serializers.BooleanField()
    temp_user_id = serializers.UUIDField(required=False, help_text="For a new user: the new account's id.")  # seed 001


OTP_METHODS = {"sms": "phone", "whatsapp": "phone", "email": "email"}  # method -> the contact it needs
OTP_METHOD_CHOICES = list(OTP_METHODS)


class OtpSentOutput(serializers.Serializer):
    otp_id = serializers.UUIDField()
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    sent_to = serializers.CharField()
    expires_at = serializers.DateTimeField()
    expires_in = serializers.IntegerField()
    retry_after = serializers.IntegerField()
    method = serializers.ChoiceField(  # seed 002 reads method and otp_sent
        choices=OTP_METHOD_CHOICES, required=False, help_text="How the code was sent."
    )
    otp_sent = serializers.BooleanField(required=False)


class RoleOutput(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like a Field attribute (the metaclass moves it)
    kind = serializers.ChoiceField(choices=["account", "staff"])
    permissions = serializers.ListField(child=serializers.CharField())


# --- inputs ----------------------------------------------------------------------------------


OTP_SEND_PURPOSES = ["login", "reset_password"]
OTP_LOGIN_PURPOSES = ["login"]


class SendOtpInput(serializers.Serializer):
    """A phone (SMS, or WhatsApp with ``method``) or an email; ``method`` must suit the contact sent."""

    phone = PhoneField(required=False)
    phone_number = PhoneField(required=False, help_text="Another name for phone.")  # seed 000's name
    email = LowerEmailField(required=False, help_text="Send the code by email instead of to a phone.")  # seed 002
    method = serializers.ChoiceField(  # seed 002
        choices=OTP_METHOD_CHOICES,
        required=False,
        help_text="sms or whatsapp (with phone), email (with email); by default SMS to a phone, else email.",
    )
    purpose = serializers.ChoiceField(choices=OTP_SEND_PURPOSES, default="login")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        aliased(attrs, "phone", "phone_number")
        require_one(attrs, "phone", "email")
        method = attrs.get("method")
        if method is None:
            attrs["method"] = "sms" if attrs.get("phone") else "email"
        elif not attrs.get(OTP_METHODS[method]):
            raise serializers.ValidationError(
                {"method": [f"The {method} method needs a {OTP_METHODS[method]}."]}, code="invalid"
            )
        return attrs


class SendEmailOtpInput(serializers.Serializer):
    email = LowerEmailField()
    purpose = serializers.ChoiceField(choices=OTP_SEND_PURPOSES, default="login")


class VerifyOtpInput(serializers.Serializer):
    phone = PhoneField(required=False)
    phone_number = PhoneField(required=False)
    otp = OtpCodeField(required=False)
    otp_code = OtpCodeField(required=False)
    otp_id = serializers.UUIDField(required=False)
    purpose = serializers.ChoiceField(choices=OTP_LOGIN_PURPOSES, default="login")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        aliased(attrs, "phone", "phone_number")
        aliased(attrs, "otp", "otp_code")
        require_one(attrs, "phone")
        require_one(attrs, "otp")
        return attrs


class VerifyAnyOtpInput(VerifyOtpInput):
    """A phone code, or an email code with ``email`` instead of ``phone``."""

    email = LowerEmailField(required=False, help_text="Verify a code sent to this email instead.")  # seed 002

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        aliased(attrs, "phone", "phone_number")
        if attrs.get("email") and not attrs.get("phone"):
            aliased(attrs, "otp", "otp_code")
            require_one(attrs, "otp")
            return attrs
        attrs.pop("email", None)
        return super().validate(attrs)


class VerifyEmailOtpInput(serializers.Serializer):
    email = LowerEmailField()
    otp = OtpCodeField()
    otp_id = serializers.UUIDField(required=False)


class PasswordLoginInput(serializers.Serializer):
    email = LowerEmailField(required=False)
    phone = PhoneField(required=False)
    phone_number = PhoneField(required=False)
    username = serializers.CharField(required=False, max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    platform = serializers.ChoiceField(  # seed 004
        choices=["web", "app", "telegram_bot", "telegram_mini_app"], required=False, help_text="Where I sign in from."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        aliased(attrs, "phone", "phone_number")
        require_one(attrs, "email", "phone", "username")
        return attrs

    def identifier(self) -> tuple[str, str]:
        data = self.validated_data
        for field in ("email", "phone", "username"):
            if data.get(field):
                return field, data[field]
        raise AssertionError("validate() guarantees one identifier")


class PhonePasswordInput(serializers.Serializer):
    phone = PhoneField()
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class UsernamePasswordInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class RefreshInput(serializers.Serializer):
    refresh_token = serializers.CharField(required=False)
    refresh = serializers.CharField(required=False, help_text="Another name for refresh_token.")  # seed 002's name

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        aliased(attrs, "refresh_token", "refresh")
        require_one(attrs, "refresh_token")
        return attrs


class LogoutInput(serializers.Serializer):
    refresh_token = serializers.CharField(required=False)


class RegisterInput(serializers.Serializer):
    email = LowerEmailField()
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    first_name = serializers.CharField(max_length=75, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=75, required=False, allow_blank=True)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = PhoneField(required=False)
    phone_number = PhoneField(required=False)
    user_type = serializers.ChoiceField(choices=["customer", "specialist", "partner"], default="customer")
    telegram_id = serializers.CharField(max_length=32, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        aliased(attrs, "phone", "phone_number")
        if not attrs.get("full_name"):
            attrs["full_name"] = " ".join(p for p in (attrs.get("first_name"), attrs.get("last_name")) if p)
        return attrs

    def partner_kind(self) -> Role | None:
        return {"specialist": Role.SPECIALIST, "partner": Role.PARTNER}.get(self.validated_data["user_type"])


class ContactPasswordInput(serializers.Serializer):
    email = LowerEmailField(required=False)
    phone = PhoneField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        require_one(attrs, "email", "phone")
        return attrs


class ResetPasswordInput(ContactPasswordInput):
    otp = OtpCodeField()
    otp_id = serializers.UUIDField(required=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class SetPasswordInput(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    confirm_password = serializers.CharField(max_length=128, trim_whitespace=False, required=False)


class ChangePasswordInput(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)
    confirm_password = serializers.CharField(max_length=128, trim_whitespace=False, required=False)


class GoogleInput(serializers.Serializer):
    id_token = serializers.CharField()
    access_token = serializers.CharField(required=False)


class FacebookInput(serializers.Serializer):
    access_token = serializers.CharField()


class TelegramInput(serializers.Serializer):  # seed 004's camelCase names, or the widget's own
    """The Telegram login widget's fields (id, first_name, auth_date, hash ...), or the same in camelCase."""

    telegram_id = serializers.CharField(max_length=32, required=False)
    id = serializers.CharField(max_length=32, required=False)
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    username = serializers.CharField(required=False, allow_blank=True)
    photo_url = serializers.CharField(required=False, allow_blank=True)
    auth_date = serializers.IntegerField()
    hash = serializers.RegexField(r"^[0-9a-f]{64}$")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        aliased(attrs, "id", "telegram_id")
        require_one(attrs, "id")
        return attrs


class PreferencesInput(serializers.Serializer):  # seed 004's display preferences
    """Display preferences: language and currency (notification preferences are set under /notifications)."""

    language = serializers.RegexField(r"^[a-z]{2}(-[A-Z]{2})?$", required=False)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)


class ProfileUpdateInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=75, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=75, required=False, allow_blank=True)
    profile_photo_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    phone_number = serializers.CharField(required=False, help_text="Refused: use update-phone (it needs an OTP).")
    email = serializers.CharField(required=False, help_text="Refused: use update-email (it needs an OTP).")
    preferences = PreferencesInput(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for field in ("phone_number", "email"):
            if field in attrs:
                raise serializers.ValidationError(
                    {field: ["Contacts change only after an OTP: use update-phone or update-email."]},
                    code="verification_required",
                )
        if "full_name" not in attrs and ("first_name" in attrs or "last_name" in attrs):
            attrs["full_name"] = " ".join(p for p in (attrs.get("first_name"), attrs.get("last_name")) if p)
        return attrs


class UpdateEmailInput(serializers.Serializer):
    new_email = LowerEmailField()


class UpdatePhoneInput(serializers.Serializer):
    new_phone = PhoneField()


class VerifyContactInput(serializers.Serializer):
    verification_id = serializers.UUIDField()
    otp = OtpCodeField()


class ResendVerificationInput(serializers.Serializer):
    verification_id = serializers.UUIDField()
    type = serializers.ChoiceField(choices=["EMAIL", "PHONE", "email", "phone"], required=False)


class AvatarInput(serializers.Serializer):
    avatar = serializers.FileField()
