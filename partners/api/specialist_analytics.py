"""Seed 004's analytics (issue #19) at the seed's paths under ``/api/v1/``.

* ``GET /analytics/specialist/dashboard``: the signed-in specialist's overview, 12-month revenue chart,
  top services and customer satisfaction (anyone else ``403 NOT_A_PARTNER``).
* ``GET /analytics/platform/metrics``: users, bookings and revenue across the platform (staff holding
  ``adminpanel.view_analytics``; it lives in partners, which may read bookings, partners and users).

The figures and the readings behind them are in ``partners.selectors.specialist_analytics``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from partners.selectors import specialist_analytics as reads
from partners.selectors.specialists import specialist_of

TAG = "analytics"
ERROR = ErrorResponseSerializer


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False, **kwargs)


def _rating() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)


def _percent(text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=100, help_text=text)


class AnalyticsOverviewOutput(serializers.Serializer):
    total_revenue = _money(help_text="Completed appointments' grand_total, all time.")
    this_month_revenue = _money(help_text="The same, this month in the specialist's time zone.")
    total_bookings = serializers.IntegerField(help_text="Appointments except unpaid (or lapsed) holds.")
    this_month_bookings = serializers.IntegerField()
    completed_bookings = serializers.IntegerField()
    average_rating = _rating()
    total_reviews = serializers.IntegerField()
    response_rate = _percent("Confirmed / reached the specialist for confirmation, %.")


class AnalyticsRevenueMonthOutput(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM in the specialist's time zone.")
    revenue = _money()
    bookings = serializers.IntegerField(help_text="Completed appointments that month.")


class AnalyticsTopServiceOutput(serializers.Serializer):
    service_id = serializers.UUIDField()
    name = serializers.CharField()
    bookings = serializers.IntegerField()
    revenue = _money()


class AnalyticsSatisfactionOutput(serializers.Serializer):
    average_rating = _rating()
    response_rate = _percent("Confirmed / reached the specialist for confirmation, %.")
    repeat_customers = _percent("Customers with 2+ completed appointments / customers with any, %.")


class SpecialistDashboardOutput(serializers.Serializer):
    overview = AnalyticsOverviewOutput()
    revenue_chart = AnalyticsRevenueMonthOutput(many=True, help_text="The last 12 months, oldest first.")
    top_services = AnalyticsTopServiceOutput(many=True, help_text="At most 5, by revenue.")
    customer_satisfaction = AnalyticsSatisfactionOutput()


class PlatformGrowthOutput(serializers.Serializer):
    this_month = serializers.IntegerField(help_text="Accounts created this month.")
    last_month = serializers.IntegerField()


class PlatformUsersOutput(serializers.Serializer):
    total = serializers.IntegerField()
    customers = serializers.IntegerField()
    specialists = serializers.IntegerField()
    growth = PlatformGrowthOutput()


class PlatformBookingsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    this_month = serializers.IntegerField()
    completion_rate = _percent("Completed / finished (completed, cancelled, refunded, no-show), %.")
    average_value = _money()


class PlatformRevenueOutput(serializers.Serializer):
    total = _money(help_text="Completed bookings' grand_total.")
    this_month = _money()
    commission_earned = _money(help_text="Sum of partner earnings' platform commission.")


class PlatformMetricsOutput(serializers.Serializer):
    users = PlatformUsersOutput()
    bookings = PlatformBookingsOutput()
    revenue = PlatformRevenueOutput()


class SpecialistDashboardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="The signed-in specialist's analytics dashboard",
        responses={200: SpecialistDashboardOutput, 401: ERROR, 403: ERROR},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = specialist_of(request.user)
        return ApiResponse(SpecialistDashboardOutput(reads.dashboard_of(partner)).data)


class PlatformMetricsView(APIView):
    permission_classes = [require_perms("adminpanel.view_analytics")]

    @extend_schema(
        tags=[TAG],
        summary="Platform-wide metrics (staff with analytics access)",
        responses={200: PlatformMetricsOutput, 401: ERROR, 403: ERROR},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(PlatformMetricsOutput(reads.platform_metrics()).data)
