"""Helpers shared by the accounts views: masking, OTP and sign-in responses, base views."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts import serializers as io
from accounts.models import OtpChannel
from accounts.services import login, tokens
from accounts.services.otp import OtpSent
from core import system_settings
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

AUTH = "auth"
USERS = "users"
ADDRESSES = "addresses"


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    if len(local) <= 2:
        return f"{local[:1]}****@{domain}"
    return f"{local[0]}****{local[-1]}@{domain}"


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-5:]}"


def mask(channel: str, destination: str) -> str:
    return mask_phone(destination) if channel == OtpChannel.SMS else mask_email(destination)


def otp_sent_data(sent: OtpSent) -> dict[str, Any]:
    otp = sent.otp
    data = {
        "otp_id": str(otp.id),
        "sent_to": mask(otp.channel, otp.destination),
        "expires_at": otp.expires_at,
        "expires_in": system_settings.value("otp_expiry_minutes") * 60,
        "retry_after": sent.retry_after,
    }
    if otp.channel == OtpChannel.SMS:
        data["phone"] = otp.destination
    else:
        data["email"] = mask_email(otp.destination)
    return data


def otp_response(sent: OtpSent, message: str, method: str | None = None) -> ApiResponse:
    data = otp_sent_data(sent)
    if method is not None:  # seed 002 reads method and otp_sent
        data.update(method=method, otp_sent=True)
    response = ApiResponse(data, message=message)
    for header, value in sent.rate.headers().items():
        response[header] = value
    return response


def sign_in_data(sign_in: login.SignIn, extra: dict[str, Any] | None = None) -> dict[str, Any]:
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


def sign_in_response(sign_in: login.SignIn, request: Request | None = None, **extra: Any) -> ApiResponse:
    message = "Signed up and logged in. Please complete your profile." if sign_in.is_new_user else "Login successful"
    if request is not None:
        log_sign_in(sign_in, request)
    return ApiResponse(sign_in_data(sign_in, extra), message=message)


def log_sign_in(sign_in: login.SignIn, request: Request) -> None:
    """Seed 004's "User authenticated" business event, with how, from which platform and address."""
    data = request.data if isinstance(request.data, dict) else {}
    login.sign_in_logged(
        sign_in=sign_in,
        method=request.path.rstrip("/").rsplit("/", 1)[-1],
        platform=str(data.get("platform") or request.META.get("HTTP_X_PLATFORM") or "api"),
        ip=client_ip(request),
    )


def client_ip(request: Request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def valid(serializer_class: type[serializers.Serializer], request: Request, **kwargs: Any) -> Any:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class SignedInView(APIView):
    permission_classes = [IsAuthenticated]


SIGN_IN = OpenApiResponse(io.SignInOutput, description="Signed in")
# A sign-in whose code, password or token does not hold answers 401 (found by the schema fuzzer: undocumented).
SIGN_IN_REFUSED = OpenApiResponse(
    ErrorResponseSerializer,
    description="The code, password or token is wrong, expired or revoked (INVALID_OTP, OTP_EXPIRED, "
    "INVALID_CREDENTIALS, INVALID_TOKEN, OAUTH_FAILED)",
)
SIGN_IN_OR_REFUSED = {200: SIGN_IN, 401: SIGN_IN_REFUSED}
