"""Shapes both the partner app and staff render: the partner profile, a job, an earning and a payout.

KYC numbers and the bank account are never output in full: ``bank_account_number``
is masked as seed 001 shows it (``XXXXXX7890``), Aadhaar and PAN likewise.
``WorkingHoursInput`` is seed 000's ``{"start", "end", "days"}``, which a
partner sets for themselves and staff set for a partner.

What a partner sees of the customer (:func:`partner_job_row`) follows the
job, not the booking (issue 14 item 7):

=======================  ==============  ================================
assignment               name and phone  address and customer notes
=======================  ==============  ================================
assigned (open offer)    no              full (to decide on the offer)
accepted, in_transit,    yes             full
arrived
completed                no              area only, no notes
cancelled, rejected,     no              area only, no notes
expired
=======================  ==============  ================================

"Area only" is ``city``, ``state`` and ``pincode``: once a job is closed the
partner keeps what their earnings history needs (booking number, date and
time, services, amounts, the area they worked in) and loses the customer's
name, phone, street address, exact location and notes. The partner's own list
leaves out offers they never took (``partners.selectors.partner_jobs``); a
cancelled job they had accepted stays, with the area only. Staff (a partner's
jobs in the back office) see everything.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from bookings.serializers import booking_row
from partners.models import AssignmentStatus, Partner, PartnerAssignment, PartnerEarning, PartnerPayout
from partners.services.availability import working_hours_of

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "coerce_to_string": False}


class WorkingHoursInput(serializers.Serializer):
    start = serializers.TimeField(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"])
    end = serializers.TimeField(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"])
    days = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7), min_length=1, max_length=7, help_text="1 = Monday"
    )


# Seed 000 ``GET /admin/partners`` row.
class PartnerRowOutput(serializers.ModelSerializer):
    """A partner as the staff list shows them."""

    name = serializers.CharField(source="user.full_name")
    phone_number = serializers.CharField(source="user.phone", allow_null=True)
    rating = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    total_earnings = serializers.DecimalField(**MONEY)
    pending_payout = serializers.DecimalField(**MONEY)

    class Meta:
        model = Partner
        fields = [
            "id",
            "partner_code",
            "name",
            "phone_number",
            "rating",
            "total_bookings",
            "completed_bookings",
            "total_earnings",
            "pending_payout",
            "is_active",
            "is_available",
            "onboarding_status",
        ]


class PartnerOutput(PartnerRowOutput):
    """The whole profile, KYC and bank masked."""

    email = serializers.CharField(source="user.email", allow_null=True)
    aadhar_number = serializers.CharField(source="aadhar_masked")
    pan_number = serializers.CharField(source="pan_masked")
    bank_account_number = serializers.CharField(source="bank_account_masked")
    service_categories = serializers.SerializerMethodField()
    service_tiers = serializers.ListField(child=serializers.CharField())
    working_hours = serializers.SerializerMethodField()
    current_lat = serializers.DecimalField(max_digits=10, decimal_places=8, coerce_to_string=False, allow_null=True)
    current_lng = serializers.DecimalField(max_digits=11, decimal_places=8, coerce_to_string=False, allow_null=True)
    cancellation_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    acceptance_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)

    class Meta(PartnerRowOutput.Meta):
        fields = [
            *PartnerRowOutput.Meta.fields,
            "email",
            "aadhar_number",
            "pan_number",
            "bank_account_number",
            "ifsc_code",
            "bank_name",
            "upi_id",
            "address",
            "service_categories",
            "service_tiers",
            "working_hours",
            "service_radius_km",
            "current_lat",
            "current_lng",
            "last_seen_at",
            "cancelled_bookings",
            "cancellation_rate",
            "offers_accepted",
            "offers_rejected",
            "offers_expired",
            "acceptance_rate",
            "rating_count",
            "verification_documents",
            "onboarding_notes",
            "verified_at",
            "created_at",
        ]

    def get_service_categories(self, partner: Partner) -> list[str]:
        return [category.name for category in partner.categories.all()]

    def get_working_hours(self, partner: Partner) -> dict | None:
        return working_hours_of(partner)


# The assignment statuses in which the partner sees the customer's name and phone, and the full address.
CONTACT_STATUSES = frozenset({AssignmentStatus.ACCEPTED, AssignmentStatus.IN_TRANSIT, AssignmentStatus.ARRIVED})


ADDRESS_STATUSES = CONTACT_STATUSES | {AssignmentStatus.ASSIGNED}


AREA_FIELDS = ("city", "state", "pincode")


def partner_job_row(assignment: PartnerAssignment, *, staff: bool = False) -> dict[str, Any]:
    """A job as its partner sees it: the booking (seed 000's shape), the assignment and, while the job is theirs,
    the customer (see the module docstring); ``staff`` sees every detail."""
    booking = assignment.booking
    booking.live_assignments = [assignment]  # type: ignore[attr-defined]  # what the selectors prefetch (to_attr)
    row = booking_row(booking)
    row["assignment"] = {
        "id": str(assignment.pk),
        "status": assignment.status,
        "expires_at": _iso(assignment.expires_at),
        "accepted_at": _iso(assignment.accepted_at),
        "estimated_arrival": _iso(assignment.estimated_arrival),
        "partner_earning": float(assignment.partner_earning),
    }
    with_contact = staff or assignment.status in CONTACT_STATUSES
    row["customer"] = {"name": booking.contact_name, "phone": booking.contact_phone} if with_contact else None
    if not staff and assignment.status not in ADDRESS_STATUSES:
        address = booking.address_snapshot or {}
        row["address"] = {key: address.get(key) for key in AREA_FIELDS}
        row["customer_notes"] = None
    return row


def _iso(moment) -> str | None:
    return serializers.DateTimeField().to_representation(moment) if moment else None


class EarningOutput(serializers.ModelSerializer):
    booking_number = serializers.CharField(source="booking.booking_number")
    booking_amount = serializers.DecimalField(**MONEY)
    commission_percentage = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    partner_earning = serializers.DecimalField(**MONEY)
    platform_commission = serializers.DecimalField(**MONEY)
    cash_collected = serializers.DecimalField(**MONEY)
    amount = serializers.DecimalField(source="partner_earning", **MONEY)

    class Meta:
        model = PartnerEarning
        fields = [
            "id",
            "booking_id",
            "booking_number",
            "booking_amount",
            "commission_percentage",
            "partner_earning",
            "amount",
            "platform_commission",
            "cash_collected",
            "status",
            "hold_reason",
            "release_date",
            "payout_id",
            "paid_at",
            "created_at",
        ]


class PayoutOutput(serializers.ModelSerializer):
    partner = serializers.SerializerMethodField()
    total_amount = serializers.DecimalField(**MONEY)
    commission_deduction = serializers.DecimalField(**MONEY)
    net_amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = PartnerPayout
        fields = [
            "id",
            "payout_number",
            "partner",
            "total_amount",
            "commission_deduction",
            "net_amount",
            "status",
            "payment_method",
            "bank_transaction_id",
            "upi_transaction_id",
            "processed_at",
            "failure_reason",
            "created_at",
        ]

    def get_partner(self, payout: PartnerPayout) -> dict:
        partner = payout.partner
        return {"id": str(partner.pk), "name": partner.user.full_name, "partner_code": partner.partner_code}
