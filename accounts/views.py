"""Accounts API views: parse, authorize, call a service, render. No rules here.

Paths (under ``/api/v1/``) are the seeds': seed 001 section 1 and 9, seed 000
customer/admin/partner auth and addresses, seed 003 staff logins and ``me``,
seed 004 register, Telegram, profile and avatar.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts import selectors
from accounts import serializers as io
from accounts.models import OtpChannel, OtpPurpose, User
from accounts.permissions import CanReadProfile, IsOwner, IsStaffMember
from accounts.roles import ACCOUNT_KINDS, ROLE_PERMISSIONS, Role
from accounts.services import addresses as address_services
from accounts.services import login, passwords, profile, social, tokens
from accounts.services.otp import OtpSent, otp_send
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

AUTH = "auth"
USERS = "users"
ADDRESSES = "addresses"


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    if len(local) <= 2:
        return f"{local[:1]}****@{domain}"
    return f"{local[0]}****{local[-1]}@{domain}"


def _mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-5:]}"


def _mask(channel: OtpChannel, destination: str) -> str:
    return _mask_phone(destination) if channel == OtpChannel.SMS else _mask_email(destination)


def _otp_sent_data(sent: OtpSent) -> dict[str, Any]:
    otp = sent.otp
    data = {
        "otp_id": str(otp.id),
        "sent_to": _mask(otp.channel, otp.destination),
        "expires_at": otp.expires_at,
        "expires_in": settings.OTP_TTL_SECONDS,
        "retry_after": sent.retry_after,
    }
    if otp.channel == OtpChannel.SMS:
        data["phone"] = otp.destination
    else:
        data["email"] = _mask_email(otp.destination)
    return data


def _otp_response(sent: OtpSent, message: str) -> ApiResponse:
    response = ApiResponse(_otp_sent_data(sent), message=message)
    for header, value in sent.rate.headers().items():
        response[header] = value
    return response


def _sign_in_data(sign_in: login.SignIn, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    user = sign_in.user
    pair = tokens.tokens_issue(user=user)
    data: dict[str, Any] = {
        "user": io.UserOutput(user).data,
        "tokens": pair,
        "access_token": pair["access_token"],
        "refresh_token": pair["refresh_token"],
        "expires_in": pair["expires_in"],
        "is_new_user": sign_in.is_new_user,
        "requires_registration": sign_in.is_new_user,
        **(extra or {}),
    }
    if sign_in.is_new_user:
        data["temp_user_id"] = str(user.pk)
    return data


def _sign_in_response(sign_in: login.SignIn, **extra: Any) -> ApiResponse:
    message = "Signed up and logged in. Please complete your profile." if sign_in.is_new_user else "Login successful"
    return ApiResponse(_sign_in_data(sign_in, extra), message=message)


def _client_ip(request: Request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _valid(serializer_class: type[serializers.Serializer], request: Request, **kwargs: Any) -> Any:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class SignedInView(APIView):
    permission_classes = [IsAuthenticated]


_SIGN_IN = OpenApiResponse(io.SignInOutput, description="Signed in")


# --- OTP sign-in ------------------------------------------------------------------------------


class SendOtpView(PublicView):
    @extend_schema(tags=[AUTH], summary="Send an OTP by SMS", request=io.SendOtpInput, responses=io.OtpSentOutput)
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.SendOtpInput, request).validated_data
        if data["purpose"] == OtpPurpose.RESET_PASSWORD:
            sent = passwords.password_forgot(channel=OtpChannel.SMS, destination=data["phone"])
        else:
            sent = otp_send(channel=OtpChannel.SMS, destination=data["phone"], purpose=OtpPurpose.LOGIN)
        return _otp_response(sent, "OTP sent successfully")


class SendEmailOtpView(PublicView):
    @extend_schema(
        tags=[AUTH], summary="Send an OTP by email", request=io.SendEmailOtpInput, responses=io.OtpSentOutput
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.SendEmailOtpInput, request).validated_data
        if data["purpose"] == OtpPurpose.RESET_PASSWORD:
            sent = passwords.password_forgot(channel=OtpChannel.EMAIL, destination=data["email"])
        else:
            sent = otp_send(channel=OtpChannel.EMAIL, destination=data["email"], purpose=OtpPurpose.LOGIN)
        return _otp_response(sent, "OTP sent to email successfully")


class VerifyOtpView(PublicView):
    kind = login.AccountKind.ANY

    @extend_schema(tags=[AUTH], summary="Verify a phone OTP and sign in", request=io.VerifyOtpInput, responses=_SIGN_IN)
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.VerifyOtpInput, request).validated_data
        sign_in = login.login_with_otp(
            channel=OtpChannel.SMS,
            destination=data["phone"],
            code=data["otp"],
            otp_id=data.get("otp_id"),
            kind=self.kind,
        )
        return _sign_in_response(sign_in)


class VerifyEmailOtpView(PublicView):
    @extend_schema(
        tags=[AUTH], summary="Verify an email OTP and sign in", request=io.VerifyEmailOtpInput, responses=_SIGN_IN
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.VerifyEmailOtpInput, request).validated_data
        sign_in = login.login_with_otp(
            channel=OtpChannel.EMAIL, destination=data["email"], code=data["otp"], otp_id=data.get("otp_id")
        )
        return _sign_in_response(sign_in)


class StaffPhoneOtpLoginView(VerifyOtpView):
    """Seed 003: staff sign in with phone + OTP."""

    kind = login.AccountKind.STAFF


class PartnerLoginView(VerifyOtpView):
    """Seed 000: partners sign in with ``phone_number`` + ``otp_code``."""

    kind = login.AccountKind.PARTNER


# --- password sign-in -------------------------------------------------------------------------


class PasswordLoginView(PublicView):
    kind = login.AccountKind.ANY
    input_class: type[serializers.Serializer] = io.PasswordLoginInput

    @extend_schema(tags=[AUTH], summary="Sign in with a password", request=io.PasswordLoginInput, responses=_SIGN_IN)
    def post(self, request: Request) -> ApiResponse:
        serializer = _valid(self.input_class, request)
        data = serializer.validated_data
        field = next(name for name in ("email", "phone", "username") if data.get(name))
        sign_in = login.login_with_password(
            field=field, identifier=data[field], password=data["password"], ip=_client_ip(request), kind=self.kind
        )
        return self.respond(sign_in)

    def respond(self, sign_in: login.SignIn) -> ApiResponse:
        return _sign_in_response(sign_in)


class StaffPhonePasswordLoginView(PasswordLoginView):
    kind = login.AccountKind.STAFF
    input_class = io.PhonePasswordInput

    @extend_schema(tags=[AUTH], summary="Staff: phone + password", request=io.PhonePasswordInput, responses=_SIGN_IN)
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)


class StaffUsernamePasswordLoginView(PasswordLoginView):
    kind = login.AccountKind.STAFF
    input_class = io.UsernamePasswordInput

    @extend_schema(
        tags=[AUTH], summary="Staff: username + password", request=io.UsernamePasswordInput, responses=_SIGN_IN
    )
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)


class AdminLoginView(PasswordLoginView):
    """Seed 000 ``/admin/auth/login``: staff only; answers ``admin`` beside ``user``."""

    kind = login.AccountKind.STAFF

    @extend_schema(tags=[AUTH], summary="Admin sign-in", request=io.PasswordLoginInput, responses=_SIGN_IN)
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)

    def respond(self, sign_in: login.SignIn) -> ApiResponse:
        user = sign_in.user
        admin = {"id": str(user.pk), "name": user.full_name, "email": user.email, "role": user.staff_role}
        return _sign_in_response(sign_in, admin=admin)


class RegisterView(PublicView):
    @extend_schema(tags=[AUTH], summary="Register (seed 004)", request=io.RegisterInput, responses={201: _SIGN_IN})
    def post(self, request: Request) -> ApiResponse:
        serializer = _valid(io.RegisterInput, request)
        data = serializer.validated_data
        sign_in = login.user_register(
            email=data["email"],
            password=data["password"],
            full_name=data["full_name"],
            phone=data.get("phone"),
            partner_kind=serializer.partner_kind(),
            telegram_id=data.get("telegram_id"),
        )
        return ApiResponse(_sign_in_data(sign_in), message="Account created", status=201)


# --- social ---------------------------------------------------------------------------------------


class GoogleLoginView(PublicView):
    @extend_schema(tags=[AUTH], summary="Sign in with Google", request=io.GoogleInput, responses=_SIGN_IN)
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.GoogleInput, request).validated_data
        sign_in, profile_data = social.google_sign_in(id_token=data["id_token"])
        return _sign_in_response(sign_in, oauth_provider="GOOGLE", **profile_data)


class FacebookLoginView(PublicView):
    @extend_schema(tags=[AUTH], summary="Sign in with Facebook", request=io.FacebookInput, responses=_SIGN_IN)
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.FacebookInput, request).validated_data
        sign_in, profile_data = social.facebook_sign_in(access_token=data["access_token"])
        return _sign_in_response(sign_in, oauth_provider="FACEBOOK", **profile_data)


class TelegramLoginView(PublicView):
    @extend_schema(
        tags=[AUTH], summary="Sign in with Telegram (seed 004)", request=io.TelegramInput, responses=_SIGN_IN
    )
    def post(self, request: Request) -> ApiResponse:
        data = dict(_valid(io.TelegramInput, request).validated_data)
        sign_in = social.telegram_sign_in(fields=data)
        return _sign_in_response(sign_in)


# --- tokens ---------------------------------------------------------------------------------------


_TOKENS = inline_serializer(
    "RefreshedTokens",
    {
        "access_token": serializers.CharField(),
        "refresh_token": serializers.CharField(),
        "expires_in": serializers.IntegerField(),
        "token_type": serializers.CharField(),
        "tokens": io.TokensOutput(),
    },
)


class RefreshView(PublicView):
    """Seed 001 ``/auth/refresh`` and seed 000 ``/auth/refresh-token``: rotates the refresh token."""

    staff_only = False

    @extend_schema(tags=[AUTH], summary="Refresh the access token", request=io.RefreshInput, responses=_TOKENS)
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.RefreshInput, request).validated_data
        if self.staff_only:
            login.ensure_kind(selectors.user_for_refresh_token(data["refresh_token"]), login.AccountKind.STAFF)
        pair = tokens.token_refresh(refresh_token=data["refresh_token"])
        return ApiResponse({**pair, "tokens": pair})


class AdminRefreshView(RefreshView):
    staff_only = True


class LogoutView(SignedInView):
    @extend_schema(
        tags=[AUTH],
        summary="Sign out (revoke refresh tokens)",
        request=io.LogoutInput,
        responses=inline_serializer("LoggedOut", {"revoked": serializers.IntegerField()}),
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.LogoutInput, request).validated_data
        revoked = tokens.token_logout(user=request.user, refresh_token=data.get("refresh_token"))
        return ApiResponse({"revoked": revoked}, message="Logged out successfully")


class MeView(SignedInView):
    @extend_schema(tags=[AUTH], summary="The signed-in account", responses=io.UserOutput)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(io.UserOutput(selectors.user_with_roles(request.user.pk)).data)


class RolesView(SignedInView):
    """Seed 003's role list and permission matrix, for staff."""

    permission_classes = [IsAuthenticated, IsStaffMember]

    @extend_schema(tags=[AUTH], summary="Roles and their permissions", responses=io.RoleOutput(many=True))
    def get(self, request: Request) -> ApiResponse:
        rows = [
            {
                "role": role.value,
                "label": role.label,
                "kind": "account" if role in ACCOUNT_KINDS else "staff",
                "permissions": ["*"] if role == Role.SUPER_ADMIN else sorted(ROLE_PERMISSIONS[role]),
            }
            for role in Role
        ]
        return ApiResponse(rows)


