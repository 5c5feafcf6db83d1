"""A user's address: the answer, and the input (which also takes ``label`` and ``address_line``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.input_fields import aliased, require_one
from accounts.models import Address
from core import pincodes
from core.fields import LatitudeField, LongitudeField


class AddressOutput(serializers.ModelSerializer):
    lat = serializers.FloatField(allow_null=True)
    lng = serializers.FloatField(allow_null=True)

    class Meta:
        model = Address
        fields = [
            "id", "name", "address_line1", "address_line2", "city", "state", "pincode",
            "lat", "lng", "place_id", "is_default", "created_at", "updated_at",
        ]  # fmt: skip


class AddressInput(serializers.Serializer):
    """``label`` and ``address_line`` are other names for ``name`` and ``address_line1``; ``city`` and ``state`` may
    be left out when the pincode is one the platform knows (``core.pincodes``), which fills them in."""

    name = serializers.CharField(max_length=100, required=False)
    label = serializers.CharField(max_length=100, required=False, help_text="Another name for name.")  # type: ignore[assignment]  # seed 002; a field named like a Field attribute
    address_line1 = serializers.CharField(max_length=255, required=False)
    address_line = serializers.CharField(  # seed 002's name
        max_length=255, required=False, help_text="Another name for address_line1."
    )
    address_line2 = serializers.CharField(max_length=255, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, help_text="Filled in from a known pincode.")
    state = serializers.CharField(max_length=100, required=False, help_text="Filled in from a known pincode.")
    pincode = serializers.RegexField(r"^[1-9][0-9]{5}$", error_messages={"invalid": "A pincode is 6 digits."})
    lat = LatitudeField(required=False, allow_null=True)
    lng = LongitudeField(required=False, allow_null=True)
    place_id = serializers.CharField(max_length=255, required=False, allow_blank=True)
    is_default = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        aliased(attrs, "name", "label")
        aliased(attrs, "address_line1", "address_line")
        if not self.partial:
            require_one(attrs, "name", "label")
            require_one(attrs, "address_line1", "address_line")
        place = pincodes.place_of(attrs["pincode"]) if attrs.get("pincode") else None
        for field in ("city", "state"):
            if attrs.get(field):
                continue
            if place is not None:
                attrs[field] = getattr(place, field)
            elif not self.partial:
                raise serializers.ValidationError(
                    {field: "Give the city and state: the platform does not know this pincode."}, code="required"
                )
        return attrs
