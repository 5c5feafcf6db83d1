"""Signing in: OTP and password (also for staff, admins and partners), registration, Google, Facebook, Telegram."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from accounts import serializers as io
from accounts.models import OtpChannel, OtpPurpose
from accounts.services import login, passwords, social
from accounts.services.otp import WHATSAPP, OtpSent, otp_send
from accounts.views.common import (
    AUTH,
    SIGN_IN,
    SIGN_IN_OR_REFUSED,
    SIGN_IN_REFUSED,
    PublicView,
    client_ip,
    log_sign_in,
    otp_response,
    sign_in_data,
    sign_in_response,
    valid,
)
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

# --- OTP sign-in ------------------------------------------------------------------------------


def send_code(*, channel: OtpChannel, destination: str, purpose: str, via: str = "") -> OtpSent:
    """A sign-in or password-reset code to a phone or an email (``via="whatsapp"``: a phone code by WhatsApp)."""
    if purpose == OtpPurpose.RESET_PASSWORD:
        return passwords.password_forgot(channel=channel, destination=destination)
    return otp_send(channel=channel, destination=destination, purpose=OtpPurpose.LOGIN, via=via)


class SendOtpView(PublicView):
    """A code to a phone by SMS (or WhatsApp with ``method``), or to an email as send-email-otp does."""

    @extend_schema(
        tags=[AUTH],
        summary="Send an OTP by SMS, WhatsApp or email",
        request=io.SendOtpInput,
        responses=io.OtpSentOutput,
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.SendOtpInput, request).validated_data
        method = data["method"]
        if method == "email":
            sent = send_code(channel=OtpChannel.EMAIL, destination=data["email"], purpose=data["purpose"])
        else:
            via = WHATSAPP if method == "whatsapp" else ""
            sent = send_code(channel=OtpChannel.SMS, destination=data["phone"], purpose=data["purpose"], via=via)
        message = f"OTP sent successfully via {method}" if "method" in request.data else "OTP sent successfully"
        return otp_response(sent, message, method=method)


class SendEmailOtpView(PublicView):
    @extend_schema(
        tags=[AUTH], summary="Send an OTP by email", request=io.SendEmailOtpInput, responses=io.OtpSentOutput
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.SendEmailOtpInput, request).validated_data
        sent = send_code(channel=OtpChannel.EMAIL, destination=data["email"], purpose=data["purpose"])
        return otp_response(sent, "OTP sent to email successfully", method="email")


class VerifyOtpView(PublicView):
    """A phone code, or (with ``email`` instead of ``phone``) an email code as verify-email-otp takes it."""

    kind = login.AccountKind.ANY
    input_class: type[serializers.Serializer] = io.VerifyAnyOtpInput

    @extend_schema(
        tags=[AUTH],
        summary="Verify a phone or email OTP and sign in",
        request=io.VerifyAnyOtpInput,
        responses=SIGN_IN_OR_REFUSED,
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(self.input_class, request).validated_data
        if not data.get("phone"):
            sign_in = login.login_with_otp(
                channel=OtpChannel.EMAIL, destination=data["email"], code=data["otp"], otp_id=data.get("otp_id")
            )
            return sign_in_response(sign_in, request)
        sign_in = login.login_with_otp(
            channel=OtpChannel.SMS,
            destination=data["phone"],
            code=data["otp"],
            otp_id=data.get("otp_id"),
            kind=self.kind,
        )
        return self.respond(sign_in)

    def respond(self, sign_in: login.SignIn) -> ApiResponse:
        return sign_in_response(sign_in, self.request)


class VerifyEmailOtpView(PublicView):
    @extend_schema(
        tags=[AUTH],
        summary="Verify an email OTP and sign in",
        request=io.VerifyEmailOtpInput,
        responses=SIGN_IN_OR_REFUSED,
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.VerifyEmailOtpInput, request).validated_data
        sign_in = login.login_with_otp(
            channel=OtpChannel.EMAIL, destination=data["email"], code=data["otp"], otp_id=data.get("otp_id")
        )
        return sign_in_response(sign_in, request)


# Seed 003.
class StaffPhoneOtpLoginView(VerifyOtpView):
    """Staff sign in with their phone number and the one-time code sent to it."""

    kind = login.AccountKind.STAFF
    input_class = io.VerifyOtpInput

    @extend_schema(tags=[AUTH], summary="Staff: phone + OTP", request=io.VerifyOtpInput, responses=SIGN_IN_OR_REFUSED)
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)


# Seed 000. The profile is read through the user's reverse relation (``partner_profile``, filled by the
# partners app), so accounts imports nothing of partners.
class PartnerLoginView(VerifyOtpView):
    """Partners sign in with their phone number and the one-time code sent to it; the answer names their
    partner profile."""

    kind = login.AccountKind.PARTNER
    input_class = io.VerifyOtpInput

    @extend_schema(
        tags=[AUTH], summary="Partner sign-in: phone + OTP", request=io.VerifyOtpInput, responses=SIGN_IN_OR_REFUSED
    )
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)

    def respond(self, sign_in: login.SignIn) -> ApiResponse:
        profile = getattr(sign_in.user, "partner_profile", None)
        partner = None
        if profile is not None:
            partner = {"id": str(profile.pk), "partner_code": profile.partner_code, "name": sign_in.user.full_name}
        return sign_in_response(sign_in, self.request, partner=partner)


# --- password sign-in -------------------------------------------------------------------------


class PasswordLoginView(PublicView):
    kind = login.AccountKind.ANY
    input_class: type[serializers.Serializer] = io.PasswordLoginInput

    @extend_schema(
        tags=[AUTH], summary="Sign in with a password", request=io.PasswordLoginInput, responses=SIGN_IN_OR_REFUSED
    )
    def post(self, request: Request) -> ApiResponse:
        serializer = valid(self.input_class, request)
        data = serializer.validated_data
        field = next(name for name in ("email", "phone", "username") if data.get(name))
        sign_in = login.login_with_password(
            field=field, identifier=data[field], password=data["password"], ip=client_ip(request), kind=self.kind
        )
        return self.respond(sign_in)

    def respond(self, sign_in: login.SignIn) -> ApiResponse:
        return sign_in_response(sign_in, self.request)


class StaffPhonePasswordLoginView(PasswordLoginView):
    kind = login.AccountKind.STAFF
    input_class = io.PhonePasswordInput

    @extend_schema(
        tags=[AUTH], summary="Staff: phone + password", request=io.PhonePasswordInput, responses=SIGN_IN_OR_REFUSED
    )
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)


class StaffUsernamePasswordLoginView(PasswordLoginView):
    kind = login.AccountKind.STAFF
    input_class = io.UsernamePasswordInput

    @extend_schema(
        tags=[AUTH],
        summary="Staff: username + password",
        request=io.UsernamePasswordInput,
        responses=SIGN_IN_OR_REFUSED,
    )
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)


# Seed 000 ``/admin/auth/login``.
class AdminLoginView(PasswordLoginView):
    """Staff sign in to the back office with a password; the answer has an ``admin`` block beside ``user``."""

    kind = login.AccountKind.STAFF

    @extend_schema(tags=[AUTH], summary="Admin sign-in", request=io.PasswordLoginInput, responses=SIGN_IN_OR_REFUSED)
    def post(self, request: Request) -> ApiResponse:
        return super().post(request)

    def respond(self, sign_in: login.SignIn) -> ApiResponse:
        user = sign_in.user
        admin = {"id": str(user.pk), "name": user.full_name, "email": user.email, "role": user.staff_role}
        return sign_in_response(sign_in, self.request, admin=admin)


class RegisterView(PublicView):
    @extend_schema(tags=[AUTH], summary="Create an account", request=io.RegisterInput, responses={201: SIGN_IN})
    def post(self, request: Request) -> ApiResponse:
        serializer = valid(io.RegisterInput, request)
        data = serializer.validated_data
        sign_in = login.user_register(
            email=data["email"],
            password=data["password"],
            full_name=data["full_name"],
            phone=data.get("phone"),
            partner_kind=serializer.partner_kind(),
        )  # seed 004's telegramId is accepted and ignored: only a verified Telegram sign-in links one
        log_sign_in(sign_in, request)
        return ApiResponse(sign_in_data(sign_in), message="Account created", status=201)


# --- social ---------------------------------------------------------------------------------------


class GoogleLoginView(PublicView):
    @extend_schema(
        tags=[AUTH],
        summary="Sign in with Google",
        request=io.GoogleInput,
        responses={
            200: SIGN_IN,
            401: SIGN_IN_REFUSED,
            503: OpenApiResponse(ErrorResponseSerializer, description="Google sign-in is off"),
        },
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.GoogleInput, request).validated_data
        sign_in, profile_data = social.google_sign_in(id_token=data["id_token"])
        return sign_in_response(sign_in, request, oauth_provider="GOOGLE", **profile_data)


class FacebookLoginView(PublicView):
    @extend_schema(
        tags=[AUTH],
        summary="Sign in with Facebook",
        request=io.FacebookInput,
        responses={
            200: SIGN_IN,
            401: SIGN_IN_REFUSED,
            503: OpenApiResponse(ErrorResponseSerializer, description="Facebook sign-in is off or unreachable"),
        },
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.FacebookInput, request).validated_data
        sign_in, profile_data = social.facebook_sign_in(access_token=data["access_token"])
        return sign_in_response(sign_in, request, oauth_provider="FACEBOOK", **profile_data)


# Seed 004's mini app body.
class TelegramMiniAppInput(serializers.Serializer):
    """What the Telegram mini app sends: ``{initData, platform: "telegram_mini_app"}``."""

    init_data = serializers.CharField(max_length=4096)
    platform = serializers.CharField(max_length=32, required=False, help_text='"telegram_mini_app".')


class TelegramLoginView(PublicView):
    """The login widget's fields, or the mini app's ``initData`` (a body with ``initData`` is the mini app's)."""

    @extend_schema(
        tags=[AUTH],
        summary="Sign in with Telegram: login widget or mini app initData",
        request=PolymorphicProxySerializer(
            component_name="TelegramSignInInput",
            serializers=[io.TelegramInput, TelegramMiniAppInput],
            resource_type_field_name=None,
        ),
        responses={
            200: SIGN_IN,
            401: OpenApiResponse(ErrorResponseSerializer, description="TELEGRAM_AUTH_FAILED"),
            503: OpenApiResponse(ErrorResponseSerializer, description="Telegram sign-in is off"),
        },
    )
    def post(self, request: Request) -> ApiResponse:
        if isinstance(request.data, dict) and "init_data" in request.data:
            mini_app = valid(TelegramMiniAppInput, request).validated_data
            return sign_in_response(social.telegram_mini_app_sign_in(init_data=mini_app["init_data"]), request)
        data = dict(valid(io.TelegramInput, request).validated_data)
        sign_in = social.telegram_sign_in(fields=data)
        return sign_in_response(sign_in, request)
