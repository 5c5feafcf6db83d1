"""Passwords: forgot, reset, set, change (seed 001 1.8-1.11)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request

from accounts import serializers as io
from accounts.authentication import AuthenticatedRequest
from accounts.models import OtpChannel
from accounts.services import passwords, tokens
from accounts.views.common import AUTH, PublicView, SignedInView, otp_response, valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

# --- passwords --------------------------------------------------------------------------------------


class ForgotPasswordView(PublicView):
    @extend_schema(
        tags=[AUTH], summary="Send a password-reset OTP", request=io.ContactPasswordInput, responses=io.OtpSentOutput
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.ContactPasswordInput, request).validated_data
        channel, destination = (
            (OtpChannel.EMAIL, data["email"]) if data.get("email") else (OtpChannel.SMS, data["phone"])
        )
        sent = passwords.password_forgot(channel=channel, destination=destination)
        return otp_response(sent, "Password reset OTP sent successfully")


class ResetPasswordView(PublicView):
    @extend_schema(
        tags=[AUTH],
        summary="Reset the password with an OTP",
        request=io.ResetPasswordInput,
        responses=inline_serializer("PasswordReset", {"user_id": serializers.UUIDField()}),
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.ResetPasswordInput, request).validated_data
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
        responses={
            200: inline_serializer(
                "PasswordSet", {"user_id": serializers.UUIDField(), "has_password": serializers.BooleanField()}
            ),
            409: OpenApiResponse(ErrorResponseSerializer, description="PASSWORD_ALREADY_SET: use change-password"),
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.SetPasswordInput, request).validated_data
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
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.ChangePasswordInput, request).validated_data
        user = passwords.password_change(
            user=request.user,
            current_password=data["current_password"],
            new_password=data["new_password"],
            confirm_password=data.get("confirm_password"),
        )
        # Tokens carry a hash of the password, so the old ones stop working: hand out a fresh pair.
        return ApiResponse({"tokens": tokens.tokens_issue(user=user)}, message="Password changed successfully")
