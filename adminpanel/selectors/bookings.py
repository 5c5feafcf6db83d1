"""The staff bookings list: it filters by the partner working a booking, so it reads ``partners`` too
(the rest of the staff bookings reads is ``bookings.selectors``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from bookings import hooks
from bookings.models import Booking, BookingService
from partners.models import LIVE_STATUSES, PartnerAssignment


def staff_bookings(params: dict[str, Any]) -> QuerySet[Booking]:
    """Every booking, filtered as the staff list asks (partner: one working it), newest first."""
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
