"""Partner app inputs: availability and location, working hours, answering an offer, the job's steps.

What the partner app renders (profile, jobs, earnings, payouts) is shared
with staff and lives in ``partners.api.serializers.common``.
"""

from __future__ import annotations

from rest_framework import serializers

from core.fields import LatitudeField, LongitudeField
from partners.api.serializers.common import WorkingHoursInput
from partners.models import AssignmentStatus


class AvailabilityStatusInput(serializers.Serializer):
    is_available = serializers.BooleanField(required=False)
    current_lat = LatitudeField(required=False)
    current_lng = LongitudeField(required=False)


class WorkingHoursUpdateInput(serializers.Serializer):
    working_hours = WorkingHoursInput()


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=[AssignmentStatus.IN_TRANSIT, AssignmentStatus.ARRIVED])
    estimated_arrival = serializers.DateTimeField(required=False)


class CompleteInput(serializers.Serializer):
    service_completed_at = serializers.DateTimeField(required=False)
