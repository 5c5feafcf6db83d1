"""Admin API (seed 000 Admin APIs; seed 002 admin dashboard; seed 003 staff management and analytics).

Each view names the Django permission it needs (``docs/permissions.md``, matrix
"back office"); roles grant permissions, so the same rules hold in the Django
admin. Writes go through ``adminpanel.services`` (audited); reads through
``adminpanel.selectors`` and the owning app's selectors. The staff service and
category endpoints live with their app, in ``catalog.api.admin``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.roles import Role
from accounts.serializers import AddressOutput
from adminpanel import selectors, services
from adminpanel import serializers as io
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingService, ContactSubmission, PromoCode
from bookings.serializers import BookingDetailOutput, booking_row
from core import system_settings
from core.api import paginate, query, valid
from core.errors import DomainError, ErrorCode
from core.models import AuditLog
from core.permissions import require_perms, require_perms_by_method
from core.responses import ApiResponse
from payments.models import Payment
from payments.serializers import PaymentOutput

ANY = OpenApiTypes.OBJECT
TAG_DASHBOARD = "admin: dashboard"
TAG_BOOKINGS = "admin: bookings"
TAG_CATALOG = "admin: promo codes"
TAG_PEOPLE = "admin: users and staff"
TAG_ANALYTICS = "admin: analytics"
TAG_SYSTEM = "admin: settings, audit log, caches"


def _page_params(*names: str) -> list[OpenApiParameter]:
    return [OpenApiParameter(name, str) for name in names] + [
        OpenApiParameter("page", int),
        OpenApiParameter("limit", int),
    ]


# --- dashboard --------------------------------------------------------------------------------


class DashboardView(APIView):
    permission_classes = [require_perms("adminpanel.view_dashboard")]

    @extend_schema(tags=[TAG_DASHBOARD], summary="Seed 000 admin dashboard", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(selectors.dashboard())


class DashboardStatsView(APIView):
    """Seed 002 dashboard stats: cache health, staff activity, pincode coverage."""

    permission_classes = [require_perms("adminpanel.view_dashboard")]

    @extend_schema(tags=[TAG_DASHBOARD], summary="Seed 002 dashboard stats", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        stats = _cache_stats()
        pincodes = selectors.pincode_demand(days_back=30)["summary"]
        return ApiResponse(
            {
                "cache_health": stats["overall_health"],
                "activity_stats": selectors.activity(),
                "pincode_stats": {
                    "total_pincodes_served": pincodes["total_pincodes"],
                    "avg_bookings_per_pincode": round(pincodes["total_bookings"] / pincodes["total_pincodes"], 2)
                    if pincodes["total_pincodes"]
                    else 0.0,
                    "active_vendors": pincodes["total_vendors"],
                },
            }
        )


# --- bookings ---------------------------------------------------------------------------------


def _admin_bookings(params: dict[str, Any]):
    rows = hooks.with_partner(
        Booking.objects.select_related("user").prefetch_related(
            Prefetch("items", queryset=BookingService.objects.order_by("created_at"))
        )
    )
    for name in ("status", "payment_status", "source"):
        if params.get(name):
            rows = rows.filter(**{name: params[name]})
    if params.get("user_id"):
        rows = rows.filter(user_id=params["user_id"])
    if params.get("date_from"):
        rows = rows.filter(booking_date__gte=params["date_from"])
    if params.get("date_to"):
        rows = rows.filter(booking_date__lte=params["date_to"])
    if params.get("partner_id"):
        from partners.models import LIVE_STATUSES, PartnerAssignment

        rows = rows.filter(
            Exists(
                PartnerAssignment.objects.filter(
                    booking=OuterRef("pk"), partner_id=params["partner_id"], status__in=LIVE_STATUSES
                )
            )
        )
    if params.get("search"):
        term = params["search"].strip()
        rows = rows.filter(
            Q(booking_number__iexact=term)
            | Q(user__phone__icontains=term)
            | Q(user__email__icontains=term.lower())
            | Q(contact_phone__icontains=term)
        )
    return rows.order_by("-created_at")


def _admin_booking_row(booking: Booking) -> dict[str, Any]:
    row = booking_row(booking)
    row["source"] = booking.source
    row["customer"] = {"id": str(booking.user_id), "name": booking.user.full_name, "phone": booking.user.phone}
    row["created_at"] = booking.created_at.isoformat()
    return row


class AdminBookingsView(APIView):
    permission_classes = [require_perms("bookings.view_booking")]

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="All bookings",
        operation_id="admin_bookings_list",
        parameters=_page_params(
            "status", "payment_status", "source", "date_from", "date_to", "partner_id", "user_id", "search"
        ),
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.AdminBookingsQuery, request)
        if params.get("date_from") and params.get("date_to"):
            selectors.date_range(params["date_from"], params["date_to"])
        return ApiResponse(paginate(self, request, _admin_bookings(params), _admin_booking_row, "bookings"))


def _booking_detail(booking_id) -> dict[str, Any]:
    booking = (
        hooks.with_partner(Booking.objects.select_related("user"))
        .prefetch_related(
            Prefetch("items", queryset=BookingService.objects.order_by("created_at")),
            "events__actor",
            "user__groups",
        )
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id", reason="not_found")
    booking.payment_rows = list(
        Payment.objects.filter(payable_type="bookings.booking", payable_id=str(booking.pk)).order_by("-created_at")
    )
    data = BookingDetailOutput(booking).data
    user = booking.user
    return {
        "booking": data,
        "user": {
            "id": str(user.pk),
            "name": user.full_name,
            "phone_number": user.phone,
            "email": user.email,
            "is_active": user.is_active,
        },
        "partner": data.get("partner"),
        "payment": PaymentOutput(booking.payment_rows[0]).data if booking.payment_rows else None,
        "services": data["services"],
        "timeline": [
            {
                "action": event.action,
                "timestamp": event.created_at.isoformat(),
                "by": (event.actor.full_name or event.actor.email or str(event.actor.pk)) if event.actor else "system",
                "old_status": event.old_status,
                "new_status": event.new_status,
                "note": event.note,
            }
            for event in sorted(booking.events.all(), key=lambda e: e.created_at)
        ],
    }


class AdminBookingDetailView(APIView):
    permission_classes = [require_perms("bookings.view_booking")]

    @extend_schema(tags=[TAG_BOOKINGS], summary="A booking with customer, partner, payment and timeline", responses=ANY)
    def get(self, request: Request, booking_id) -> ApiResponse:
        return ApiResponse(_booking_detail(booking_id))


class AdminBookingStatusView(APIView):
    permission_classes = [require_perms("bookings.view_booking", "bookings.change_booking")]

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Move a booking along its state machine",
        request=io.AdminStatusInput,
        responses=ANY,
    )
    def patch(self, request: Request, booking_id) -> ApiResponse:
        data = valid(io.AdminStatusInput, request)
        services.booking_set_status(
            booking_id=booking_id, status=data["status"], notes=data["notes"], actor=request.user
        )
        return ApiResponse({"booking": _booking_detail(booking_id)["booking"]}, message="Booking status updated")


class AdminBookingCancelView(APIView):
    permission_classes = [require_perms("bookings.view_booking", "bookings.change_booking")]

    @extend_schema(
        tags=[TAG_BOOKINGS], summary="Cancel a booking (with a refund)", request=io.AdminCancelInput, responses=ANY
    )
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = valid(io.AdminCancelInput, request)
        refund_amount = data.get("refund_amount")
        if refund_amount is not None and not request.user.has_perm("payments.add_refund"):
            raise DomainError(
                "Your role may cancel but not refund; leave refund_amount out or ask finance.",
                code=ErrorCode.FORBIDDEN,
                field="refund_amount",
                reason="may_not_refund",
            )
        result = services.booking_cancel(
            booking_id=booking_id, reason=data["reason"], refund_amount=refund_amount, actor=request.user
        )
        return ApiResponse(
            {
                "booking": _booking_detail(booking_id)["booking"],
                "refund": {
                    "amount": float(result.refund_amount),
                    "cancellation_fee": float(result.fee),
                    "status": result.refund_status,
                    "destination": "original_payment_method",
                },
            },
            message="Booking cancelled",
        )


class AdminBookingRefundView(APIView):
    permission_classes = [require_perms("bookings.view_booking", "payments.add_refund")]

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Refund a booking's payment (partial or full)",
        request=io.AdminRefundInput,
        responses=ANY,
    )
    def post(self, request: Request, booking_id) -> ApiResponse:
        data = valid(io.AdminRefundInput, request)
        refund = services.booking_refund(
            booking_id=booking_id,
            amount=data.get("amount"),
            reason=data["reason"],
            notes=data["notes"],
            actor=request.user,
        )
        return ApiResponse(
            {
                "refund_id": str(refund.pk),
                "refund_amount": float(refund.amount),
                "status": "processing" if refund.status == "pending" else refund.status,
            },
            message="Refund started",
        )


# --- promo codes (the staff service and category endpoints are catalog.api.admin) -------------


class AdminPromoCodesView(APIView):
    permission_classes = [require_perms_by_method(read="bookings.view_promocode", write="bookings.add_promocode")]

    @extend_schema(tags=[TAG_CATALOG], summary="Promo codes", parameters=_page_params("is_active"), responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        params = query(io.PromoQuery, request)
        rows = PromoCode.objects.order_by("-created_at")
        if params.get("is_active") is not None:
            rows = rows.filter(is_active=params["is_active"])
        return ApiResponse(paginate(self, request, rows, lambda p: io.AdminPromoOutput(p).data, "promo_codes", 50))

    @extend_schema(tags=[TAG_CATALOG], summary="Create a promo code", request=io.AdminPromoInput, responses=ANY)
    def post(self, request: Request) -> ApiResponse:
        promo = services.promo_create(data=valid(io.AdminPromoInput, request), actor=request.user)
        return ApiResponse({"promo_code": io.AdminPromoOutput(promo).data}, status=201, message="Promo code created")


class AdminPromoCodeDetailView(APIView):
    permission_classes = [require_perms_by_method(read="bookings.view_promocode", write="bookings.change_promocode")]

    @extend_schema(
        tags=[TAG_CATALOG], summary="Update a promo code", request=io.AdminPromoInput(partial=True), responses=ANY
    )
    def put(self, request: Request, promo_id) -> ApiResponse:
        data = valid(io.AdminPromoInput, request, partial=True)
        data.pop("code", None)  # the code is the promo's identity; create a new one instead
        promo = services.promo_update(promo_id=promo_id, data=data, actor=request.user)
        return ApiResponse({"promo_code": io.AdminPromoOutput(promo).data}, message="Promo code updated")

    patch = put


class AdminContactSubmissionsView(APIView):
    permission_classes = [require_perms("bookings.view_contactsubmission")]

    @extend_schema(
        tags=[TAG_PEOPLE], summary="Contact form submissions", parameters=_page_params("status"), responses=ANY
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.ContactQuery, request)
        rows = ContactSubmission.objects.order_by("-created_at")
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return ApiResponse(paginate(self, request, rows, lambda s: io.AdminContactOutput(s).data, "submissions"))


class AdminContactSubmissionView(APIView):
    permission_classes = [require_perms("bookings.view_contactsubmission", "bookings.change_contactsubmission")]

    @extend_schema(
        tags=[TAG_PEOPLE], summary="Answer a contact submission", request=io.AdminContactUpdateInput, responses=ANY
    )
    def patch(self, request: Request, submission_id) -> ApiResponse:
        data = valid(io.AdminContactUpdateInput, request)
        submission = services.contact_update(
            submission_id=submission_id,
            status=data.get("status"),
            admin_notes=data.get("admin_notes"),
            actor=request.user,
        )
        return ApiResponse({"submission": io.AdminContactOutput(submission).data}, message="Submission updated")


# --- users and staff --------------------------------------------------------------------------


class AdminUsersView(APIView):
    permission_classes = [require_perms("accounts.view_user")]

    @extend_schema(
        tags=[TAG_PEOPLE],
        summary="Users with their totals",
        operation_id="admin_users_list",
        parameters=_page_params("search", "role", "is_active"),
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.users_list(**query(io.UsersQuery, request))
        return ApiResponse(paginate(self, request, rows, io.user_row, "users"))


class AdminUserDetailView(APIView):
    permission_classes = [require_perms("accounts.view_user")]

    @extend_schema(tags=[TAG_PEOPLE], summary="A user with bookings, addresses and stats", responses=ANY)
    def get(self, request: Request, user_id) -> ApiResponse:
        user, stats = selectors.user_detail(user_id)
        recent = hooks.with_partner(
            Booking.objects.filter(user=user).prefetch_related(
                Prefetch("items", queryset=BookingService.objects.order_by("created_at"))
            )
        ).order_by("-created_at")[:20]
        return ApiResponse(
            {
                "user": {**io.user_row(user), "is_staff": user.is_staff_member, "last_login": user.last_login},
                "bookings": [booking_row(b) for b in recent],
                "addresses": AddressOutput(user.addresses.all(), many=True).data,
                "stats": stats,
            }
        )


class AdminUserStatusView(APIView):
    permission_classes = [require_perms("accounts.change_user")]

    @extend_schema(tags=[TAG_PEOPLE], summary="Block or unblock a user", request=io.UserStatusInput, responses=ANY)
    def patch(self, request: Request, user_id) -> ApiResponse:
        data = valid(io.UserStatusInput, request)
        person = services.user_set_active(
            user_id=user_id, is_active=data["is_active"], reason=data["reason"], actor=request.user
        )
        return ApiResponse(
            {"user": {"id": str(person.pk), "is_active": person.is_active}},
            message="User unblocked" if person.is_active else "User blocked",
        )


class StaffView(APIView):
    permission_classes = [require_perms("adminpanel.manage_staff")]


class AdminStaffListView(StaffView):
    @extend_schema(
        tags=[TAG_PEOPLE],
        summary="Staff accounts",
        operation_id="admin_staff_list",
        parameters=_page_params("role", "roleId"),
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.StaffQuery, request)
        role = params.get("role") or (
            io.SEED_003_ROLE_IDS[params["role_id"]].value if params.get("role_id") in io.SEED_003_ROLE_IDS else None
        )
        if params.get("role_id") is not None and role is None:
            raise DomainError(
                "Unknown staff role id.", code=ErrorCode.VALIDATION_ERROR, field="roleId", reason="unknown_value"
            )
        rows = selectors.users_list(role=role, staff=True)
        return ApiResponse(paginate(self, request, rows, io.staff_row, "staff"))

    @extend_schema(tags=[TAG_PEOPLE], summary="Create a staff account", request=io.StaffInput, responses=ANY)
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.StaffInput, request)
        if not data.get("role"):
            raise DomainError(
                "Choose a role (or roleId).", code=ErrorCode.VALIDATION_ERROR, field="role", reason="required"
            )
        person = services.staff_create(data=data, role=Role(data.pop("role")), actor=request.user)
        return ApiResponse({"staff": io.staff_row(person)}, status=201, message="Staff account created")


class AdminStaffRoleCreateView(StaffView):
    """Seed 003's role-specific create endpoints (managers, centre managers, care coordinators, front desk)."""

    role: Role = Role.FRONT_DESK

    @extend_schema(
        tags=[TAG_PEOPLE], summary="Create a staff account with this role", request=io.StaffInput, responses=ANY
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.StaffInput, request)
        data.pop("role", None)
        person = services.staff_create(data=data, role=self.role, actor=request.user)
        return ApiResponse({"staff": io.staff_row(person)}, status=201, message="Staff account created")


