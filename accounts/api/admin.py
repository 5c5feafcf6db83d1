"""Staff accounts endpoints (seed 000 Admin APIs): block or unblock a user.

Routed by ``adminpanel.urls`` under ``/api/v1/admin/``. The users list and a user's detail show their
bookings and spend, so they read ``bookings`` and ``payments`` and stay in ``adminpanel.api.people``;
staff accounts are ``adminpanel``'s too.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.services.blocking import user_set_active
from core.api import CamelCaseInput, valid
from core.permissions import require_perms
from core.responses import ApiResponse

TAG_PEOPLE = "admin: users and staff"


class UserStatusInput(CamelCaseInput):
    """Block (``is_active`` false) or unblock a user, with a reason; ``isActive`` is accepted."""

    ALIASES = {"isActive": "is_active"}
    is_active = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AdminUserStateOutput(serializers.Serializer):
    id = serializers.UUIDField()
    is_active = serializers.BooleanField()


class AdminUserStatusOutput(serializers.Serializer):
    user = AdminUserStateOutput()


class AdminUserStatusView(APIView):
    permission_classes = [require_perms("accounts.change_user")]

    @extend_schema(
        tags=[TAG_PEOPLE], summary="Block or unblock a user", request=UserStatusInput, responses=AdminUserStatusOutput
    )
    def patch(self, request: AuthenticatedRequest, user_id) -> ApiResponse:
        data = valid(UserStatusInput, request)
        person = user_set_active(
            user_id=user_id, is_active=data["is_active"], reason=data["reason"], actor=request.user
        )
        return ApiResponse(
            {"user": {"id": str(person.pk), "is_active": person.is_active}},
            message="User unblocked" if person.is_active else "User blocked",
        )
