"""Profile and contacts: seed 001 section 9 (``/users/{user_id}/...``) and seed 004 (``/users/profile``, avatar)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from accounts import selectors
from accounts import serializers as io
from accounts.authentication import AuthenticatedRequest
from accounts.models import OtpChannel, User
from accounts.permissions import CanReadProfile, IsOwner
from accounts.services import profile
from accounts.services.otp import OtpSent
from accounts.views.common import USERS, SignedInView, mask, valid
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

# --- profile -------------------------------------------------------------------------------------------


def _profile_data(user: User) -> dict[str, Any]:
    data = io.ProfileOutput(user).data
    if data["needs_contact_update"]:
        data["message"] = "Please add email or phone for better account security"
    return data


# Seed 004 ``/users/profile``.
class MyProfileView(SignedInView):
    """The signed-in user's own profile: read it, or change name, avatar and preferences."""

    @extend_schema(tags=[USERS], operation_id="my_profile_retrieve", summary="My profile", responses=io.ProfileOutput)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(_profile_data(selectors.user_with_roles(request.user.pk) or request.user))

    @extend_schema(
        tags=[USERS],
        operation_id="my_profile_update",
        summary="Update my profile",
        request=io.ProfileUpdateInput,
        responses=io.ProfileOutput,
    )
    def put(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.ProfileUpdateInput, request).validated_data
        user = profile.profile_update(
            user=request.user,
            full_name=data.get("full_name"),
            photo_url=data.get("profile_photo_url"),
            preferences=data.get("preferences"),
        )
        return ApiResponse(_profile_data(user), message="Profile updated successfully")

    @extend_schema(
        tags=[USERS],
        operation_id="my_profile_partial_update",
        summary="Update my profile (same as PUT)",
        request=io.ProfileUpdateInput,
        responses=io.ProfileOutput,
    )
    def patch(self, request: AuthenticatedRequest) -> ApiResponse:
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
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.AvatarInput, request).validated_data
        user = profile.avatar_upload(user=request.user, upload=data["avatar"])
        url = request.build_absolute_uri(user.photo.url)
        return ApiResponse({"avatar_url": url, "profile_photo_url": url}, message="Avatar updated")


# ``/users/{user_id}/...`` (seed 001 section 9).
class UserScopedView(SignedInView):
    """A user's own account by id: only the user may change it; staff who may view users can read it."""

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
        data = valid(io.ProfileUpdateInput, request).validated_data
        user = profile.profile_update(
            user=user,
            full_name=data.get("full_name"),
            photo_url=data.get("profile_photo_url"),
            preferences=data.get("preferences"),
        )
        return ApiResponse(_profile_data(user), message="Profile updated successfully")

    patch = put


def _verification_data(sent: OtpSent, field: str) -> dict[str, Any]:
    otp = sent.otp
    return {
        "verification_id": str(otp.id),
        field: otp.destination,
        f"masked_{field}": mask(otp.channel, otp.destination),
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
    channel = OtpChannel.EMAIL
    input_class: type[serializers.Serializer] = io.UpdateEmailInput
    field = "email"

    @extend_schema(
        tags=[USERS],
        summary="Add or change email: send an OTP to it",
        request=io.UpdateEmailInput,
        responses={200: _VERIFICATION, 409: ErrorResponseSerializer},
    )
    def post(self, request: Request, user_id) -> ApiResponse:
        user = self.target(request, user_id)
        new_value = valid(self.input_class, request).validated_data[f"new_{self.field}"]
        sent = profile.contact_change_request(user=user, channel=self.channel, value=new_value)
        return ApiResponse(_verification_data(sent, self.field), message=f"Verification OTP sent to {new_value}")


class UpdatePhoneView(UpdateEmailView):
    channel = OtpChannel.SMS
    input_class = io.UpdatePhoneInput
    field = "phone"

    @extend_schema(
        tags=[USERS],
        summary="Add or change phone: send an OTP to it",
        request=io.UpdatePhoneInput,
        responses={200: _VERIFICATION, 409: ErrorResponseSerializer},
    )
    def post(self, request: Request, user_id) -> ApiResponse:
        return super().post(request, user_id)


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
        data = valid(io.VerifyContactInput, request).validated_data
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
        data = valid(io.ResendVerificationInput, request).validated_data
        kind = (data.get("type") or "").upper()
        channel = {"EMAIL": OtpChannel.EMAIL, "PHONE": OtpChannel.SMS}.get(kind)
        sent = profile.contact_resend(user=user, verification_id=data["verification_id"], channel=channel)
        otp = sent.otp
        payload = {
            "verification_id": str(otp.id),
            "type": "EMAIL" if otp.channel == OtpChannel.EMAIL else "PHONE",
            "masked_contact": mask(otp.channel, otp.destination),
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