class AdminStaffDetailView(StaffView):
    def _staff(self, user_id):
        person = selectors.users_list(staff=True).filter(pk=user_id).first()
        if person is None:
            raise DomainError("Staff member not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
        return person

    @extend_schema(tags=[TAG_PEOPLE], summary="A staff account", responses=ANY)
    def get(self, request: Request, user_id) -> ApiResponse:
        return ApiResponse({"staff": io.staff_row(self._staff(user_id))})

    @extend_schema(tags=[TAG_PEOPLE], summary="Update a staff account", request=io.StaffUpdateInput, responses=ANY)
    def put(self, request: Request, user_id) -> ApiResponse:
        self._staff(user_id)
        data = dict(valid(io.StaffUpdateInput, request))
        if data.get("role"):
            data["role"] = Role(data["role"])
        person = services.staff_update(user_id=user_id, data=data, actor=request.user)
        return ApiResponse({"staff": io.staff_row(person)}, message="Staff account updated")

    patch = put

    @extend_schema(tags=[TAG_PEOPLE], summary="Deactivate a staff account (soft delete)", request=None, responses=ANY)
    def delete(self, request: Request, user_id) -> ApiResponse:
        self._staff(user_id)
        services.staff_delete(user_id=user_id, actor=request.user)
        return ApiResponse(None, message="Staff account deactivated")


class AdminStaffToggleView(StaffView):
    @extend_schema(tags=[TAG_PEOPLE], summary="Toggle a staff account active", request=None, responses=ANY)
    def patch(self, request: Request, user_id) -> ApiResponse:
        person = services.staff_toggle_active(user_id=user_id, actor=request.user)
        return ApiResponse({"staff": {"id": str(person.pk), "is_active": person.is_active}})


# --- analytics --------------------------------------------------------------------------------


class AnalyticsView(APIView):
    permission_classes = [require_perms("adminpanel.view_analytics")]


class RevenueView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Revenue by day, week or month",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to", "group_by", "period")],
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.RevenueQuery, request)
        group = selectors.group_by(params.get("group_by") or params.get("period"))
        date_from, date_to = selectors.date_range(params.get("date_from"), params.get("date_to"))
        return ApiResponse(selectors.revenue(date_from=date_from, date_to=date_to, group=group))