# --- passwords --------------------------------------------------------------------------------------


class ForgotPasswordView(PublicView):
    @extend_schema(
        tags=[AUTH], summary="Send a password-reset OTP", request=io.ContactPasswordInput, responses=io.OtpSentOutput
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.ContactPasswordInput, request).validated_data
        channel, destination = (
            (OtpChannel.EMAIL, data["email"]) if data.get("email") else (OtpChannel.SMS, data["phone"])
        )
        sent = passwords.password_forgot(channel=channel, destination=destination)
        return _otp_response(sent, "Password reset OTP sent successfully")


class ResetPasswordView(PublicView):
    @extend_schema(
        tags=[AUTH],
        summary="Reset the password with an OTP",
        request=io.ResetPasswordInput,
        responses=inline_serializer("PasswordReset", {"user_id": serializers.UUIDField()}),
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.ResetPasswordInput, request).validated_data
        channel, destination = (
            (OtpChannel.EMAIL, data["email"]) if data.get("email") else (OtpChannel.SMS, data["phone"])
        )
        user = passwords.password_reset(
            channel=channel,
            destination=destination,
            code=data["otp"],
            otp_id=data.get("otp_id"),
            new_password=data["new_password"],
        )
        return ApiResponse(
            {"user_id": str(user.pk), "message": "You can now login with your new password"},
            message="Password reset successfully",
        )


