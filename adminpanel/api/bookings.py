"""The staff bookings list and status change (seed 000 Admin APIs). Both reach ``partners``: the list
filters by the partner working a booking, and a staff ``completed`` is the partner's completion (cash,
earning, ledger). The rest of the staff bookings endpoints are ``bookings.api.admin``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from adminpanel import serializers as io
from adminpanel.api import schemas as out
from adminpanel.selectors.bookings import staff_bookings
from adminpanel.selectors.common import date_range
from adminpanel.services.bookings import booking_set_status
from bookings.models import Booking
from bookings.selectors import booking_for_staff
from bookings.serializers import booking_rows, staff_booking_detail
from bookings.staff_scope import staff_booking_check
from bookings.staff_scope import staff_bookings as reachable
from core.api import page_params, paginate, query, valid
from core.permissions import require_perms
from core.responses import ApiResponse

TAG_BOOKINGS = "admin: bookings"


def _admin_booking_rows(bookings: list[Booking]) -> list[dict[str, Any]]:
    """The page's rows: ``booking_rows`` (the clock and runtime settings read once a page) with the customer."""
    rows = booking_rows(bookings)
    for row, booking in zip(rows, bookings, strict=True):
        row["source"] = booking.source
        row["customer"] = {"id": str(booking.user_id), "name": booking.user.full_name, "phone": booking.user.phone}
        row["created_at"] = booking.created_at.isoformat()
    return rows


class AdminBookingsView(APIView):
    permission_classes = [require_perms("bookings.view_booking")]

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="All bookings",
        operation_id="admin_bookings_list",
        parameters=page_params(
            "status", "payment_status", "source", "date_from", "date_to", "partner_id", "user_id", "search"
        ),
        responses=out.AdminBookingsPage,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(io.AdminBookingsQuery, request)
        if params.get("date_from") and params.get("date_to"):
            date_range(params["date_from"], params["date_to"])
        rows = reachable(request.user, staff_bookings(params))  # a clinic role: its appointments only
        data = paginate(self, request, rows, lambda booking: booking, "bookings")
        data["bookings"] = _admin_booking_rows(data["bookings"])
        return ApiResponse(data)


class AdminBookingStatusView(APIView):
    permission_classes = [require_perms("bookings.view_booking", "bookings.change_booking")]

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Move a booking along its state machine",
        request=io.AdminStatusInput,
        responses=out.AdminBookingStatusOutput,
    )
    def patch(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        staff_booking_check(request.user, booking_id)
        data = valid(io.AdminStatusInput, request)
        booking_set_status(booking_id=booking_id, status=data["status"], notes=data["notes"], actor=request.user)
        return ApiResponse(
            {"booking": staff_booking_detail(booking_for_staff(booking_id))["booking"]},
            message="Booking status updated",
        )
