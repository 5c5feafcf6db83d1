"""Seed 003 "Video Conferencing": meeting links of online appointments, under ``/api/v1/video/``.

* ``POST /video/generate-meet-link {appointmentId, summary?, startTime?, endTime?}`` (``bookings.add_booking``)
  -> ``{meet_link, event_id}``; generating again replaces the link.
* ``GET /video/appointment/{id}/meet-link`` (the patient, the provider, ``bookings.view_booking``) ->
  ``{appointment_id, meet_link, provider, event_id, created_at}`` (``meet_link`` null once deleted).
* ``PUT`` the same path ``{meetLink}`` (an https URL) and ``DELETE`` (``bookings.change_booking``).
* ``GET /video/links?startDate&endDate&provider&page&limit`` (``bookings.change_booking``): the links of
  appointments on those (local) dates, paginated; two queries at any size.

Rules (online only, who, when) are ``partners.services.meetings``'s; someone else's appointment is 404.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings.models import Booking
from core.api import CamelCaseInput, paginate, query, valid
from core.errors import DomainError, ErrorCode
from core.permissions import require_perms
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer, page_of
from partners.services import meetings

TAG = "video"


class MeetLinkGenerateInput(serializers.Serializer):
    appointment_id = serializers.UUIDField()
    summary = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    start_time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    end_time = serializers.DateTimeField(required=False, allow_null=True, default=None)


class MeetLinkSetInput(serializers.Serializer):
    meet_link = serializers.URLField(max_length=500)

    def validate_meet_link(self, value: str) -> str:
        if not value.lower().startswith("https://"):
            raise serializers.ValidationError("A meeting link must be an https URL.")
        return value


class VideoLinksQuery(CamelCaseInput):
    ALIASES = {"startDate": "start_date", "endDate": "end_date"}
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    provider = serializers.CharField(required=False, allow_blank=True, max_length=32, default="")

    def validate(self, attrs: dict) -> dict:
        if attrs.get("start_date") and attrs.get("end_date") and attrs["end_date"] < attrs["start_date"]:
            raise DomainError(
                "endDate must not be before startDate.", code=ErrorCode.VALIDATION_ERROR, field="end_date"
            )
        return attrs


class MeetLinkGeneratedOutput(serializers.Serializer):
    meet_link = serializers.URLField()
    event_id = serializers.CharField()


class MeetLinkOutput(serializers.Serializer):
    appointment_id = serializers.UUIDField()
    meet_link = serializers.URLField(allow_null=True, help_text="Null while the appointment has no link.")
    provider = serializers.CharField(help_text="offline, google_meet or manual; empty without a link.")
    event_id = serializers.CharField()
    created_at = serializers.DateTimeField(allow_null=True)


class VideoLinkRowOutput(serializers.Serializer):
    appointment_id = serializers.UUIDField()
    booking_number = serializers.CharField()
    scheduled_start = serializers.DateTimeField()
    meet_link = serializers.URLField()
    provider = serializers.CharField()
    created_at = serializers.DateTimeField(allow_null=True)


VideoLinksPage = page_of("VideoLinksPage", "links", VideoLinkRowOutput(many=True))


def link_of(booking: Booking) -> dict:
    return {
        "appointment_id": str(booking.pk),
        "meet_link": booking.meeting_link or None,
        "provider": booking.meeting_provider,
        "event_id": booking.meeting_event_id,
        "created_at": booking.meeting_created_at.isoformat() if booking.meeting_created_at else None,
    }


def row_of(booking: Booking) -> dict:
    return {
        "appointment_id": str(booking.pk),
        "booking_number": booking.booking_number,
        "scheduled_start": booking.scheduled_start.isoformat(),
        "meet_link": booking.meeting_link,
        "provider": booking.meeting_provider,
        "created_at": booking.meeting_created_at.isoformat() if booking.meeting_created_at else None,
    }


class GenerateMeetLinkView(APIView):
    permission_classes = [require_perms("bookings.add_booking")]

    @extend_schema(
        tags=[TAG],
        summary="Make (or replace) the meeting link of an online appointment",
        request=MeetLinkGenerateInput,
        responses={
            200: MeetLinkGeneratedOutput,
            404: OpenApiResponse(ErrorResponseSerializer, description="No such appointment"),
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(MeetLinkGenerateInput, request)
        booking = meetings.meeting_generate(
            booking_id=data["appointment_id"],
            actor=request.user,
            summary=data["summary"],
            start=data["start_time"],
            end=data["end_time"],
        )
        return ApiResponse(
            {"meet_link": booking.meeting_link, "event_id": booking.meeting_event_id}, message="Meeting link created"
        )


class AppointmentMeetLinkView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="The meeting link of an appointment", responses=MeetLinkOutput)
    def get(self, request: AuthenticatedRequest, appointment_id: str) -> ApiResponse:
        booking = meetings.appointment_for(request.user, appointment_id, perm="bookings.view_booking")
        meetings.online_only(booking)
        return ApiResponse(link_of(booking))

    @extend_schema(
        tags=[TAG],
        summary="Set the meeting link by hand (an https URL)",
        request=MeetLinkSetInput,
        responses=MeetLinkOutput,
    )
    def put(self, request: AuthenticatedRequest, appointment_id: str) -> ApiResponse:
        data = valid(MeetLinkSetInput, request)
        booking = meetings.meeting_set(booking_id=appointment_id, actor=request.user, url=data["meet_link"])
        return ApiResponse(link_of(booking), message="Meeting link updated")

    @extend_schema(tags=[TAG], summary="Remove the meeting link", responses=MeetLinkOutput)
    def delete(self, request: AuthenticatedRequest, appointment_id: str) -> ApiResponse:
        booking = meetings.meeting_delete(booking_id=appointment_id, actor=request.user)
        return ApiResponse(link_of(booking), message="Meeting link deleted")


class VideoLinksView(APIView):
    permission_classes = [require_perms("bookings.change_booking")]

    @extend_schema(
        tags=[TAG],
        summary="Meeting links of appointments between two dates",
        parameters=[
            OpenApiParameter("startDate", str, description="First appointment date (local), YYYY-MM-DD"),
            OpenApiParameter("endDate", str, description="Last appointment date (local), YYYY-MM-DD"),
            OpenApiParameter("provider", str, description="offline, google_meet or manual"),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses=VideoLinksPage,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(VideoLinksQuery, request)
        rows = meetings.meeting_links(
            user=request.user,  # type: ignore[arg-type]
            start_date=params.get("start_date"),
            end_date=params.get("end_date"),
            provider=params["provider"],
        )
        return ApiResponse(paginate(self, request, rows, row_of, "links"))
