"""Seed 002's writes on ``/bookings`` (issue #20), used by ``customer.BookingListView`` and ``BookingDetailView``:

* ``POST /bookings`` takes two bodies, told apart by their fields: seed 004's chosen specialist
  (``specialist_id``, ``service_id``, ``scheduled_at``) and seed 002's dispatched booking (``service``,
  ``pincode``, ``scheduled_date``: ``bookings.services.quick_booking``). ``specialist_id`` beside one of seed 002's
  fields is ``422`` naming ``specialist_id``; a body with neither is read as the specialist's, whose missing
  fields are named. ``X-Idempotency-Key`` is optional for seed 002's body and replays its first answer.
* ``PATCH /bookings/{id}`` ``{vendor_notes, customer_notes, status}`` (``bookings.services.booking_patch``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, inline_serializer
from rest_framework import serializers

from accounts.authentication import AuthenticatedRequest
from bookings import selectors
from bookings import serializers as io
from bookings.api import schemas
from bookings.models import BookingStatus, PaymentMode
from bookings.services.booking_patch import booking_patch
from bookings.services.quick_booking import quick_book
from core.api import valid
from core.errors import DomainError, ErrorCode
from core.idempotency import HEADER, IdempotentMixin
from core.responses import ApiResponse

QUICK = "dispatched"
SPECIALIST = "specialist"
QUICK_ONLY = ("service", "pincode", "scheduled_date")
SPECIALIST_ONLY = ("specialist_id",)


class QuickBookingInput(serializers.Serializer):
    """Book one service at one of my addresses in ``pincode``; a partner is dispatched (priced by the server)."""

    service = serializers.UUIDField(help_text="The service's id.")
    pincode = serializers.RegexField(r"^\d{6}$", help_text="Six digits; one of my addresses must be there.")
    scheduled_date = schemas.AwareDateTimeField(help_text="When, with its offset; one of the day's slots.")
    customer_notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    address = serializers.UUIDField(
        required=False, help_text="Which of my addresses in the pincode (else the default)."
    )
    payment_method = serializers.ChoiceField(choices=PaymentMode.choices, default=PaymentMode.CASH)
    cancellation_policy_accepted = serializers.BooleanField(
        default=True, help_text="Booking here accepts the cancellation policy unless this is false."
    )


BOOKING_CREATE_REQUEST = PolymorphicProxySerializer(
    component_name="BookingCreateRequest",
    serializers=[schemas.SpecialistBookingInput, QuickBookingInput],
    resource_type_field_name=None,
)

QUICK_BOOKED = inline_serializer(
    "DispatchedBooked",
    {
        "booking": io.BookingDetailOutput(),
        "payment_intent": serializers.DictField(
            allow_null=True,
            help_text="Online: the payment order, as POST /payments/create-order answers it; null for cash or when "
            "it could not be started (the message says why).",
        ),
    },
)


def booking_kind(data: Any) -> str:
    """Which body a ``POST /bookings`` carries (camelCase keys are already snake_case here)."""
    keys = set(data.keys()) if hasattr(data, "keys") else set()
    specialist, quick = keys & set(SPECIALIST_ONLY), keys & set(QUICK_ONLY)
    if specialist and quick:
        raise DomainError(
            "Send specialist_id, service_id and scheduled_at to book a specialist, or service, pincode and "
            "scheduled_date to have a partner sent, not both.",
            code=ErrorCode.VALIDATION_ERROR,
            field="specialist_id",
            reason="two_kinds",
            context={"fields": sorted(quick)},
        )
    return QUICK if quick else SPECIALIST


# X-Idempotency-Key replays the first answer of the dispatched booking's body when the client sends one (no
# docstring: the view's schema would show it). Read by IdempotentMixin.initial after authentication.
class QuickIdempotentMixin(IdempotentMixin):
    @property
    def idempotent_methods(self) -> frozenset[str]:  # type: ignore[override]  # per request, not per class
        request = self.request
        if request.method != "POST" or not request.headers.get(HEADER):
            return frozenset()
        keys = set(request.data.keys()) if hasattr(request.data, "keys") else set()
        quick = bool(keys & set(QUICK_ONLY)) and not keys & set(SPECIALIST_ONLY)
        return frozenset({"POST"}) if quick else frozenset()


def quick_book_response(request: AuthenticatedRequest) -> ApiResponse:
    data = valid(QuickBookingInput, request)
    booked = quick_book(
        user=request.user,
        service_id=data["service"],
        pincode=data["pincode"],
        scheduled=data["scheduled_date"],
        customer_notes=data["customer_notes"],
        address_id=data.get("address"),
        payment_method=data["payment_method"],
        cancellation_policy_accepted=data["cancellation_policy_accepted"],
        idempotency_key=request.headers.get(HEADER) or None,
    )
    if booked.booking.payment_method == PaymentMode.CASH:
        message = "Booking created. Partner will be assigned shortly."
    elif booked.payment is not None:
        message = "Booking created. Complete the payment to confirm it."
    else:
        message = f"Booking created, but the payment could not be started ({booked.payment_error}). Retry it."
    booking = selectors.booking_of(request.user, booked.booking.pk)
    return ApiResponse(
        {"booking": io.BookingDetailOutput(booking).data, "payment_intent": booked.payment},
        message=message,
        status=201,
    )


class BookingPatchInput(serializers.Serializer):
    """What changes: the partner's notes (the partner working it), my notes (the customer), or the status."""

    vendor_notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    customer_notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=BookingStatus.choices,
        required=False,
        help_text="The current status (no change) or, from the customer, cancelled. Partners move jobs with "
        "PATCH /partner/bookings/{id}/status.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                {"vendor_notes": ["Send vendor_notes, customer_notes or status."]}, code="required"
            )
        return attrs


class BookingPatchedOutput(serializers.Serializer):
    """The booking after the change (the customer reads the rest at GET /bookings/{id}, the partner at
    GET /partner/bookings/{id})."""

    id = serializers.UUIDField()
    booking_number = serializers.CharField()
    status = serializers.CharField()
    vendor_notes = serializers.CharField(help_text="The partner's notes for the customer.")
    customer_notes = serializers.CharField(help_text="The customer's notes for the partner.")
    updated_at = serializers.DateTimeField()


def patch_response(request: AuthenticatedRequest, booking_id: Any) -> ApiResponse:
    data = valid(BookingPatchInput, request)
    booking = booking_patch(user=request.user, booking_id=booking_id, **data)
    return ApiResponse(BookingPatchedOutput(booking).data, message="Booking updated")
