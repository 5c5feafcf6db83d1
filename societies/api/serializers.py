"""Request bodies and query strings of the societies endpoints (seed 001 2.1, 2.2.4, 3.1 and the staff set-up)."""

from __future__ import annotations

from rest_framework import serializers

from accounts.serializers import PhoneField
from societies.models import GROUP_TYPES, AssignmentType, NodeType, SocietyStatus, SocietyType

ACTIONS = ("APPROVE", "REJECT")
GROUP_TYPE_CHOICES = sorted(GROUP_TYPES)


class CheckRosterInput(serializers.Serializer):
    phone = PhoneField(required=False, help_text="Your own phone (the one you signed in with); may be omitted.")


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(min_length=2, max_length=100)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    society_type = serializers.ChoiceField(choices=SocietyType.choices, required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=10)


class ResidentRegisterInput(serializers.Serializer):
    temp_user_id = serializers.UUIDField(required=False)
    user_id = serializers.UUIDField(required=False)
    phone = PhoneField(required=False)
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    society_id = serializers.IntegerField(min_value=1)
    unit_node_id = serializers.IntegerField(min_value=1)
    from_roster = serializers.BooleanField(required=False, help_text="Ignored: the server checks the roster itself.")
    is_primary = serializers.BooleanField(required=False, help_text="Ignored: the first residence is primary.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class SwitchInput(serializers.Serializer):
    society_id = serializers.IntegerField(min_value=1)


class DecisionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    rejection_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    def validate(self, attrs):
        if attrs["action"] == "REJECT" and not attrs["rejection_reason"].strip():
            raise serializers.ValidationError({"rejection_reason": "A rejection needs a reason."})
        return attrs


class PendingResidentsQuery(serializers.Serializer):
    sort_by = serializers.ChoiceField(choices=("created_at", "flat_number"), required=False, default="created_at")
    order = serializers.ChoiceField(choices=("asc", "desc"), required=False, default="desc")


class GroupInput(serializers.Serializer):
    group_name = serializers.CharField(max_length=255)
    group_code = serializers.CharField(max_length=50)
    group_type = serializers.ChoiceField(choices=GROUP_TYPE_CHOICES)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    total_floors = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=500)
    total_units = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    display_order = serializers.IntegerField(required=False, min_value=0, default=0)


class GroupsQuery(serializers.Serializer):
    group_type = serializers.ChoiceField(choices=GROUP_TYPE_CHOICES, required=False)


class NodeInput(serializers.Serializer):
    parent_node_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    node_type = serializers.ChoiceField(choices=NodeType.choices)
    node_code = serializers.CharField(max_length=50)
    node_name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    display_order = serializers.IntegerField(required=False, min_value=0, default=0)


class HierarchyQuery(serializers.Serializer):
    include_inactive = serializers.BooleanField(required=False, default=False)
    node_types = serializers.CharField(required=False, allow_blank=True, help_text="Comma list, e.g. BUILDING,UNIT")

    def validate_node_types(self, value: str) -> list[str]:
        wanted = [part.strip().upper() for part in value.split(",") if part.strip()]
        unknown = [t for t in wanted if t not in NodeType.values]
        if unknown:
            raise serializers.ValidationError(f"Unknown node types: {', '.join(unknown)}.")
        return wanted


class UnitsQuery(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    parent_node_id = serializers.IntegerField(required=False, min_value=1)


class AreasInput(serializers.Serializer):
    node_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    node_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=200)

    def validate(self, attrs):
        if attrs.get("node_ids"):
            return {"node_ids": attrs["node_ids"]}
        if attrs.get("node_id"):
            return {"node_ids": [attrs["node_id"]]}
        return {"node_ids": None}  # {"node_id": null} (or nothing): the whole society


class AreasReplaceInput(serializers.Serializer):
    assignment_type = serializers.ChoiceField(choices=AssignmentType.choices)
    group_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=200)

    def validate(self, attrs):
        if attrs["assignment_type"] == "GROUP" and not attrs.get("group_ids"):
            raise serializers.ValidationError({"group_ids": "List the groups for a GROUP assignment."})
        return attrs


class AccessRequestInput(serializers.Serializer):
    society_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=50)


class SocietyCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    society_type = serializers.ChoiceField(choices=SocietyType.choices)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    state = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    pincode = serializers.RegexField(r"^\d{6}$")
    status = serializers.ChoiceField(choices=SocietyStatus.choices, required=False, default=SocietyStatus.ACTIVE)
    has_subscription = serializers.BooleanField(required=False, default=True)


class RosterRowInput(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    unit_node_id = serializers.IntegerField(min_value=1)
    suggested_name = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    is_primary = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RosterInput(serializers.Serializer):
    rows = RosterRowInput(many=True, required=False)
    file = serializers.FileField(required=False, help_text="A CSV file with the same columns (multipart).")

    def validate(self, attrs):
        if not attrs.get("rows") and not attrs.get("file"):
            raise serializers.ValidationError({"rows": "Send rows (JSON) or a CSV file."})
        return attrs


class PlatformDecisionInput(DecisionInput):
    verification_notes = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    verified_fields = serializers.DictField(child=serializers.BooleanField(), required=False, default=dict)
