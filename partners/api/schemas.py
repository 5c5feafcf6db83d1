"""OpenAPI: the response shapes of the partners endpoints (``partners.api``: staff, partner app, internal, vendors).

They describe what the views build, field for field; the nested outputs are the serializers that render them
(``partners.api.serializers``), and a job is seed 000's booking row with its assignment (``partner_job_row``).
"""

from __future__ import annotations

from rest_framework import serializers

from bookings.serializers import BookingOutput
from core.schema import page_of
from partners.api.serializers.admin import AssignmentOutput
from partners.api.serializers.common import EarningOutput, PartnerOutput, PartnerRowOutput, PayoutOutput
from partners.api.serializers.vendors import ApplicationOutput, AvailabilityOutput
from partners.models import AssignmentStatus, DispatchStatus, EarningStatus, PayoutStatus

MONEY = serializers.FloatField

# --- a job (partner_job_row) and a partner's earnings ------------------------------------------------


class JobAssignmentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    expires_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    estimated_arrival = serializers.DateTimeField(allow_null=True)
    partner_earning = MONEY()


class JobCustomerOutput(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


# Seed 000's booking row with the partner's assignment (``partners.api.serializers.common``).
class PartnerJobOutput(BookingOutput):
    """A job: the booking with the partner's assignment. A closed job shows only the address's city, state and
    pincode, and no customer or notes; staff see everything."""

    customer_notes = serializers.CharField(allow_null=True)
    assignment = JobAssignmentOutput()
    customer = JobCustomerOutput(allow_null=True)

    class Meta(BookingOutput.Meta):
        fields = [*BookingOutput.Meta.fields, "assignment", "customer"]


PartnerJobsPage = page_of("PartnerJobsPage", "bookings", PartnerJobOutput(many=True))

EarningsPage = page_of(
    "PartnerEarningsPage",
    "earnings",
    EarningOutput(many=True),
    total_earnings=MONEY(help_text="Over the same filter."),
    pending=MONEY(help_text="Pending or in a payout."),
    paid=MONEY(),
    on_hold=MONEY(help_text="On hold (a sign-off pending): not payable yet."),
)

PayoutsPage = page_of("PartnerPayoutsPage", "payouts", PayoutOutput(many=True))


# --- staff: partners, assignment, payouts -------------------------------------------------------------

PartnersPage = page_of("AdminPartnersPage", "partners", PartnerRowOutput(many=True))


class PartnerProfileOutput(serializers.Serializer):
    partner = PartnerOutput()


class PartnerCreatedOutput(PartnerProfileOutput):
    partner_code = serializers.CharField()


class PartnerEarningsSumsOutput(serializers.Serializer):
    total = MONEY()
    pending = MONEY()
    paid = MONEY()
    on_hold = MONEY(help_text="On hold (a sign-off pending): not payable yet.")


class PartnerBookingCountsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class PartnerOfferCountsOutput(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    expired = serializers.IntegerField()


class PartnerFiguresOutput(serializers.Serializer):
    rating = serializers.FloatField()
    cancellation_rate = serializers.FloatField()
    acceptance_rate = serializers.FloatField()
    average_rating = serializers.FloatField(help_text="The same as rating.")


class PartnerDetailOutput(PartnerProfileOutput):
    earnings = PartnerEarningsSumsOutput()
    bookings = PartnerBookingCountsOutput()
    offers = PartnerOfferCountsOutput()
    performance = PartnerFiguresOutput()


class StaffAssignedOutput(serializers.Serializer):
    booking = BookingOutput()
    assignment = AssignmentOutput()


class PayoutResultOutput(serializers.Serializer):
    payout = PayoutOutput()
    status = serializers.ChoiceField(choices=PayoutStatus.choices)


class PayoutCreatedOutput(serializers.Serializer):
    payout = PayoutOutput()
    payout_number = serializers.CharField()


class EarningReleasedOutput(serializers.Serializer):
    earning_id = serializers.UUIDField()
    payout_number = serializers.CharField()


# --- the partner app ----------------------------------------------------------------------------------


class PartnerStatsOutput(serializers.Serializer):
    total_bookings = serializers.IntegerField()
    pending_bookings = serializers.IntegerField(help_text="Open offers.")
    today_bookings = serializers.IntegerField()
    completed_bookings = serializers.IntegerField()
    total_earnings = MONEY()
    pending_payout = MONEY()
    rating = serializers.FloatField()


class PartnerDashboardOutput(serializers.Serializer):
    stats = PartnerStatsOutput()
    upcoming_bookings = PartnerJobOutput(many=True)
    recent_earnings = EarningOutput(many=True)


class JobOutput(serializers.Serializer):
    booking = PartnerJobOutput()


class JobDecisionOutput(JobOutput):
    status = serializers.CharField(help_text='The booking\'s status after accepting; "rejected" after declining.')


class EarningBriefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    amount = MONEY()
    status = serializers.ChoiceField(choices=EarningStatus.choices)


class JobCompletedOutput(JobOutput):
    earning = EarningBriefOutput()


class WorkingHoursOutput(serializers.Serializer):
    start = serializers.CharField(help_text="HH:MM")
    end = serializers.CharField(help_text="HH:MM")
    days = serializers.ListField(child=serializers.IntegerField(), help_text="1 = Monday")


class WorkingHoursSetOutput(serializers.Serializer):
    working_hours = WorkingHoursOutput(allow_null=True)


class EarningsSummaryOutput(serializers.Serializer):
    total_earnings = MONEY()
    pending_earnings = MONEY()
    on_hold_earnings = MONEY(help_text="On hold (a sign-off pending): not payable yet.")
    recent_earnings = EarningBriefOutput(many=True, help_text="The latest five.")


class PerformanceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    vendor = serializers.UUIDField(help_text="The partner's id.")  # seed 002's name
    vendor_name = serializers.CharField()
    avg_rating = serializers.FloatField(allow_null=True)
    completion_rate = serializers.FloatField()
    on_time_rate = serializers.FloatField()
    acceptance_rate = serializers.FloatField()
    dispute_rate = serializers.FloatField()
    tier = serializers.ChoiceField(choices=["gold", "silver", "bronze"])
    bonus_points = serializers.IntegerField()
    last_calculated = serializers.DateTimeField()


# --- internal -----------------------------------------------------------------------------------------


class AutoAssignmentOutput(serializers.Serializer):
    partner_id = serializers.UUIDField()
    partner_name = serializers.CharField()
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    expires_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    score_parts = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Why this partner: distance_km, rating, jobs_that_day, the weighted parts and the weights.",
    )


class AutoAssignedOutput(serializers.Serializer):
    booking = BookingOutput()
    assignment = AutoAssignmentOutput()


class QueueItemOutput(serializers.Serializer):
    booking_id = serializers.UUIDField()
    booking_number = serializers.CharField()
    booking_date = serializers.DateField()
    booking_time = serializers.TimeField()
    service_categories = serializers.ListField(child=serializers.CharField())
    address = serializers.JSONField(help_text="The booking's address snapshot.")
    priority = serializers.IntegerField()
    status = serializers.ChoiceField(choices=DispatchStatus.choices)
    reason = serializers.CharField()
    attempts = serializers.IntegerField()
    queued_at = serializers.DateTimeField(allow_null=True)


QueuePage = page_of("AssignmentQueuePage", "pending_assignments", QueueItemOutput(many=True))


# --- seed 002 vendors ---------------------------------------------------------------------------------


class VendorTodayOutput(serializers.Serializer):
    day_of_week = serializers.IntegerField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()


class VendorOutput(serializers.Serializer):
    id = serializers.UUIDField()
    partner_code = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField(allow_null=True, help_text="Only for staff who may view partners.")
    phone = serializers.CharField(allow_null=True, help_text="Only for staff who may view partners.")
    pincode = serializers.CharField()
    rating = serializers.FloatField()
    total_jobs = serializers.IntegerField()
    availability = VendorTodayOutput(allow_null=True, help_text="Today's hours, when the partner works today.")
    travel_time = serializers.IntegerField(allow_null=True, help_text="Minutes; needs lat and lng.")
    distance_km = serializers.FloatField(allow_null=True)
    primary_service_area = serializers.CharField()


class VendorSearchOutput(serializers.Serializer):
    vendors = VendorOutput(many=True)
    total_vendors = serializers.IntegerField()
    pincode = serializers.CharField()
    demand_index = serializers.FloatField(help_text="Bookings of the last 30 days at the pincode per partner.")


class ApplicationReviewedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)


class AvailabilityListOutput(serializers.Serializer):
    count = serializers.IntegerField()
    results = AvailabilityOutput(many=True)


ApplicationsPage = page_of(
    "VendorApplicationsPage", "results", ApplicationOutput(many=True), count=serializers.IntegerField()
)
