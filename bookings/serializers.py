"""Bookings API shapes (seed 000 checkout and bookings; the staff endpoints' own are ``bookings.admin_serializers``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from bookings import hooks, policy
from bookings.models import (
    Booking,
    BookingEvent,
    BookingPaymentStatus,
    BookingService,
    BookingSource,
    PaymentMode,
)
from catalog.pricing import ZERO
from core import system_settings
from payments.models import PAID_STATUSES
from payments.serializers import PaymentOutput

MONEY: dict[str, Any] = {"max_digits": 10, "decimal_places": 2, "coerce_to_string": False}


class ItemInput(serializers.Serializer):
    service_id = serializers.UUIDField()
    quantity = serializers.IntegerField(min_value=1, max_value=20, default=1)


class PrepareInput(serializers.Serializer):
    service_ids = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=20)
    services = ItemInput(many=True, required=False, help_text="Services with quantities (instead of service_ids).")
    promo_code = serializers.CharField(max_length=50, required=False, allow_blank=True)
    address_id = serializers.UUIDField(required=False)
    booking_date = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        items = attrs.pop("services", None)
        if items is None:
            items = [{"service_id": service_id, "quantity": 1} for service_id in attrs.pop("service_ids", [])]
        attrs.pop("service_ids", None)
        attrs["items"] = items
        return attrs


class ConfirmInput(serializers.Serializer):
    preview_id = serializers.UUIDField()
    payment_method = serializers.ChoiceField(choices=PaymentMode.choices)
    address_id = serializers.UUIDField()
    booking_date = serializers.DateField()
    booking_time = serializers.CharField(max_length=8, help_text='"10:00 AM" or "10:00"')
    customer_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    customer_phone = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    customer_email = serializers.EmailField(required=False, allow_blank=True, default="")
    customer_notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    cancellation_policy_accepted = serializers.BooleanField()
    source = serializers.ChoiceField(choices=BookingSource.choices, default=BookingSource.APP)  # type: ignore[assignment]  # a field named like a Field attribute (the metaclass moves it)


class BookingServiceOutput(serializers.ModelSerializer):
    service_id = serializers.UUIDField()
    unit_price = serializers.DecimalField(**MONEY)

    class Meta:
        model = BookingService
        fields = ["service_id", "name", "quantity", "unit_price", "duration_minutes"]


class BookingOutput(serializers.ModelSerializer):
    services = BookingServiceOutput(source="items", many=True)
    address = serializers.JSONField(source="address_snapshot")
    partner = serializers.SerializerMethodField()
    total_price = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY)
    grand_total = serializers.DecimalField(**MONEY)
    specialist_id = serializers.UUIDField(
        source="requested_partner_id", allow_null=True, help_text="The provider the customer chose (appointments)."
    )
    deposit_amount = serializers.DecimalField(**MONEY, allow_null=True)
    deposit_paid = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField()
    cancellation_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "booking_number",
            "status",
            "booking_date",
            "booking_time",
            "scheduled_start",
            "scheduled_end",
            "payment_method",
            "payment_status",
            "total_price",
            "discount",
            "tax",
            "grand_total",
            "promo_code",
            "services",
            "address",
            "partner",
            "customer_notes",
            "vendor_notes",
            "source",
            "created_at",
            "specialist_id",
            "deposit_amount",
            "deposit_paid",
            "can_cancel",
            "cancellation_deadline",
            "meeting_link",
            "surge_multiplier",
            "dynamic_price_breakdown",
        ]
        # the model's help_text names a seed; the API says it in the customer's words
        extra_kwargs = {
            "customer_notes": {"help_text": "The customer's notes for the partner."},
            "vendor_notes": {"help_text": "The partner's notes for the customer (PATCH /bookings/{id})."},
        }

    def get_partner(self, booking: Booking) -> dict | None:
        return hooks.partner_of(booking)

    @extend_schema_field(serializers.BooleanField())
    def get_deposit_paid(self, booking: Booking) -> bool:
        return deposit_paid(booking)

    @extend_schema_field(serializers.BooleanField(help_text="Whether the customer may cancel now (bookings.policy)."))
    def get_can_cancel(self, booking: Booking) -> bool:
        return cancel_terms(booking)[0]

    @extend_schema_field(
        serializers.DateTimeField(
            allow_null=True, help_text="The last moment cancelling is free; null once the booking is closed."
        )
    )
    def get_cancellation_deadline(self, booking: Booking) -> str | None:
        deadline = cancel_terms(booking)[1]
        return _iso(deadline) if deadline else None


def cancel_terms(
    booking: Booking, *, now: datetime | None = None, settings: Mapping[str, Any] | None = None
) -> tuple[bool, datetime | None]:
    """``can_cancel`` and ``cancellation_deadline`` for the customer now (``bookings.policy``, every kind).

    An appointment's deadline is its start less the notice (after it the customer cannot cancel); a
    dispatched booking's is the end of the free window (after it cancelling costs the fee, so
    ``can_cancel`` stays true while it is open). The policy reads its settings from the shared cache, once
    per call; a list passes ``now`` and ``settings`` read once for all its rows (:func:`booking_rows`).
    """
    answer = policy.terms(booking, now=now or timezone.now(), captured=ZERO, settings=settings)
    return answer.can_cancel, answer.deadline


def deposit_paid(booking: Booking) -> bool:
    """Seed 004 ``depositPaid``: the deposit is captured, or the booking with a deposit is paid in full."""
    if booking.payment_status == BookingPaymentStatus.DEPOSIT_PAID:
        return True
    return booking.payment_status == BookingPaymentStatus.PAID and booking.deposit_amount is not None


def booking_rows(bookings: Iterable[Booking]) -> list[dict[str, Any]]:
    """:func:`booking_row` for a page of bookings: the clock, the runtime settings and the time zone read once."""
    now, settings, zone = timezone.now(), system_settings.all_values(), timezone.get_current_timezone()
    return [booking_row(booking, now=now, settings=settings, zone=zone) for booking in bookings]


def booking_row(
    booking: Booking,
    *,
    now: datetime | None = None,
    settings: Mapping[str, Any] | None = None,
    zone: tzinfo | None = None,
) -> dict[str, Any]:
    """``BookingOutput`` built by hand for lists: the same keys and values, several times faster on long pages.

    ``tests/bookings`` checks that it and the serializer agree field for field. For a page use
    :func:`booking_rows`.
    """
    can_cancel, deadline = cancel_terms(booking, now=now, settings=settings)
    return {
        "id": str(booking.pk),
        "booking_number": booking.booking_number,
        "status": booking.status,
        "booking_date": booking.booking_date.isoformat(),
        "booking_time": booking.booking_time.isoformat(),
        "scheduled_start": _iso(booking.scheduled_start, zone),
        "scheduled_end": _iso(booking.scheduled_end, zone),
        "payment_method": booking.payment_method,
        "payment_status": booking.payment_status,
        "total_price": float(booking.total_price),
        "discount": float(booking.discount),
        "tax": float(booking.tax),
        "grand_total": float(booking.grand_total),
        "promo_code": booking.promo_code,
        "services": _services(booking),
        "address": booking.address_snapshot,
        "partner": _partner(booking),
        "customer_notes": booking.customer_notes,
        "vendor_notes": booking.vendor_notes,
        "source": booking.source,
        "created_at": _iso(booking.created_at, zone),
        "specialist_id": str(booking.requested_partner_id) if booking.requested_partner_id else None,
        "deposit_amount": float(booking.deposit_amount) if booking.deposit_amount is not None else None,
        "deposit_paid": deposit_paid(booking),
        "can_cancel": can_cancel,
        "cancellation_deadline": _iso(deadline, zone) if deadline else None,
        "meeting_link": booking.meeting_link,
        "surge_multiplier": float(booking.surge_multiplier),
        "dynamic_price_breakdown": booking.dynamic_price_breakdown,
    }


def _partner(booking) -> dict | None:
    """The partner ``bookings.list_rows`` read with the row, else the port's answer (prefetched by a list)."""
    return booking.listed_partner if hasattr(booking, "listed_partner") else hooks.partner_of(booking)