class SetPasswordView(SignedInView):
    @extend_schema(
        tags=[AUTH],
        summary="Set a first password",
        request=io.SetPasswordInput,
        responses=inline_serializer(
            "PasswordSet", {"user_id": serializers.UUIDField(), "has_password": serializers.BooleanField()}
        ),
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.SetPasswordInput, request).validated_data
        user = passwords.password_set(
            user=request.user, password=data["password"], confirm_password=data.get("confirm_password")
        )
        return ApiResponse({"user_id": str(user.pk), "has_password": True}, message="Password set successfully")


class ChangePasswordView(SignedInView):
    @extend_schema(
        tags=[AUTH],
        summary="Change the password",
        request=io.ChangePasswordInput,
        responses=inline_serializer("PasswordChanged", {"tokens": io.TokensOutput()}),
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.ChangePasswordInput, request).validated_data
        user = passwords.password_change(
            user=request.user,
            current_password=data["current_password"],
            new_password=data["new_password"],
            confirm_password=data.get("confirm_password"),
        )
        # Tokens carry a hash of the password, so the old ones stop working: hand out a fresh pair.
        return ApiResponse({"tokens": tokens.tokens_issue(user=user)}, message="Password changed successfully")


# --- profile -------------------------------------------------------------------------------------------


def _profile_data(user: User) -> dict[str, Any]:
    data = io.ProfileOutput(user).data
    if data["needs_contact_update"]:
        data["message"] = "Please add email or phone for better account security"
    return data


