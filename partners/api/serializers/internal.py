"""Internal API input: the service-token auto-assign call (seed 000's internal endpoints)."""

from __future__ import annotations

from rest_framework import serializers


class AutoAssignInput(serializers.Serializer):
    force = serializers.BooleanField(default=False)
