"""Seed 004's specialist self-service (issue #19) at the seed's paths under ``/api/v1/``.

* ``GET/PUT /specialists/profile``: the profile, pricing, weekly hours and revenue.
* ``GET/POST /specialists/services``, ``PUT/DELETE /specialists/services/{id}``: the own catalogue services.
* ``GET /specialists/availability?startDate&endDate&timezone``: every rule slot of those dates, free or why not.
* ``POST /specialists/availability/block``, ``DELETE /specialists/availability/block/{id}``: blocked time.

Signed-in specialists only (anyone else ``403 NOT_A_PARTNER``); the rules and readings are in
``partners.selectors.specialists`` (reads) and ``partners.services.specialists`` (writes).
"""

from __future__ import annotations

from datetime import UTC

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import query, valid
from core.responses import ApiResponse
from core.schema import NULL_DATA, ErrorResponseSerializer
from partners.api.specialist_schemas import (
    SpecialistAvailabilityOutput,
    SpecialistAvailabilityQuery,
    SpecialistBlockInput,
    SpecialistBlockOutput,
    SpecialistProfileInput,
    SpecialistSelfProfileOutput,
    SpecialistServiceDeletedOutput,
    SpecialistServiceInput,
    SpecialistServiceOutput,
)
from partners.selectors import specialists as reads
from partners.services import specialists as writes

TAG = "specialist self-service"
ERROR = ErrorResponseSerializer


class SpecialistProfileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="The signed-in specialist's profile",
        responses={200: SpecialistSelfProfileOutput, 403: ERROR},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        return ApiResponse(SpecialistSelfProfileOutput(reads.profile_of(partner)).data)

    @extend_schema(
        tags=[TAG],
        summary="Update the profile, pricing and weekly hours",
        request=SpecialistProfileInput,
        responses={200: SpecialistSelfProfileOutput, 403: ERROR, 422: ERROR},
    )
    def put(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        data = valid(SpecialistProfileInput, request)
        partner = writes.profile_update(partner=partner, data=data)
        return ApiResponse(SpecialistSelfProfileOutput(reads.profile_of(partner)).data, message="Profile updated")


class SpecialistServicesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="The specialist's own services",
        responses={200: SpecialistServiceOutput(many=True), 403: ERROR},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        return ApiResponse(SpecialistServiceOutput(reads.services_of(partner), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Add a service",
        request=SpecialistServiceInput,
        responses={201: SpecialistServiceOutput, 403: ERROR, 422: ERROR},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        data = valid(SpecialistServiceInput, request)
        service = writes.service_create(partner=partner, data=data)
        return ApiResponse(SpecialistServiceOutput(service).data, message="Service created", status=201)


class SpecialistServiceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Update one of your services",
        request=SpecialistServiceInput,
        responses={200: SpecialistServiceOutput, 403: ERROR, 404: ERROR, 422: ERROR},
    )
    def put(self, request: AuthenticatedRequest, service_id) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        data = valid(SpecialistServiceInput, request, partial=True)
        service = writes.service_update(partner=partner, service_id=service_id, data=data)
        return ApiResponse(SpecialistServiceOutput(service).data, message="Service updated")

    @extend_schema(
        tags=[TAG],
        summary="Delete one of your services (deactivated instead when bookings reference it)",
        responses={200: SpecialistServiceDeletedOutput, 403: ERROR, 404: ERROR},
    )
    def delete(self, request: AuthenticatedRequest, service_id) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        deleted = writes.service_delete(partner=partner, service_id=service_id)
        message = "Service deleted" if deleted else "Service has bookings, so it was deactivated instead"
        return ApiResponse({"id": service_id, "deleted": deleted, "is_active": False}, message=message)


class SpecialistAvailabilityView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Every slot of your weekly hours on a range of dates (at most 31), free or why not",
        parameters=[
            OpenApiParameter("startDate", str, required=True),
            OpenApiParameter("endDate", str, required=True),
            OpenApiParameter("timezone", str, description="IANA zone to show the times in (default: yours)."),
        ],
        responses={200: SpecialistAvailabilityOutput, 403: ERROR, 422: ERROR},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        params = query(SpecialistAvailabilityQuery, request)
        zone, days = reads.availability_grid(
            partner, first=params["start_date"], last=params["end_date"], zone_name=params.get("timezone")
        )
        rows = []
        for day, slots in days.items():
            rendered = []
            for slot in slots:
                row = {
                    "start_time": slot.start.astimezone(zone).strftime("%H:%M"),
                    "end_time": slot.end.astimezone(zone).strftime("%H:%M"),
                    "starts_at": slot.start.astimezone(UTC),
                    "available": slot.available,
                }
                if slot.reason:
                    row["reason"] = slot.reason
                rendered.append(row)
            rows.append({"date": day, "slots": rendered})
        return ApiResponse(SpecialistAvailabilityOutput({"timezone": str(zone), "available_slots": rows}).data)


class SpecialistBlocksView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Block time (once or weekly); refused over live appointments",
        request=SpecialistBlockInput,
        responses={201: SpecialistBlockOutput, 403: ERROR, 409: ERROR, 422: ERROR},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        data = valid(SpecialistBlockInput, request)
        block = writes.block_create(partner=partner, data=data)
        return ApiResponse(SpecialistBlockOutput(block).data, message="Time blocked", status=201)


class SpecialistBlockView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Remove one of your blocks", responses={200: NULL_DATA, 403: ERROR, 404: ERROR})
    def delete(self, request: AuthenticatedRequest, block_id) -> ApiResponse:
        partner = reads.specialist_of(request.user)
        writes.block_delete(partner=partner, block_id=block_id)
        return ApiResponse(None, message="Block removed")
