"""Bookings reads: a fixed number of queries whatever the page size (the partner is one prefetch).

The customer's own bookings, and the staff reads of ``bookings.api.admin`` (one booking with its
timeline and payments, promo codes, contact submissions).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Window

from accounts.models import User
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import BOOKING_PAYABLE, Booking, BookingService, BookingStatus, ContactSubmission, PromoCode
from core.errors import DomainError, ErrorCode
from core.types import Id
from payments.models import Payment


def bookings_of(
    user: User,
    *,
    status: str | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    pincode: str | None = None,
) -> QuerySet[Booking]:
    """The customer's bookings with their services (two queries plus the count), optionally only those whose
    own day (``booking_date``: the provider's or the platform's local day) is within ``start_date``..``end_date``
    (both included), or at an address in ``pincode`` (as it was when booked)."""
    rows = hooks.with_partner(
        Booking.objects.filter(user=user).prefetch_related(
            Prefetch("items", queryset=BookingService.objects.order_by("created_at"))
        )
    )
    if check_status(status):
        rows = rows.filter(status=status)
    if start_date:
        rows = rows.filter(booking_date__gte=start_date)
    if end_date:
        rows = rows.filter(booking_date__lte=end_date)
    if pincode:
        rows = rows.filter(address_snapshot__pincode=pincode)
    return rows.order_by("-booking_date", "-booking_time", "-created_at")


def check_status(status: str | None) -> str | None:
    """The list's ``status`` filter (``400 INVALID_REQUEST`` when it is not a booking status)."""
    if status and status not in BookingStatus.values:
        raise DomainError(
            f"Unknown status. Use one of: {', '.join(BookingStatus.values)}.",
            code=ErrorCode.INVALID_REQUEST,
            field="status",
            reason="unknown_status",
        )
    return status


SERVICE_VALUES = ("service_id", "name", "quantity", "unit_price", "duration_minutes")


def bookings_page(rows: QuerySet[Booking], *, offset: int, limit: int) -> tuple[list[Booking], int]:
    """One page of :func:`bookings_of` and the total, counted in the page's own query (a window over the rows);
    a second query counts only when the page is empty after the first (past the end). The services are read
    as plain values (``booking.service_values``: :data:`SERVICE_VALUES` in order), not as prefetched models."""
    query = hooks.with_partner(rows.prefetch_related(None)).annotate(total_rows=Window(Count("pk")))
    page: list[Booking] = list(query[offset : offset + limit])
    if not page:
        return page, rows.count() if offset else 0
    services: dict[Any, list[tuple[Any, ...]]] = {booking.pk: [] for booking in page}
    values = BookingService.objects.filter(booking_id__in=services).order_by("created_at")
    for booking_id, *fields in values.values_list("booking_id", *SERVICE_VALUES):
        services[booking_id].append(tuple(fields))
    for booking in page:
        booking.service_values = services[booking.pk]  # type: ignore[attr-defined]  # read by booking_row
    return page, int(page[0].total_rows)  # type: ignore[attr-defined]  # the annotation


def booking_of(user: User, booking_id: Id) -> Booking:
    """One of the customer's bookings with services, timeline and payments; another's is "not found"."""
    booking: Booking | None = (
        hooks.with_partner(Booking.objects.filter(pk=booking_id, user=user))
        .prefetch_related(Prefetch("items", queryset=BookingService.objects.order_by("created_at")), "events")
        .first()
    )
    if booking is None:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id", reason="not_found")
    booking.payment_rows = list(  # type: ignore[attr-defined]  # read by the booking serializers
        Payment.objects.filter(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk)).order_by("-created_at")
    )
    return booking


# --- staff ------------------------------------------------------------------------------------


def booking_by_id(booking_id: Id) -> Booking:
    """Any booking (staff); a missing one is ``BOOKING_NOT_FOUND``."""
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id", reason="not_found")
    return booking


def booking_for_staff(booking_id: Id) -> Booking:
    """Any booking with its customer (and their roles), services, timeline with actors, partner and payments."""
    booking: Booking | None = (
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
    booking.payment_rows = list(  # type: ignore[attr-defined]  # read by the booking serializers
        Payment.objects.filter(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk)).order_by("-created_at")
    )
    return booking


def promo_codes(*, is_active: bool | None = None) -> QuerySet[PromoCode]:
    rows = PromoCode.objects.order_by("-created_at")
    if is_active is not None:
        rows = rows.filter(is_active=is_active)
    return rows


def contact_submissions(*, status: str | None = None) -> QuerySet[ContactSubmission]:
    rows = ContactSubmission.objects.order_by("-created_at")
    if status:
        rows = rows.filter(status=status)
    return rows


def booking_payments(user: User, booking_id: Id) -> list[Payment]:
    """Seed 003 ``GET /payments/{appointmentId}`` (here ``/bookings/{id}/payment``): the customer's booking's
    payments, newest first, each with its refunds (two queries after the ownership check)."""
    if not Booking.objects.filter(pk=booking_id, user=user).exists():
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id", reason="not_found")
    return list(
        Payment.objects.filter(payable_type=BOOKING_PAYABLE, payable_id=str(booking_id))
        .prefetch_related("refunds")
        .order_by("-created_at")
    )


def ops_staff() -> QuerySet[User]:
    """Who hears of expired sign-offs: active people who may change bookings (by group, directly, or superuser)."""
    app, codename = "bookings", "change_booking"
    by_group = Q(groups__permissions__content_type__app_label=app, groups__permissions__codename=codename)
    direct = Q(user_permissions__content_type__app_label=app, user_permissions__codename=codename)
    return User.objects.filter(by_group | direct | Q(is_superuser=True), is_active=True).distinct()
