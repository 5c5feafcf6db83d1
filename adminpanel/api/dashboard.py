"""Back-office dashboards: seed 000's admin dashboard and seed 002's dashboard stats (caches, staff
activity, pincode coverage). Seed 003's metrics are ``analytics.MetricsView``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from adminpanel.api import schemas as out
from adminpanel.selectors import analytics, dashboard, system
from core.permissions import require_perms
from core.responses import ApiResponse

TAG_DASHBOARD = "admin: dashboard"


class DashboardView(APIView):
    permission_classes = [require_perms("adminpanel.view_dashboard")]

    @extend_schema(
        tags=[TAG_DASHBOARD],
        summary="Back-office dashboard: bookings, revenue, recent partners and alerts",
        responses=out.DashboardOutput,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(dashboard.dashboard(viewer=request.user))


# Seed 002 dashboard stats.
class DashboardStatsView(APIView):
    """System health for staff: cache health, what staff did recently, and pincode coverage."""

    permission_classes = [require_perms("adminpanel.view_dashboard")]

    @extend_schema(
        tags=[TAG_DASHBOARD],
        summary="System health: caches, staff activity, pincode coverage",
        responses=out.DashboardStatsPageOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        stats = system.cache_stats()
        pincodes = analytics.pincode_demand(days_back=30)["summary"]
        return ApiResponse(
            {
                "cache_health": stats["overall_health"],
                "activity_stats": dashboard.activity(),
                "pincode_stats": {
                    "total_pincodes_served": pincodes["total_pincodes"],
                    "avg_bookings_per_pincode": round(pincodes["total_bookings"] / pincodes["total_pincodes"], 2)
                    if pincodes["total_pincodes"]
                    else 0.0,
                    "active_vendors": pincodes["total_vendors"],
                },
            }
        )