class PartnerPerformanceView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Partner performance",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to", "partner_id")],
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.PartnerPerformanceQuery, request)
        date_from, date_to = selectors.date_range(params.get("date_from"), params.get("date_to"))
        rows = selectors.partner_performance(date_from=date_from, date_to=date_to, partner_id=params.get("partner_id"))
        return ApiResponse({"partners": rows})


class ServicePopularityView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Service popularity",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to")],
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.RangeQuery, request)
        date_from, date_to = selectors.date_range(params.get("date_from"), params.get("date_to"))
        return ApiResponse({"services": selectors.service_popularity(date_from=date_from, date_to=date_to)})


class TopPartnersView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Top partners (seed 003 top doctors); the last 30 days unless a range is given",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to", "limit")],
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.TopQuery, request)
        date_from, date_to = selectors.date_range(params.get("date_from"), params.get("date_to"), required=False)
        rows = selectors.partner_performance(date_from=date_from, date_to=date_to, limit=params["limit"])
        return ApiResponse({"partners": rows, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()})


class BookingsBySourceView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Bookings by source (seed 003 leads by source); the last 30 days unless a range is given",
        parameters=[OpenApiParameter(n, str) for n in ("date_from", "date_to")],
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.RangeQuery, request)
        date_from, date_to = selectors.date_range(params.get("date_from"), params.get("date_to"), required=False)
        return ApiResponse({"sources": selectors.bookings_by_source(date_from=date_from, date_to=date_to)})


