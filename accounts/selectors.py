"""Reads shared by the accounts views; each a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.errors import AccountErrorCode
from accounts.models import Address, User
from core.errors import DomainError
from core.types import Id


def user_with_roles(user_id: Id) -> User | None:
    """The user and their groups: two queries."""
    return User.objects.prefetch_related("groups").filter(pk=user_id).first()


def addresses_of(user: User) -> QuerySet[Address]:
    """One query, whatever the number of addresses."""
    return Address.objects.filter(user=user).order_by("-is_default", "-created_at")


def user_for_refresh_token(raw: str) -> User:
    try:
        token = RefreshToken(raw)  # type: ignore[arg-type]  # simplejwt annotates the encoded token as Token
    except TokenError as exc:
        raise DomainError(
            "The refresh token is invalid or has been revoked. Please sign in again.",
            code=AccountErrorCode.INVALID_TOKEN,
            field="refresh_token",
            reason="invalid",
        ) from exc
    user = user_with_roles(token.get(api_settings.USER_ID_CLAIM))
    if user is None:
        raise DomainError("The refresh token is invalid.", code=AccountErrorCode.INVALID_TOKEN, field="refresh_token")
    return user
