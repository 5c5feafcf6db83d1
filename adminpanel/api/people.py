"""Users and staff accounts (seed 000 Admin APIs; seed 003 staff management, camelCase accepted).

The users list and a user's detail show bookings and spend (``bookings``, ``payments``), so they live
here; blocking a user is ``accounts.api.admin``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.roles import Role
from accounts.serializers import AddressOutput
from adminpanel import serializers as io
from adminpanel.api import schemas as out
from adminpanel.selectors import people
from adminpanel.services import staff
from bookings.serializers import booking_rows
from core.api import page_params, paginate, query, valid
from core.errors import DomainError, ErrorCode
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import NULL_DATA

TAG_PEOPLE = "admin: users and staff"


class AdminUsersView(APIView):
    permission_classes = [require_perms("accounts.view_user")]

    @extend_schema(
        tags=[TAG_PEOPLE],
        summary="Users with their totals",
        operation_id="admin_users_list",
        parameters=page_params("search", "role", "is_active"),
        responses=out.AdminUsersPage,
    )
    def get(self, request: Request) -> ApiResponse:
        rows = people.users_list(**query(io.UsersQuery, request))
        return ApiResponse(paginate(self, request, rows, io.user_row, "users"))


class AdminUserDetailView(APIView):
    permission_classes = [require_perms("accounts.view_user")]

    @extend_schema(
        tags=[TAG_PEOPLE], summary="A user with bookings, addresses and stats", responses=out.AdminUserDetailOutput
    )
    def get(self, request: AuthenticatedRequest, user_id) -> ApiResponse:
        user, stats = people.user_detail(user_id)
        recent = people.user_recent_bookings(user, viewer=request.user, limit=20)  # a clinic role: appointments
        return ApiResponse(
            {
                "user": {**io.user_row(user), "is_staff": user.is_staff_member, "last_login": user.last_login},
                "bookings": booking_rows(recent),
                "addresses": AddressOutput(user.addresses.all(), many=True).data,
                "stats": stats,
            }
        )


class StaffView(APIView):
    permission_classes = [require_perms("adminpanel.manage_staff")]


class AdminStaffListView(StaffView):
    @extend_schema(
        tags=[TAG_PEOPLE],
        summary="Staff accounts",
        operation_id="admin_staff_list",
        parameters=page_params("role", "roleId"),
        responses=out.AdminStaffPage,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(io.StaffQuery, request)
        role = params.get("role") or (
            io.SEED_003_ROLE_IDS[params["role_id"]].value if params.get("role_id") in io.SEED_003_ROLE_IDS else None
        )
        if params.get("role_id") is not None and role is None:
            raise DomainError(
                "Unknown staff role id.", code=ErrorCode.VALIDATION_ERROR, field="roleId", reason="unknown_value"
            )
        # seed 003 role ids 3 (CLINICIAN) and 7 (PATIENT) list people who are not staff (io.seed_003_people_filter)
        rows = people.users_list(**(params.get("people_filter") or {"role": role, "staff": True}))
        return ApiResponse(paginate(self, request, rows, io.staff_row, "staff"))

    @extend_schema(
        tags=[TAG_PEOPLE], summary="Create a staff account", request=io.StaffInput, responses={201: out.StaffOutput}
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.StaffInput, request)
        if not data.get("role"):
            raise DomainError(
                "Choose a role (or roleId).", code=ErrorCode.VALIDATION_ERROR, field="role", reason="required"
            )
        person = staff.staff_create(data=data, role=Role(data.pop("role")), actor=request.user)
        return ApiResponse({"staff": io.staff_row(person)}, status=201, message="Staff account created")


# Seed 003's role-specific create endpoints.
class AdminStaffRoleCreateView(StaffView):
    """Create a staff account whose role the address names: operations manager, centre manager, care
    coordinator or front desk."""

    role: Role = Role.FRONT_DESK

    @extend_schema(
        tags=[TAG_PEOPLE],
        summary="Create a staff account with this role",
        request=io.StaffInput,
        responses={201: out.StaffOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.StaffInput, request)
        data.pop("role", None)
        person = staff.staff_create(data=data, role=self.role, actor=request.user)
        return ApiResponse({"staff": io.staff_row(person)}, status=201, message="Staff account created")


class AdminStaffDetailView(StaffView):
    def _staff(self, user_id):
        person = people.users_list(staff=True).filter(pk=user_id).first()
        if person is None:
            raise DomainError("Staff member not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
        return person

    @extend_schema(tags=[TAG_PEOPLE], summary="A staff account", responses=out.StaffOutput)
    def get(self, request: Request, user_id) -> ApiResponse:
        return ApiResponse({"staff": io.staff_row(self._staff(user_id))})

    @extend_schema(
        tags=[TAG_PEOPLE], summary="Update a staff account", request=io.StaffUpdateInput, responses=out.StaffOutput
    )
    def put(self, request: AuthenticatedRequest, user_id) -> ApiResponse:
        self._staff(user_id)
        data = dict(valid(io.StaffUpdateInput, request))
        if data.get("role"):
            data["role"] = Role(data["role"])
        person = staff.staff_update(user_id=user_id, data=data, actor=request.user)
        return ApiResponse({"staff": io.staff_row(person)}, message="Staff account updated")

    patch = put

    @extend_schema(
        tags=[TAG_PEOPLE],
        summary="Deactivate a staff account (soft delete)",
        request=None,
        responses={200: NULL_DATA},
    )
    def delete(self, request: AuthenticatedRequest, user_id) -> ApiResponse:
        self._staff(user_id)
        staff.staff_delete(user_id=user_id, actor=request.user)
        return ApiResponse(None, message="Staff account deactivated")


class AdminStaffToggleView(StaffView):
    @extend_schema(
        tags=[TAG_PEOPLE], summary="Toggle a staff account active", request=None, responses=out.StaffToggleOutput
    )
    def patch(self, request: AuthenticatedRequest, user_id) -> ApiResponse:
        person = staff.staff_toggle_active(user_id=user_id, actor=request.user)
        return ApiResponse({"staff": {"id": str(person.pk), "is_active": person.is_active}})