class MetricsView(AnalyticsView):
    @extend_schema(tags=[TAG_ANALYTICS], summary="Seed 003 dashboard metrics", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(selectors.metrics())


class PincodeDemandView(AnalyticsView):
    @extend_schema(
        tags=[TAG_ANALYTICS],
        summary="Seed 002 pincode scaling: demand against partners per pincode",
        parameters=[OpenApiParameter("days_back", int), OpenApiParameter("service_type", str)],
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.PincodeQuery, request)
        return ApiResponse(selectors.pincode_demand(**params))


# --- settings, audit log, caches --------------------------------------------------------------


class SettingsView(APIView):
    permission_classes = [require_perms_by_method(read="core.view_systemsetting", write="core.change_systemsetting")]

    @extend_schema(tags=[TAG_SYSTEM], summary="System settings", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        values = {k: _plain(v) for k, v in system_settings.all_values().items()}
        return ApiResponse({**values, "settings": values, "definitions": _definitions()})

    @extend_schema(
        tags=[TAG_SYSTEM], summary="Change system settings (super admin)", request=io.SettingsInput, responses=ANY
    )
    def put(self, request: Request) -> ApiResponse:
        changes = valid(io.SettingsInput, request)
        values = system_settings.settings_update(actor=request.user, changes=changes)
        return ApiResponse({"settings": {k: _plain(v) for k, v in values.items()}}, message="Settings updated")

    patch = put


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _definitions() -> list[dict[str, Any]]:
    return [
        {**row, **{k: _plain(row[k]) for k in ("value", "minimum", "maximum")}} for row in system_settings.describe()
    ]


def _audit_rows(params: dict[str, Any]):
    rows = AuditLog.objects.all()
    if params.get("admin_id"):
        rows = rows.filter(actor_id=params["admin_id"])
    if params.get("user"):
        rows = rows.filter(Q(actor_email__iexact=params["user"]) | Q(actor_name__icontains=params["user"]))
    resource_type = params.get("resource_type") or params.get("model")
    if resource_type:
        rows = rows.filter(resource_type__iexact=resource_type)
    if params.get("resource_id"):
        rows = rows.filter(resource_id=params["resource_id"])
    if params.get("action"):
        rows = rows.filter(action=params["action"])
    if params.get("via"):
        rows = rows.filter(via=params["via"])
    date_from = params.get("date_from") or params.get("start_date")
    date_to = params.get("date_to") or params.get("end_date")
    if date_from or date_to:
        date_from, date_to = selectors.date_range(date_from, date_to, required=False)
        start, end = selectors._bounds(date_from, date_to)
        rows = rows.filter(created_at__gte=start, created_at__lt=end)
    return rows.order_by("-created_at")


class AuditLogsView(APIView):
    permission_classes = [require_perms("core.view_auditlog")]

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Audit log (seed 002 edit history too)",
        parameters=_page_params(
            "admin_id",
            "user",
            "resource_type",
            "model",
            "resource_id",
            "action",
            "via",
            "date_from",
            "date_to",
            "start_date",
            "end_date",
        ),
        responses=ANY,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = _audit_rows(query(io.AuditQuery, request))
        return ApiResponse(paginate(self, request, rows, io.audit_row, "logs"))


def _cache_stats() -> dict[str, Any]:
    from django.conf import settings
    from django.core.cache import caches

    stats, healthy, rates = {}, 0, []
    for name, config in settings.CACHES.items():
        row: dict[str, Any] = {
            "name": name,
            "backend": config["BACKEND"].rsplit(".", 1)[-1],
            "timeout": config.get("TIMEOUT", 300),
        }
        try:
            client = caches[name].client.get_client()  # django-redis
            info = client.info()
            hits, misses = info.get("keyspace_hits", 0), info.get("keyspace_misses", 0)
            rate = round(hits * 100 / (hits + misses), 2) if hits + misses else 0.0
            row.update(
                redis_version=info.get("redis_version"),
                used_memory=info.get("used_memory_human"),
                connected_clients=info.get("connected_clients"),
                keyspace_hits=hits,
                keyspace_misses=misses,
                hit_rate_percentage=rate,
                total_keys=client.dbsize(),
                status="healthy",
            )
            healthy += 1
            rates.append(rate)
        except Exception as exc:
            row.update(status="unhealthy", error=str(exc))
        stats[name] = row
    total = len(stats)
    stats["overall_health"] = {
        "healthy_caches": healthy,
        "total_caches": total,
        "health_percentage": round(healthy * 100 / total, 1) if total else 0.0,
        "average_hit_rate": round(sum(rates) / len(rates), 2) if rates else 0.0,
        "status": "healthy" if healthy == total else "degraded",
    }
    return stats


class CacheView(APIView):
    permission_classes = [require_perms("adminpanel.manage_cache")]

    @extend_schema(tags=[TAG_SYSTEM], summary="Cache statistics (seed 002)", responses=ANY)
    def get(self, request: Request) -> ApiResponse:
        from django.utils import timezone

        return ApiResponse({"cache_stats": _cache_stats(), "timestamp": timezone.now().isoformat()})

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Clear a cache: all, catalog, slots or settings",
        request=io.CacheClearInput,
        responses=ANY,
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.CacheClearInput, request)
        result = services.cache_clear(cache_type=data["cache_type"], actor=request.user)
        return ApiResponse({"result": result}, message=f'Cache "{data["cache_type"]}" cleared successfully')


# --- notifications: seed 002 management, broadcast to a segment --------------------------------


class NotificationStatsView(APIView):
    """Seed 002 ``/admin-dashboard/notifications/``: stats and alerts (GET), start a notification job (POST)."""

    permission_classes = [require_perms_by_method(read="notifications.view_delivery", write="notifications.broadcast")]

    @extend_schema(
        tags=[TAG_SYSTEM], summary="Notification delivery stats and business alerts (seed 002)", responses=ANY
    )
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(
            {"notification_stats": selectors.notification_stats(), "business_alerts": selectors.business_alerts()}
        )

    @extend_schema(
        tags=[TAG_SYSTEM],
        summary="Start a notification job on the worker (seed 002)",
        request=io.NotificationActionInput,
        responses=ANY,
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.NotificationActionInput, request)
        result = services.notification_action(action=data["action"], actor=request.user)
        return ApiResponse({"task_id": result["task_id"]}, message=result["message"])


class BroadcastView(APIView):
    permission_classes = [require_perms("notifications.broadcast")]

    @extend_schema(
        tags=[TAG_SYSTEM], summary="Send a message to a segment of users", request=io.BroadcastInput, responses=ANY
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.BroadcastInput, request)
        result = services.broadcast(actor=request.user, **data)
        return ApiResponse(result, status=202, message=f"Broadcast to {result['recipients']} people queued")
