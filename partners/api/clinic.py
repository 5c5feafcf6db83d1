"""Seed 003's centres, clinicians, weekly rules and free slots (issue #18), at the seed's paths under ``/api/v1/``.

Who may do what is docs/permissions.md "Matrix (appointments)"; the rules and readings are in
``partners.services.clinic`` (writes) and ``partners.selectors.clinic`` (reads). In short:

* ``/centres``: signed in; staff need ``partners.view_centre`` (and see inactive centres), patients and
  providers see active ones. Create and toggle need ``partners.add_centre``, update ``change_centre`` (a centre
  manager: their centres, another is 404), delete ``delete_centre``.
* ``/clinicians`` and ``/clinicians/{id}`` (GET) and ``/clinicians/{id}/availability`` (GET) are public: active,
  verified clinicians, no contact or account data. Writes need ``partners.manage_clinicians`` (a centre manager:
  clinicians of their centres); a clinician may also set their own weekly rules.
* ``/appointments/availability`` (staff with ``bookings.view_booking``) answers the free start times of one
  clinician's local day; ``/booking/available-slots`` (public) every slot of that day with ``available``.
  Query names are taken camelCase or snake_case; a missing or bad ``date`` is 422. Answers are snake_case.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User
from core.api import query, valid
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import NULL_DATA, ErrorResponseSerializer
from partners.api.clinic_schemas import (
    AvailabilityRuleOutput,
    AvailabilityRulesInput,
    CentreInput,
    CentresQuery,
    ClinicCentreOutput,
    ClinicianCreatedOutput,
    ClinicianInput,
    ClinicianProfileOutput,
    CliniciansQuery,
    ClinicianTimesOutput,
    PublicSlotsOutput,
    SlotsQuery,
)
from partners.selectors import agenda
from partners.selectors import clinic as reads
from partners.services import clinic as writes

TAG_CENTRES = "centres"
TAG_CLINICIANS = "clinicians"
TAG_SLOTS = "free slots"
ERROR = ErrorResponseSerializer


def _need(request: Request, perm: str) -> User:
    """The signed-in user holding ``perm`` (401 when anonymous, 403 without it)."""
    user = request.user
    if not user or not user.is_authenticated:
        raise NotAuthenticated()
    if not user.has_perm(perm):
        raise PermissionDenied()
    return user  # type: ignore[return-value]  # authenticated: our User


def _centre_reader(request: Request) -> User:
    user = request.user
    if not user or not user.is_authenticated:
        raise NotAuthenticated()
    if user.is_staff_member and not user.has_perm("partners.view_centre"):  # type: ignore[union-attr]
        raise PermissionDenied()
    return user  # type: ignore[return-value]


# --- centres ------------------------------------------------------------------------------------------


class CentresView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_CENTRES],
        summary="Centres, optionally in one city",
        parameters=[OpenApiParameter("city", str)],
        responses=ClinicCentreOutput(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        user = _centre_reader(request)
        params = query(CentresQuery, request)
        return ApiResponse(ClinicCentreOutput(reads.centres_for(user, city=params.get("city")), many=True).data)

    @extend_schema(
        tags=[TAG_CENTRES],
        summary="Create a centre",
        request=CentreInput,
        responses={201: ClinicCentreOutput, 409: ERROR},
    )
    def post(self, request: Request) -> ApiResponse:
        user = _need(request, "partners.add_centre")
        centre = writes.centre_create(data=valid(CentreInput, request), actor=user)
        return ApiResponse(ClinicCentreOutput(centre).data, status=201, message="Centre created successfully")


class CentreView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG_CENTRES], summary="A centre", responses=ClinicCentreOutput)
    def get(self, request: Request, centre_id) -> ApiResponse:
        user = _centre_reader(request)
        return ApiResponse(ClinicCentreOutput(reads.centre_for(user, centre_id)).data)

    @extend_schema(
        tags=[TAG_CENTRES],
        summary="Update a centre (a centre manager: their own)",
        request=CentreInput,
        responses={200: ClinicCentreOutput, 409: ERROR},
    )
    def put(self, request: Request, centre_id) -> ApiResponse:
        user = _need(request, "partners.change_centre")
        data = valid(CentreInput, request, partial=True)
        centre = writes.centre_update(centre_id=centre_id, data=data, actor=user)
        return ApiResponse(ClinicCentreOutput(centre).data, message="Centre updated successfully")

    @extend_schema(
        tags=[TAG_CENTRES],
        summary="Delete a centre with no upcoming appointments",
        responses={200: NULL_DATA, 409: ERROR},
    )
    def delete(self, request: Request, centre_id) -> ApiResponse:
        user = _need(request, "partners.delete_centre")
        writes.centre_delete(centre_id=centre_id, actor=user)
        return ApiResponse(None, message="Centre deleted successfully")


class CentreToggleView(APIView):
    permission_classes = [require_perms("partners.add_centre")]

    @extend_schema(tags=[TAG_CENTRES], summary="Switch a centre on or off", request=None, responses=ClinicCentreOutput)
    def patch(self, request: Request, centre_id) -> ApiResponse:
        centre = writes.centre_toggle(centre_id=centre_id, actor=request.user)  # type: ignore[arg-type]
        state = "activated" if centre.is_active else "deactivated"
        return ApiResponse(ClinicCentreOutput(centre).data, message=f"Centre {state}")


# --- clinicians ---------------------------------------------------------------------------------------


class CliniciansView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG_CLINICIANS],
        summary="Active clinicians (public)",
        parameters=[OpenApiParameter("centreId", str), OpenApiParameter("specialization", str)],
        responses=ClinicianProfileOutput(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(CliniciansQuery, request)
        rows = reads.public_clinicians(centre_id=params.get("centre_id"), specialization=params.get("specialization"))
        return ApiResponse(ClinicianProfileOutput(rows, many=True).data)

    @extend_schema(
        tags=[TAG_CLINICIANS],
        summary="Create a clinician (account, profile and consultation)",
        request=ClinicianInput,
        responses={201: ClinicianCreatedOutput, 401: ERROR, 403: ERROR, 409: ERROR},
    )
    def post(self, request: Request) -> ApiResponse:
        user = _need(request, "partners.manage_clinicians")
        partner = writes.clinician_create(data=valid(ClinicianInput, request), actor=user)
        return ApiResponse(ClinicianCreatedOutput(partner).data, status=201, message="Clinician created successfully")


class ClinicianView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG_CLINICIANS], summary="A clinician (public)", responses=ClinicianProfileOutput)
    def get(self, request: Request, clinician_id) -> ApiResponse:
        return ApiResponse(ClinicianProfileOutput(reads.public_clinician(clinician_id)).data)

    @extend_schema(
        tags=[TAG_CLINICIANS],
        summary="Update a clinician",
        request=ClinicianInput,
        responses={200: ClinicianProfileOutput, 401: ERROR, 403: ERROR, 409: ERROR},
    )
    def put(self, request: Request, clinician_id) -> ApiResponse:
        user = _need(request, "partners.manage_clinicians")
        data = valid(ClinicianInput, request, partial=True)
        partner = writes.clinician_update(clinician_id=clinician_id, data=data, actor=user)
        return ApiResponse(ClinicianProfileOutput(partner).data, message="Clinician updated successfully")

    @extend_schema(
        tags=[TAG_CLINICIANS],
        summary="Deactivate a clinician (soft delete)",
        responses={200: ClinicianProfileOutput, 401: ERROR, 403: ERROR},
    )
    def delete(self, request: Request, clinician_id) -> ApiResponse:
        user = _need(request, "partners.manage_clinicians")
        partner = writes.clinician_set_active(clinician_id=clinician_id, actor=user, active=False)
        return ApiResponse(ClinicianProfileOutput(partner).data, message="Clinician deactivated")


class ClinicianToggleView(APIView):
    permission_classes = [require_perms("partners.manage_clinicians")]

    @extend_schema(
        tags=[TAG_CLINICIANS], summary="Switch a clinician on or off", request=None, responses=ClinicianProfileOutput
    )
    def patch(self, request: Request, clinician_id) -> ApiResponse:
        partner = writes.clinician_set_active(clinician_id=clinician_id, actor=request.user)  # type: ignore[arg-type]
        state = "activated" if partner.is_active else "deactivated"
        return ApiResponse(ClinicianProfileOutput(partner).data, message=f"Clinician {state}")


class ClinicianAvailabilityView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG_CLINICIANS],
        summary="A clinician's weekly rules (public)",
        responses=AvailabilityRuleOutput(many=True),
    )
    def get(self, request: Request, clinician_id) -> ApiResponse:
        partner = reads.public_clinician(clinician_id)
        return ApiResponse(AvailabilityRuleOutput(reads.rules_of(partner), many=True).data)

    @extend_schema(
        tags=[TAG_CLINICIANS],
        summary="Replace a clinician's week (staff, or the clinician themself)",
        request=AvailabilityRulesInput,
        responses={200: AvailabilityRuleOutput(many=True), 401: ERROR, 403: ERROR},
    )
    def put(self, request: Request, clinician_id) -> ApiResponse:
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated()
        rules = valid(AvailabilityRulesInput, request)["availability_rules"]
        rows = writes.clinician_set_rules(clinician_id=clinician_id, rules=rules, user=request.user)  # type: ignore[arg-type]
        return ApiResponse(AvailabilityRuleOutput(rows, many=True).data, message="Availability updated successfully")


# --- free slots ---------------------------------------------------------------------------------------

SLOT_PARAMS = [OpenApiParameter("centreId", str), OpenApiParameter("date", str, required=True)]


class StaffAvailabilityView(APIView):
    permission_classes = [require_perms("bookings.view_booking")]

    @extend_schema(
        tags=[TAG_SLOTS],
        summary="A clinician's free start times on one day (staff)",
        parameters=[OpenApiParameter("clinician_id", str, required=True), *SLOT_PARAMS],
        responses=ClinicianTimesOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(SlotsQuery, request)
        day = params["date"]
        partner, free = reads.clinician_free_slots(
            clinician_id=params["clinician_id"], centre_id=params.get("centre_id"), day=day
        )
        zone = agenda.zone_of(partner)
        times = [start.astimezone(zone).strftime("%H:%M:%S") for start in free]
        return ApiResponse({"date": day.isoformat(), "available_slots": times})


class PublicSlotsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG_SLOTS],
        summary="Every slot of a clinician's day, free or not (public)",
        parameters=[OpenApiParameter("clinicianId", str, required=True), *SLOT_PARAMS],
        responses=PublicSlotsOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(SlotsQuery, request)
        day = params["date"]
        partner, slots = reads.clinician_day_slots(
            clinician_id=params["clinician_id"], centre_id=params.get("centre_id"), day=day
        )
        zone = agenda.zone_of(partner)
        rows: list[dict[str, Any]] = [
            {
                "time": slot.start.astimezone(zone).strftime("%H:%M:%S"),
                "starts_at": slot.start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "available": slot.available,
            }
            for slot in slots
        ]
        return ApiResponse({"date": day.isoformat(), "timezone": partner.timezone, "available_slots": rows})