def _services(booking: Booking) -> list[dict[str, Any]]:
    """The booking's services: the values ``selectors.bookings_page`` read, else its (prefetched) items."""
    values = getattr(booking, "service_values", None)
    if values is None:
        values = [
            (item.service_id, item.name, item.quantity, item.unit_price, item.duration_minutes)
            for item in booking.items.all()
        ]
    return [
        {
            "service_id": str(service_id),
            "name": name,
            "quantity": quantity,
            "unit_price": float(unit_price),
            "duration_minutes": minutes,
        }
        for service_id, name, quantity, unit_price, minutes in values
    ]


_DATETIME = serializers.DateTimeField()


def _iso(moment, zone: tzinfo | None = None) -> str:
    """``DateTimeField().to_representation``: the current time zone (``zone`` when already read), ISO 8601, ``Z``
    for UTC (its fast path)."""
    if api_settings.DATETIME_FORMAT != ISO_8601 or not settings.USE_TZ or not timezone.is_aware(moment):
        return _DATETIME.to_representation(moment)
    text = moment.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class BookingEventOutput(serializers.ModelSerializer):
    class Meta:
        model = BookingEvent
        fields = ["action", "old_status", "new_status", "note", "created_at"]


# Seed 000's single ``payment`` object of a booking.
class BookingPaymentSummary(serializers.Serializer):
    """A booking's payment: the one that paid it, else the latest attempt."""

    payment_id = serializers.UUIDField(source="id")
    razorpay_payment_id = serializers.CharField(source="gateway_payment_id", allow_null=True)
    payment_method = serializers.CharField(source="method")
    status = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    paid_at = serializers.DateTimeField(source="captured_at", allow_null=True)


class BookingDetailOutput(BookingOutput):
    timeline = BookingEventOutput(source="events", many=True)
    payments = PaymentOutput(source="payment_rows", many=True)
    payment = serializers.SerializerMethodField()
    cancellation_fee = serializers.DecimalField(**MONEY, allow_null=True)
    refund_amount = serializers.DecimalField(**MONEY, allow_null=True)
    deliverables = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the specialist handed over at completion.",  # seed 004
    )

    class Meta(BookingOutput.Meta):
        fields = [
            *BookingOutput.Meta.fields,
            "timeline",
            "payments",
            "payment",
            "cancellation_policy_accepted",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "cancellation_fee",
            "refund_amount",
            "session_type",
            "preparation_notes",
            "completion_notes",
            "deliverables",
        ]

    @extend_schema_field(BookingPaymentSummary(allow_null=True))
    def get_payment(self, booking: Booking) -> dict[str, Any] | None:
        rows = booking.payment_rows  # type: ignore[attr-defined]  # prefetched newest first (bookings.selectors)
        chosen = next((row for row in rows if row.status in PAID_STATUSES), rows[0] if rows else None)
        return BookingPaymentSummary(chosen).data if chosen else None


# --- staff (bookings.api.admin) ---------------------------------------------------------------


def staff_booking_detail(booking: Booking) -> dict[str, Any]:
    """A booking for staff (``bookings.selectors.booking_for_staff``): with customer, partner, payment and timeline."""
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
        "payment": PaymentOutput(booking.payment_rows[0]).data if booking.payment_rows else None,  # type: ignore[attr-defined]
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
