"""What the partners API modules share: the partner permission and base view, date filters, earnings pages.

``PartnerView`` is the base of every ``/partner/...`` and seed 002
``/vendor-availability`` view: signed in with a partner profile, throttled at
seed 000's 200 requests per minute per partner (scope ``partner``), and
``self.partner(request)`` is the caller's own partner row. The earnings page
(list and totals over one filter) is served to the partner for themselves and
to staff for any partner; a booking row as staff see it is answered after a
staff or internal assignment.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings.serializers import booking_row
from core.api import paginate, query
from core.throttles import ScopedRateThrottle
from partners import selectors
from partners.api.serializers.common import EarningOutput
from partners.models import Partner


class IsPartner(BasePermission):
    message = "This is for partners only."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and hasattr(user, "partner_profile"))


class PartnerView(APIView):
    permission_classes = [IsAuthenticated, IsPartner]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "partner"

    def partner(self, request: AuthenticatedRequest) -> Partner:
        return selectors.partner_of_user(request.user)


class DateRangeQuery(serializers.Serializer):
    status = serializers.CharField(required=False)
    date = serializers.DateField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


def earnings_payload(view: APIView, request: Request, partner_id) -> dict[str, Any]:
    params = query(DateRangeQuery, request)
    rows = selectors.earnings_of(
        partner_id, status=params.get("status"), date_from=params.get("date_from"), date_to=params.get("date_to")
    )
    return {
        **selectors.earnings_totals(rows),
        **paginate(view, request, rows, lambda e: EarningOutput(e).data, "earnings"),
    }


EARNINGS_PARAMS = [
    OpenApiParameter(
        "status", str, description="pending, on_hold, in_payout, paid, cancelled, or released (in_payout or paid)"
    ),
    OpenApiParameter("date_from", str),
    OpenApiParameter("date_to", str),
    OpenApiParameter("page", int),
    OpenApiParameter("limit", int),
]


def staff_booking_row(booking_id) -> dict[str, Any]:
    """The booking as staff see it (seed 000's booking row, with its partner)."""
    return booking_row(selectors.staff_booking(booking_id))