class MyProfileView(SignedInView):
    """Seed 004 ``/users/profile``: the signed-in user's own profile."""

    @extend_schema(tags=[USERS], operation_id="my_profile_retrieve", summary="My profile", responses=io.ProfileOutput)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(_profile_data(selectors.user_with_roles(request.user.pk)))

    @extend_schema(
        tags=[USERS],
        operation_id="my_profile_update",
        summary="Update my profile",
        request=io.ProfileUpdateInput,
        responses=io.ProfileOutput,
    )
    def put(self, request: Request) -> ApiResponse:
        data = _valid(io.ProfileUpdateInput, request).validated_data
        user = profile.profile_update(
            user=request.user, full_name=data.get("full_name"), photo_url=data.get("profile_photo_url")
        )
        return ApiResponse(_profile_data(user), message="Profile updated successfully")

    @extend_schema(
        tags=[USERS],
        operation_id="my_profile_partial_update",
        summary="Update my profile (same as PUT)",
        request=io.ProfileUpdateInput,
        responses=io.ProfileOutput,
    )
    def patch(self, request: Request) -> ApiResponse:
        return self.put(request)


class AvatarView(SignedInView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[USERS],
        summary="Upload my avatar",
        request={"multipart/form-data": io.AvatarInput},
        responses=inline_serializer(
            "Avatar", {"avatar_url": serializers.CharField(), "profile_photo_url": serializers.CharField()}
        ),
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.AvatarInput, request).validated_data
        user = profile.avatar_upload(user=request.user, upload=data["avatar"])
        url = request.build_absolute_uri(user.photo.url)
        return ApiResponse({"avatar_url": url, "profile_photo_url": url}, message="Avatar updated")


class UserScopedView(SignedInView):
    """``/users/{user_id}/...`` (seed 001 section 9): the owner writes; staff with ``view_user`` may read."""

    permission_classes = [IsAuthenticated, IsOwner]

    def target(self, request: Request, user_id) -> User:
        user = selectors.user_with_roles(user_id)
        if user is None:
            raise DomainError("User not found.", code=ErrorCode.NOT_FOUND, field="user_id", reason="not_found")
        self.check_object_permissions(request, user)
        return user


