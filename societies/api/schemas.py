"""OpenAPI: the response shapes of the societies endpoints, field for field as ``societies.api`` builds them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from societies.models import ApprovalStatus, AssignmentType, NodeType, SocietyStatus, SocietyType, UnitType

S, Int, B, D = serializers.CharField, serializers.IntegerField, serializers.BooleanField, serializers.DateTimeField


# Seed 001 writes three pagination shapes; every list answers the union of their keys.
@extend_schema_serializer(component_name="SocietyListPagination")
class Seed001Pagination(serializers.Serializer):
    """Where a page of a societies list stands. The same numbers come under several names (``page`` and
    ``current_page``, ``total`` and ``total_items``, ``limit`` and ``items_per_page``), so a client can read
    whichever it knows."""

    page = Int()
    limit = Int()
    total = Int()
    total_pages = Int()
    current_page = Int()
    total_items = Int()
    items_per_page = Int()


class SocietyRef(serializers.Serializer):
    society_id = Int()
    society_name = S()


class SocietyOutput(serializers.Serializer):
    society_id = Int()
    name = S()
    society_type = serializers.ChoiceField(choices=SocietyType.choices)
    address = S()
    city = S()
    state = S()
    pincode = S()
    total_flats = Int(allow_null=True)
    total_houses = Int(allow_null=True)
    occupied_flats = Int(allow_null=True)
    occupied_houses = Int(allow_null=True)
    status = serializers.ChoiceField(choices=SocietyStatus.choices)
    has_subscription = B()


class SearchOutput(serializers.Serializer):
    societies = SocietyOutput(many=True)
    total_results = Int()
    query = S()
    message = S(required=False)


class RosterResidenceOutput(serializers.Serializer):
    society_id = Int()
    society_name = S()
    society_type = serializers.ChoiceField(choices=SocietyType.choices)
    address = S()
    city = S()
    unit_node_id = Int()
    unit_type = serializers.ChoiceField(choices=UnitType.choices)
    flat_number = S(required=False)
    tower = S(required=False, allow_null=True)
    house_number = S(required=False)
    street = S(required=False, allow_null=True)
    floor = Int()
    suggested_name = S()
    is_primary = B()
    notes = S()


class CheckRosterOutput(serializers.Serializer):
    found_in_roster = B()
    has_multiple_societies = B()
    residences = RosterResidenceOutput(many=True)
    message = S(required=False)


class ResidenceOutput(serializers.Serializer):
    resident_id = serializers.UUIDField()
    society_id = Int()
    society_name = S()
    society_type = serializers.ChoiceField(choices=SocietyType.choices)
    address = S()
    city = S()
    unit_node_id = Int()
    unit_type = serializers.ChoiceField(choices=UnitType.choices)
    flat_number = S(required=False)
    tower = S(required=False, allow_null=True)
    house_number = S(required=False)
    street = S(required=False, allow_null=True)
    floor = Int()
    verification_status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    is_primary = B()
    is_active = B()
    notes = S()
    submitted_at = D()
    verified_at = D(allow_null=True)
    rejection_reason = S(required=False)


class ResidentUserOutput(serializers.Serializer):
    user_id = serializers.UUIDField()
    phone = S(allow_null=True)
    full_name = S()
    email = S(allow_null=True)
    user_type = S()
    is_verified = B()


class NextStepsOutput(serializers.Serializer):
    message = S()
    estimated_time = S(required=False)
    can_browse = B(required=False)
    can_place_orders = B(required=False)


class RegisterOutput(serializers.Serializer):
    user = ResidentUserOutput(required=False)
    user_id = serializers.UUIDField(required=False)
    residences = ResidenceOutput(many=True)
    active_society = SocietyRef(allow_null=True)
    next_steps = NextStepsOutput(required=False)


class ResidencesOutput(serializers.Serializer):
    user_id = serializers.UUIDField()
    residences = ResidenceOutput(many=True)
    active_society = SocietyRef(allow_null=True)
    total_residences = Int()
    verified_count = Int()
    pending_count = Int()


class SwitchedSocietyOutput(serializers.Serializer):
    society_id = Int()
    society_name = S()
    society_type = serializers.ChoiceField(choices=SocietyType.choices)
    address = S()
    city = S()


class SwitchResidenceOutput(serializers.Serializer):
    resident_id = serializers.UUIDField()
    unit_type = serializers.ChoiceField(choices=UnitType.choices)
    flat_number = S(required=False)
    house_number = S(required=False)
    floor = Int()
    verification_status = serializers.ChoiceField(choices=ApprovalStatus.choices)


class SwitchOutput(serializers.Serializer):
    user_id = serializers.UUIDField()
    previous_society = SocietyRef(allow_null=True)
    active_society = SwitchedSocietyOutput()
    residence = SwitchResidenceOutput()
    available_vendors = Int()
    active_categories = serializers.ListField(child=S())


class NodeOutput(serializers.Serializer):
    node_id = Int()
    parent_node_id = Int(allow_null=True)
    node_type = serializers.ChoiceField(choices=NodeType.choices)
    node_code = S()
    node_name = S()
    level_depth = Int()
    path = S()
    display_order = Int()
    is_active = B()


class TreeNodeOutput(NodeOutput):
    children = serializers.ListField(child=serializers.DictField(), help_text="Nodes of this same shape.")


class HierarchyOutput(serializers.Serializer):
    society_id = Int()
    society_name = S()
    root_node = TreeNodeOutput(allow_null=True)


class NodeCreatedOutput(NodeOutput):
    society_id = Int()
    description = S()
    created_at = D()


class AncestorOutput(serializers.Serializer):
    node_id = Int()
    node_name = S()
    node_type = serializers.ChoiceField(choices=NodeType.choices)


class UnitOutput(serializers.Serializer):
    node_id = Int()
    node_code = S()
    node_name = S()
    node_type = serializers.ChoiceField(choices=NodeType.choices)
    path = S()
    full_path = S()
    ancestors = AncestorOutput(many=True)
    is_active = B()


class UnitsPage(serializers.Serializer):
    units = UnitOutput(many=True)
    pagination = Seed001Pagination()


class GroupOutput(serializers.Serializer):
    group_id = Int()
    society_id = Int()
    group_name = S()
    group_code = S()
    group_type = serializers.ChoiceField(choices=NodeType.choices)
    description = S()
    total_floors = Int(allow_null=True)
    total_units = Int(allow_null=True)
    is_active = B()
    created_at = D()


class GroupsOutput(serializers.Serializer):
    society_id = Int()
    society_type = serializers.ChoiceField(choices=SocietyType.choices)
    groups = GroupOutput(many=True)


class PendingResidentOutput(serializers.Serializer):
    resident_id = serializers.UUIDField()
    user_id = serializers.UUIDField()
    full_name = S()
    phone = S(allow_null=True)
    email = S(allow_null=True)
    unit_node_id = Int()
    flat_number = S(required=False)
    tower = S(required=False, allow_null=True)
    house_number = S(required=False)
    street = S(required=False, allow_null=True)
    floor = Int()
    notes = S()
    verification_status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    created_at = D()
    days_pending = Int()


class PendingResidentsPage(serializers.Serializer):
    residents = PendingResidentOutput(many=True)
    pagination = Seed001Pagination()


class ResidentDecisionOutput(serializers.Serializer):
    resident_id = serializers.UUIDField()
    full_name = S()
    flat_number = S(required=False)
    house_number = S(required=False)
    verification_status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    approved_at = D(required=False)
    approved_by = S(required=False)
    rejection_reason = S(required=False)
    rejected_at = D(required=False)
    rejected_by = S(required=False)
    notification_sent = B()


class ServiceOfferedOutput(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = S()
    turnaround_hours = Int()


class PendingVendorOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = S()
    full_name = S()
    phone = S(allow_null=True)
    store_address = S()
    services_offered = ServiceOfferedOutput(many=True)
    approval_status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    requested_at = D()
    has_rate_card = B()
    platform_approval_status = S()
    total_orders = Int()
    avg_rating = serializers.FloatField()


class PendingVendorsPage(serializers.Serializer):
    vendors = PendingVendorOutput(many=True)
    pagination = Seed001Pagination()


class VendorDecisionOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = S()
    society_id = Int()
    approval_status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    approved_at = D(required=False)
    approved_by = S(required=False)
    rejection_reason = S(required=False)
    rejected_at = D(required=False)
    rejected_by = S(required=False)
    notification_sent = B()
    next_steps = NextStepsOutput(required=False)


class AreaOutput(serializers.Serializer):
    assignment_id = Int()
    assignment_type = serializers.ChoiceField(choices=AssignmentType.choices)
    group_id = Int(allow_null=True)
    group_name = S(allow_null=True)
    group_type = S(allow_null=True)
    is_active = B()
    assigned_at = D()


class CoverageOutput(serializers.Serializer):
    covers_entire_society = B()
    assignment_level = S(required=False)
    groups_assigned = serializers.JSONField(help_text="A count after POST, the names after GET.")  # as seed 001 writes
    total_groups_in_society = Int()
    estimated_households = Int(required=False)
    coverage_percentage = Int(required=False)


class AreasOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = S()
    society_id = Int()
    assignments = AreaOutput(many=True)
    coverage_summary = CoverageOutput()


class AreaChangeOutput(serializers.Serializer):
    assignment_type = serializers.ChoiceField(choices=AssignmentType.choices)
    covers_entire_society = B(required=False)
    groups = serializers.ListField(child=S(), required=False)


class AreasReplacedOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    previous_assignments = AreaChangeOutput(many=True)
    new_assignments = AreaChangeOutput(many=True)
    updated_at = D()


class AreaDeletedOutput(serializers.Serializer):
    assignment_id = Int()
    vendor_id = serializers.UUIDField()
    remaining_assignments = Int()


class AccessRequestRowOutput(serializers.Serializer):
    society_id = Int()
    society_name = S()
    approval_status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    requested_at = D()
    estimated_approval_time = S()


class AccessRequestsOutput(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    society_requests = AccessRequestRowOutput(many=True)


class SocietyCreatedOutput(SocietyOutput):
    root_node = NodeOutput()


class RosterImportedOutput(serializers.Serializer):
    society_id = Int()
    added = Int()
    updated = Int()
    total_rows = Int()
