"""Tokens and the session: refresh (rotating), logout, ``me``, the role list."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from accounts import selectors
from accounts import serializers as io
from accounts.authentication import AuthenticatedRequest
from accounts.permissions import IsStaffMember
from accounts.roles import ACCOUNT_KINDS, ROLE_PERMISSIONS, Role
from accounts.services import login, tokens
from accounts.views.common import AUTH, SIGN_IN_REFUSED, PublicView, SignedInView, valid
from core.responses import ApiResponse

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


# Seed 001 ``/auth/refresh`` and seed 000 ``/auth/refresh-token``.
class RefreshView(PublicView):
    """Trade a refresh token for a new access token; the refresh token is replaced too, so use the new one next."""

    staff_only = False

    @extend_schema(
        tags=[AUTH],
        summary="Refresh the access token",
        request=io.RefreshInput,
        responses={200: _TOKENS, 401: SIGN_IN_REFUSED},
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.RefreshInput, request).validated_data
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
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.LogoutInput, request).validated_data
        revoked = tokens.token_logout(user=request.user, refresh_token=data.get("refresh_token"))
        return ApiResponse({"revoked": revoked}, message="Logged out successfully")


class MeView(SignedInView):
    @extend_schema(tags=[AUTH], summary="The signed-in account", responses=io.UserOutput)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(io.UserOutput(selectors.user_with_roles(request.user.pk)).data)


# Seed 003's role list and permission matrix.
class RolesView(SignedInView):
    """For staff: the staff roles and what each one may do."""

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