class UserProfileView(UserScopedView):
    permission_classes = [IsAuthenticated, CanReadProfile]

    @extend_schema(tags=[USERS], summary="Get a profile", responses=io.ProfileOutput)
    def get(self, request: Request, user_id) -> ApiResponse:
        return ApiResponse(_profile_data(self.target(request, user_id)))

    @extend_schema(
        tags=[USERS], summary="Update a profile (owner)", request=io.ProfileUpdateInput, responses=io.ProfileOutput
    )
    def put(self, request: Request, user_id) -> ApiResponse:
        user = self.target(request, user_id)
        data = _valid(io.ProfileUpdateInput, request).validated_data
        user = profile.profile_update(
            user=user, full_name=data.get("full_name"), photo_url=data.get("profile_photo_url")
        )
        return ApiResponse(_profile_data(user), message="Profile updated successfully")

    patch = put


def _verification_data(sent: OtpSent, field: str) -> dict[str, Any]:
    otp = sent.otp
    return {
        "verification_id": str(otp.id),
        field: otp.destination,
        f"masked_{field}": _mask(otp.channel, otp.destination),
        "otp_expires_at": otp.expires_at,
        "can_resend_after": sent.can_resend_after,
        "next_step": f"verify_{field}_otp",
    }


_VERIFICATION = inline_serializer(
    "ContactVerification",
    {
        "verification_id": serializers.UUIDField(),
        "otp_expires_at": serializers.DateTimeField(),
        "can_resend_after": serializers.DateTimeField(),
        "next_step": serializers.CharField(),
    },
)


class UpdateEmailView(UserScopedView):
    @extend_schema(
        tags=[USERS],
        summary="Add or change email: send an OTP to it",
        request=io.UpdateEmailInput,
        responses={200: _VERIFICATION, 409: ErrorResponseSerializer},
    )
    def post(self, request: Request, user_id) -> ApiResponse:
        user = self.target(request, user_id)
        data = _valid(io.UpdateEmailInput, request).validated_data
        sent = profile.contact_change_request(user=user, channel=OtpChannel.EMAIL, value=data["new_email"])
        return ApiResponse(_verification_data(sent, "email"), message=f"Verification OTP sent to {data['new_email']}")


class UpdatePhoneView(UserScopedView):
    @extend_schema(
        tags=[USERS],
        summary="Add or change phone: send an OTP to it",
        request=io.UpdatePhoneInput,
        responses={200: _VERIFICATION, 409: ErrorResponseSerializer},
    )
    def post(self, request: Request, user_id) -> ApiResponse:
        user = self.target(request, user_id)
        data = _valid(io.UpdatePhoneInput, request).validated_data
        sent = profile.contact_change_request(user=user, channel=OtpChannel.SMS, value=data["new_phone"])
        return ApiResponse(_verification_data(sent, "phone"), message=f"Verification OTP sent to {data['new_phone']}")


def _contacts(user: User) -> dict[str, Any]:
    return {
        "user_id": str(user.pk),
        "email": user.email,
        "email_verified": user.is_email_verified,
        "phone": user.phone,
        "phone_verified": user.is_phone_verified,
        "updated_at": user.updated_at,
    }


_CONTACTS = inline_serializer(
    "Contacts",
    {
        "user_id": serializers.UUIDField(),
        "email": serializers.EmailField(allow_null=True),
        "email_verified": serializers.BooleanField(),
        "phone": serializers.CharField(allow_null=True),
        "phone_verified": serializers.BooleanField(),
        "updated_at": serializers.DateTimeField(),
    },
)


class VerifyEmailView(UserScopedView):
    channel = OtpChannel.EMAIL
    message = "Email verified and updated successfully"

    @extend_schema(
        tags=[USERS], summary="Verify the new contact with its OTP", request=io.VerifyContactInput, responses=_CONTACTS
    )
    def post(self, request: Request, user_id) -> ApiResponse:
        user = self.target(request, user_id)
        data = _valid(io.VerifyContactInput, request).validated_data
        user = profile.contact_change_verify(
            user=user, channel=self.channel, verification_id=data["verification_id"], code=data["otp"]
        )
        return ApiResponse(_contacts(user), message=self.message)


