"""Shapes of ``adminpanel.api`` (seed 000 Admin APIs; seed 003 staff management, accepting its camelCase fields).

An app's own staff endpoints keep theirs in that app (``bookings.serializers``, ``accounts.api.admin``...).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from accounts.roles import STAFF_ROLES, Role
from accounts.serializers import PhoneField
from bookings.models import BookingStatus
from core.api import CamelCaseInput
from core.models import AuditLog

# --- queries ----------------------------------------------------------------------------------


class RangeQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class RevenueQuery(RangeQuery):
    group_by = serializers.CharField(required=False, help_text="day, week or month")
    period = serializers.CharField(
        required=False, help_text="Another name for group_by (day, week, month)"
    )  # seed 003's name


class PartnerPerformanceQuery(RangeQuery):
    partner_id = serializers.UUIDField(required=False)


class TopQuery(RangeQuery):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=10)


class PincodeQuery(serializers.Serializer):
    days_back = serializers.IntegerField(required=False, min_value=1, max_value=366, default=30)
    service_type = serializers.CharField(required=False, max_length=100)


class AdminBookingsQuery(RangeQuery):
    status = serializers.ChoiceField(choices=BookingStatus.choices, required=False)
    payment_status = serializers.CharField(required=False)
    source = serializers.CharField(required=False)  # type: ignore[assignment]  # a field named like a Field attribute (the metaclass moves it)
    partner_id = serializers.UUIDField(required=False)
    user_id = serializers.UUIDField(required=False)
    search = serializers.CharField(required=False, max_length=100, help_text="Booking number, phone or email")


class UsersQuery(serializers.Serializer):
    search = serializers.CharField(required=False, max_length=100)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


# ``roleId`` takes every seed 003 role id: besides ``role_id`` the answer carries the people filter it stands for
# (``people_filter``): a staff role, or 3 CLINICIAN (users whose partner profile is of kind clinician) and
# 7 PATIENT (customers), which are not staff roles.
class StaffQuery(CamelCaseInput):
    """The staff list's filters: a role by name or by its number (1-7, see /admin/roles); 3 lists clinicians
    and 7 patients."""

    ALIASES = {"roleId": "role_id"}
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    role_id = serializers.IntegerField(
        required=False, help_text="A role's number, 1-7 (see /admin/roles)"
    )  # seed 003 role ids

    def validate(self, attrs):
        role_id = attrs.get("role_id")
        if role_id in SEED_003_ROLE_IDS and not attrs.get("role"):
            attrs["people_filter"] = seed_003_people_filter(role_id)
        return attrs


class AuditQuery(serializers.Serializer):
    admin_id = serializers.UUIDField(required=False)
    user = serializers.CharField(required=False, help_text="Who made the change: their email or name")  # seed 002
    resource_type = serializers.CharField(required=False, max_length=50)
    model = serializers.CharField(
        required=False, max_length=50, help_text="Another name for resource_type"
    )  # seed 002's name
    resource_id = serializers.CharField(required=False, max_length=64)
    action = serializers.CharField(required=False, max_length=100)
    via = serializers.ChoiceField(choices=AuditLog.Via.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)


# --- inputs -----------------------------------------------------------------------------------


class AdminStatusInput(serializers.Serializer):
    status = serializers.CharField(max_length=20)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# Seed 003 role ids (its "Roles" table), mapped onto the platform's roles (its MANAGER is our operations
# manager). 3 CLINICIAN and 7 PATIENT are account kinds, not staff roles: they filter lists (a clinician is a
# partner of kind clinician, a patient a customer) and are refused where a staff role is chosen.
SEED_003_ROLE_IDS = {
    1: Role.ADMIN,
    2: Role.OPS_MANAGER,
    3: Role.PARTNER,
    4: Role.CENTRE_MANAGER,
    5: Role.CARE_COORDINATOR,
    6: Role.FRONT_DESK,
    7: Role.CUSTOMER,
}
SEED_003_STAFF_ROLE_IDS = {number: role for number, role in SEED_003_ROLE_IDS.items() if role in STAFF_ROLES}
SEED_003_PARTNER_KINDS = {3: "clinician"}  # partners.models.PartnerKind.CLINICIAN


def seed_003_people_filter(role_id: int) -> dict[str, Any]:
    """The people a seed 003 role id lists, as ``adminpanel.selectors.people.users_list`` filters: a staff role
    among staff; 3 the users whose partner profile is of kind clinician; 7 customers (not only staff)."""
    role = SEED_003_ROLE_IDS[role_id]
    return {
        "role": role.value,
        "staff": True if role in STAFF_ROLES else None,
        "partner_kind": SEED_003_PARTNER_KINDS.get(role_id),
    }


def staff_role_of(role_id: int) -> str:
    """A seed 003 role id chosen for a staff account: a staff role's value, or a validation error naming
    ``role_id`` (unknown id: ``invalid``; 3 CLINICIAN or 7 PATIENT: ``not_staff``)."""
    if role_id in SEED_003_STAFF_ROLE_IDS:
        return SEED_003_STAFF_ROLE_IDS[role_id].value
    if role_id in SEED_003_ROLE_IDS:
        raise serializers.ValidationError(
            {"role_id": ErrorDetail(f"Role id {role_id} is not a staff role.", code="not_staff")}
        )
    raise serializers.ValidationError({"role_id": "Unknown staff role id."})


class StaffInput(CamelCaseInput):
    """A new staff account: name, email or phone, password, and the role by name or number; camelCase names
    (``fullName``, ``roleId``...) are accepted beside snake_case."""

    ALIASES = {"fullName": "full_name", "roleId": "role_id", "centreId": "centre_id", "isActive": "is_active"}
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = PhoneField(required=False, allow_blank=True)
    password = serializers.CharField(min_length=8, max_length=128, write_only=True)
    role = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in Role if r in STAFF_ROLES and r != Role.SUPER_ADMIN], required=False
    )
    role_id = serializers.IntegerField(required=False)
    centre_id = serializers.IntegerField(required=False, help_text="Accepted and not used yet")  # for seed 003 clients
    society_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="A society admin's societies."
    )

    def validate(self, attrs):
        role_id = attrs.pop("role_id", None)
        if role_id is not None and "role" not in attrs:
            attrs["role"] = staff_role_of(role_id)
        if not attrs.get("email") and not attrs.get("phone"):
            raise serializers.ValidationError({"email": "Give an email or a phone number."})
        attrs.pop("centre_id", None)
        return attrs


class StaffRoleCreateInput(StaffInput):
    """The role-specific create endpoints: the role comes from the path."""


class StaffUpdateInput(CamelCaseInput):
    """Changes to a staff account; the names not sent stay as they are. camelCase names (``fullName``,
    ``isActive``...) are accepted beside snake_case."""

    ALIASES = {"fullName": "full_name", "roleId": "role_id", "isActive": "is_active"}
    full_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(required=False)
    phone = PhoneField(required=False)
    is_active = serializers.BooleanField(required=False)
    role = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in Role if r in STAFF_ROLES and r != Role.SUPER_ADMIN], required=False
    )
    role_id = serializers.IntegerField(required=False)
    society_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="A society admin's societies."
    )

    def validate(self, attrs):
        role_id = attrs.pop("role_id", None)
        if role_id is not None and "role" not in attrs:
            attrs["role"] = staff_role_of(role_id)
        return attrs


class CacheClearInput(CamelCaseInput):
    """Which cache to clear (``all`` by default); ``cacheType`` is accepted for ``cache_type``."""

    ALIASES = {"cacheType": "cache_type"}
    cache_type = serializers.CharField(default="all")


# --- outputs ----------------------------------------------------------------------------------


def user_row(user) -> dict[str, Any]:
    return {
        "id": str(user.pk),
        "name": user.full_name,
        "phone_number": user.phone,
        "email": user.email,
        "roles": sorted(user.role_names),
        "is_active": user.is_active,
        "total_bookings": user.total_bookings,
        "total_spent": float(user.total_spent or 0),
        "created_at": serializers.DateTimeField().to_representation(user.created_at),
    }


def staff_row(user) -> dict[str, Any]:
    role = user.staff_role
    return {
        "id": str(user.pk),
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "role": role,
        "role_name": role.upper() if role else None,
        "is_active": user.is_active,
        "last_login": serializers.DateTimeField().to_representation(user.last_login) if user.last_login else None,
        "created_at": serializers.DateTimeField().to_representation(user.created_at),
    }


def audit_row(entry: AuditLog) -> dict[str, Any]:
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    fields = {k: v for k, v in changes.items() if isinstance(v, dict) and set(v) == {"old", "new"}}
    return {
        "id": str(entry.pk),
        "admin": {
            "id": str(entry.actor_id) if entry.actor_id else None,
            "name": entry.actor_name,
            "email": entry.actor_email,
            "role": entry.actor_role,
        },
        "action": entry.action,
        "resource_type": entry.resource_type,
        "resource_id": entry.resource_id,
        "changes": changes,
        "old_values": {k: v["old"] for k, v in fields.items()},
        "new_values": {k: v["new"] for k, v in fields.items()},
        "diff": [
            {
                "field": k,
                "old_value": v["old"],
                "new_value": v["new"],
                "change_type": "added" if v["old"] is None else "removed" if v["new"] is None else "modified",
            }
            for k, v in fields.items()
        ],
        "via": entry.via,
        "ip_address": entry.ip_address,
        "user_agent": entry.user_agent,
        "request_id": entry.request_id,
        "created_at": serializers.DateTimeField().to_representation(entry.created_at),
    }


class SettingsInput(serializers.Serializer):
    """Any subset of the settings (validated by ``core.system_settings``)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": "Send a JSON object of settings."})
        return dict(data)


class NotificationActionInput(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["send_bonus_alerts", "send_reminders"],
        help_text="send_bonus_alerts: every partner with a completed job gets their bonus points and tier; "
        "send_reminders: the reminder scan now rather than at its next 5-minute run",
    )


class BroadcastInput(serializers.Serializer):
    segment = serializers.CharField(
        max_length=64,
        help_text="all_customers, all_partners, all_staff, role:<role> or pincode:<pincode> (an address there)",
    )
    title = serializers.CharField(max_length=120)
    message = serializers.CharField(max_length=1000)
