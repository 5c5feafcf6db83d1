"""Back-office analytics (seed 000 analytics; seed 003 top partners, leads by source, dashboard metrics;
seed 002 pincode scaling). Definitions are in ``adminpanel.selectors.analytics``; ``centreId`` (or
``centre_id``) and a centre manager's own centres are read by ``adminpanel.selectors.common.centre_scope``, after
the analytics permission is checked."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from adminpanel import serializers as io
from adminpanel.api import schemas as out
from adminpanel.selectors import analytics, dashboard
from adminpanel.selectors.common import CentreScope, centre_scope, date_range, group_by
from core.api import CamelCaseInput, query
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

TAG_ANALYTICS = "admin: analytics"


CENTRE_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.UUID, description="Only bookings at this centre.")  # seed 003 centreId
    for name in ("centreId", "centre_id")
]


class CentreQuery(CamelCaseInput):
    ALIASES = {"centreId": "centre_id"}
    centre_id = serializers.UUIDField(required=False)


def _scope(request: AuthenticatedRequest) -> CentreScope:
    return centre_scope(request.user, query(CentreQuery, request).get("centre_id"))


class AnalyticsView(APIView):
    permission_classes = [require_perms("adminpanel.view_analytics")]


class RevenueView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Revenue by day, week, month or year",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to", "group_by", "period")]
        + CENTRE_PARAMETERS,
        responses=out.RevenueOutput,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(io.RevenueQuery, request)
        group = group_by(params.get("group_by") or params.get("period"))
        date_from, date_to = date_range(params.get("date_from"), params.get("date_to"))
        scope = _scope(request)
        return ApiResponse(analytics.revenue(date_from=date_from, date_to=date_to, group=group, scope=scope))


class PartnerPerformanceView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Partner performance",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to", "partner_id")] + CENTRE_PARAMETERS,
        responses=out.PartnerPerformanceOutput,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(io.PartnerPerformanceQuery, request)
        date_from, date_to = date_range(params.get("date_from"), params.get("date_to"))
        rows = analytics.partner_performance(
            date_from=date_from, date_to=date_to, partner_id=params.get("partner_id"), scope=_scope(request)
        )
        return ApiResponse({"partners": rows})


class ServicePopularityView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Service popularity",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to")],
        responses=out.ServicePopularityOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.RangeQuery, request)
        date_from, date_to = date_range(params.get("date_from"), params.get("date_to"))
        return ApiResponse({"services": analytics.service_popularity(date_from=date_from, date_to=date_to)})


class TopPartnersView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        # seed 003 top doctors
        summary="Top partners by bookings and revenue; the last 30 days unless a range is given",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to", "limit")] + CENTRE_PARAMETERS,
        responses=out.TopPartnersOutput,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(io.TopQuery, request)
        date_from, date_to = date_range(params.get("date_from"), params.get("date_to"), required=False)
        rows = analytics.partner_performance(
            date_from=date_from, date_to=date_to, limit=params["limit"], scope=_scope(request)
        )
        return ApiResponse({"partners": rows, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()})


class BookingsBySourceView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        # seed 003 leads by source
        summary="Bookings by where they came from; the last 30 days unless a range is given",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to")] + CENTRE_PARAMETERS,
        responses=out.BookingsBySourceOutput,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(io.RangeQuery, request)
        date_from, date_to = date_range(params.get("date_from"), params.get("date_to"), required=False)
        rows = analytics.bookings_by_source(date_from=date_from, date_to=date_to, scope=_scope(request))
        return ApiResponse({"sources": rows})


class MetricsView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Headline numbers: customers, partners, revenue, bookings, appointments and follow-ups",  # seed 003
        parameters=CENTRE_PARAMETERS,
        responses={200: out.MetricsOutput, 404: OpenApiResponse(ErrorResponseSerializer, description="No such centre")},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(dashboard.metrics(scope=_scope(request)))


class PincodeDemandView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Demand against partners per pincode, to see where more partners are needed",  # seed 002
        parameters=[OpenApiParameter("days_back", int), OpenApiParameter("service_type", str)],
        responses=out.PincodeDemandOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.PincodeQuery, request)
        return ApiResponse(analytics.pincode_demand(**params))