class VerifyPhoneView(VerifyEmailView):
    channel = OtpChannel.SMS
    message = "Phone number verified and updated successfully"


class ResendVerificationView(UserScopedView):
    @extend_schema(
        tags=[USERS],
        summary="Resend a contact verification OTP",
        request=io.ResendVerificationInput,
        responses=_VERIFICATION,
    )
    def post(self, request: Request, user_id) -> ApiResponse:
        user = self.target(request, user_id)
        data = _valid(io.ResendVerificationInput, request).validated_data
        kind = (data.get("type") or "").upper()
        channel = {"EMAIL": OtpChannel.EMAIL, "PHONE": OtpChannel.SMS}.get(kind)
        sent = profile.contact_resend(user=user, verification_id=data["verification_id"], channel=channel)
        otp = sent.otp
        payload = {
            "verification_id": str(otp.id),
            "type": "EMAIL" if otp.channel == OtpChannel.EMAIL else "PHONE",
            "masked_contact": _mask(otp.channel, otp.destination),
            "otp_expires_at": otp.expires_at,
            "can_resend_after": sent.can_resend_after,
        }
        return ApiResponse(payload, message="OTP resent successfully")


class RemoveContactView(UserScopedView):
    @extend_schema(
        tags=[USERS],
        summary="Remove email or phone (never the last one)",
        responses={200: _CONTACTS, 422: ErrorResponseSerializer},
    )
    def delete(self, request: Request, user_id, contact_type: str) -> ApiResponse:
        user = self.target(request, user_id)
        channel = {"email": OtpChannel.EMAIL, "phone": OtpChannel.SMS}.get(contact_type.lower())
        if channel is None:
            raise DomainError(
                "The contact type is email or phone.", code=ErrorCode.NOT_FOUND, field="type", reason="unknown_type"
            )
        user = profile.contact_remove(user=user, channel=channel)
        label = "Email" if channel == OtpChannel.EMAIL else "Phone"
        return ApiResponse(_contacts(user), message=f"{label} removed successfully")


# --- addresses -----------------------------------------------------------------------------------------


class AddressListView(SignedInView):
    @extend_schema(tags=[ADDRESSES], summary="My addresses", responses=io.AddressOutput(many=True))
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(io.AddressOutput(selectors.addresses_of(request.user), many=True).data)

    @extend_schema(
        tags=[ADDRESSES], summary="Add an address", request=io.AddressInput, responses={201: io.AddressOutput}
    )
    def post(self, request: Request) -> ApiResponse:
        data = _valid(io.AddressInput, request).validated_data
        address = address_services.address_create(user=request.user, data=data)
        return ApiResponse(io.AddressOutput(address).data, message="Address added", status=201)


class AddressDetailView(SignedInView):
    @extend_schema(tags=[ADDRESSES], summary="Update an address", request=io.AddressInput, responses=io.AddressOutput)
    def put(self, request: Request, address_id) -> ApiResponse:
        partial = request.method == "PATCH"
        data = _valid(io.AddressInput, request, partial=partial).validated_data
        address = address_services.address_update(user=request.user, address_id=address_id, data=data)
        return ApiResponse(io.AddressOutput(address).data, message="Address updated")

    @extend_schema(
        tags=[ADDRESSES], summary="Update part of an address", request=io.AddressInput, responses=io.AddressOutput
    )
    def patch(self, request: Request, address_id) -> ApiResponse:
        return self.put(request, address_id)

    @extend_schema(tags=[ADDRESSES], summary="Delete an address", responses={200: None})
    def delete(self, request: Request, address_id) -> ApiResponse:
        address_services.address_delete(user=request.user, address_id=address_id)
        return ApiResponse(None, message="Address deleted successfully")


class AddressSetDefaultView(SignedInView):
    @extend_schema(tags=[ADDRESSES], summary="Make an address the default", request=None, responses=io.AddressOutput)
    def patch(self, request: Request, address_id) -> ApiResponse:
        address = address_services.address_set_default(user=request.user, address_id=address_id)
        return ApiResponse(io.AddressOutput(address).data, message="Default address updated")

    post = patch
