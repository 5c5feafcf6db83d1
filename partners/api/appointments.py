"""Seed 003 "Appointments" (staff and clinicians) and "Booking" (patients, front desk) under ``/api/v1/``.

Thin views: input in ``appointment_schemas``, scopes in ``partners.selectors.appointments``, rules in
``partners.services.clinic_booking``. Who may do what (docs/permissions.md, appointments matrix):

* ``GET /appointments``, ``GET /appointments/{id}``: staff with ``bookings.view_booking`` (a centre
  manager only at their centres) or the appointment's clinician/specialist; anyone else gets 403 on the
  list and 404 on an appointment;
* ``GET /appointments/my-appointments``: a clinician or specialist (403 otherwise);
* ``POST /appointments``: ``bookings.add_booking``; ``PUT``/``DELETE /appointments/{id}``:
  ``bookings.change_booking`` in the same scope (404 outside it);
* ``POST /appointments/{id}/no-show``: the appointment's own provider, or staff with
  ``bookings.change_booking`` in scope;
* ``POST /booking/create`` and the patient's own ``/booking/...``: any signed-in person, for themselves;
  another person's appointment is 404. ``X-Idempotency-Key`` is optional on ``POST /booking/create``:
  with it a retry replays the first answer;
* ``POST /booking/front-desk``: ``bookings.add_booking`` (front desk, admin, ops manager, care
  coordinator; a centre manager at their centres).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.models import User
from bookings.models import CancelledBy
from bookings.services.lifecycle import booking_cancel
from core.api import page_params, paginate, query, valid
from core.errors import DomainError, ErrorCode
from core.idempotency import HEADER, IdempotentMixin
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer, page_of
from partners.api import appointment_schemas as io
from partners.selectors import appointments as selectors
from partners.services import clinic_booking as service

TAG_STAFF = "appointments"
TAG_PATIENT = "appointment booking"
ADD, CHANGE = "bookings.add_booking", "bookings.change_booking"
ApptStaffPage = page_of("ApptStaffPage", "appointments", io.ApptStaffRow(many=True))
ERRORS = {404: ErrorResponseSerializer, 409: ErrorResponseSerializer, 422: ErrorResponseSerializer}
OPTIONAL_KEY = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=False, description="Optional: a retry with the same key replays."
)


def _need(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied()


def _scope(user: User) -> selectors.Scope:
    scope = selectors.scope_of(user)
    if scope is None:
        raise PermissionDenied()
    return scope


def _slot(data: dict[str, Any]) -> service.Slot:
    return service.Slot(
        provider_id=data["clinician_id"],
        day=data["appointment_date"],
        at=data["appointment_time"],
        session_type=data["session_type"],
        centre_id=data["centre_id"],
        address_id=data["address_id"],
        fee=data["consultation_fee"],
        notes=data.get("notes", ""),
    )


def _staff_created(booked: service.StaffBooked) -> ApiResponse:
    b = booked.booking
    body = {
        "id": str(b.pk),
        "booking_number": b.booking_number,
        "appointment_date": b.booking_date.isoformat(),
        "appointment_time": b.booking_time.strftime("%H:%M:%S"),
        "status": selectors.seed_status(b.status),
        "patient_id": str(b.user_id),
        "payment_link": booked.payment_link,
        "hold_expires_at": timezone.localtime(b.hold_expires_at).isoformat() if b.hold_expires_at else None,
    }
    message = "Appointment created successfully"
    if booked.link_problem:
        message += f"; no payment link could be made ({booked.link_problem}) - send one from the payments desk"
    return ApiResponse(body, message=message, status=201)


class AppointmentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_STAFF],
        summary="Appointments in my scope (filters: centreId, clinicianId, patientId, date, status)",
        operation_id="appointments_list",
        parameters=page_params("centreId", "clinicianId", "patientId", "date", "status"),
        responses={200: ApptStaffPage},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        scope = _scope(request.user)
        params = query(io.AppointmentsQuery, request)
        rows = selectors.appointments_for(
            scope,
            centre_id=params.get("centre_id"),
            clinician_id=params.get("clinician_id"),
            patient_id=params.get("patient_id"),
            day=params.get("date"),
            status=params.get("status"),
        )
        return ApiResponse(paginate(self, request, rows, io.staff_row, "appointments"))

    @extend_schema(
        tags=[TAG_STAFF],
        summary="Book an appointment for a patient (staff)",
        operation_id="appointments_create",
        request=io.StaffAppointmentInput,
        responses={201: io.ApptStaffCreated, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        _need(request.user, ADD)
        data = valid(io.StaffAppointmentInput, request)
        patient = User.objects.filter(pk=data["patient_id"], is_active=True).first()
        if patient is None:
            raise DomainError("Patient not found.", code=ErrorCode.NOT_FOUND, field="patient_id")
        booked = service.appointment_book_for(
            actor=request.user,
            customer=patient,
            slot=_slot(data),
            payment_mode=data["payment_mode"],
            source=service.staff_source(request.user),
        )
        return _staff_created(booked)


class MyAppointmentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_STAFF],
        summary="My appointments as a clinician: current, upcoming, past",
        responses={200: io.ApptAgenda},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        provider = selectors.provider_of(request.user)
        if provider is None:
            raise PermissionDenied("Only a clinician or specialist has appointments of their own.")
        agenda = selectors.provider_agenda(provider, now=timezone.now())
        return ApiResponse(
            {
                "current": [io.staff_row(b) for b in agenda.current],
                "upcoming": [io.staff_row(b) for b in agenda.upcoming],
                "past": [io.staff_row(b) for b in agenda.past],
            }
        )


class AppointmentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG_STAFF], summary="One appointment in my scope", responses={200: io.ApptStaffDetail})
    def get(self, request: AuthenticatedRequest, appointment_id: Any) -> ApiResponse:
        booking = selectors.appointment_for(selectors.scope_of(request.user), appointment_id)
        return ApiResponse(io.staff_detail(booking))

    @extend_schema(
        tags=[TAG_STAFF],
        summary="Move an appointment and/or set its status (CONFIRMED, COMPLETED, NO_SHOW, CANCELLED)",
        request=io.AppointmentUpdateInput,
        responses={200: io.ApptStaffDetail, **ERRORS},
    )
    def put(self, request: AuthenticatedRequest, appointment_id: Any) -> ApiResponse:
        _need(request.user, CHANGE)
        selectors.appointment_for(selectors.scope_of(request.user), appointment_id)
        data = valid(io.AppointmentUpdateInput, request)
        service.appointment_update(
            actor=request.user,
            booking_id=appointment_id,
            day=data.get("appointment_date"),
            at=data.get("appointment_time"),
            status=data.get("status"),
            reason=data["reason"],
        )
        booking = selectors.appointment_for(selectors.scope_of(request.user), appointment_id)
        return ApiResponse(io.staff_detail(booking), message="Appointment updated")

    @extend_schema(
        tags=[TAG_STAFF],
        summary="Cancel an appointment (staff; the policy keeps the deposit after the deadline)",
        request=io.AppointmentCancelInput,
        responses={200: io.ApptCancelled, **ERRORS},
    )
    def delete(self, request: AuthenticatedRequest, appointment_id: Any) -> ApiResponse:
        _need(request.user, CHANGE)
        selectors.appointment_for(selectors.scope_of(request.user), appointment_id)
        data = valid(io.AppointmentCancelInput, request)
        done = booking_cancel(user=request.user, booking_id=appointment_id, reason=data["reason"], by=CancelledBy.ADMIN)
        return _cancelled(done)


def _cancelled(done: Any) -> ApiResponse:
    return ApiResponse(io.cancelled_row(done), message="Appointment cancelled")


class AppointmentNoShowView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_STAFF],
        summary="Record a no-show (the appointment's clinician or staff; from start + grace)",
        request=None,
        responses={200: io.ApptStaffDetail, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, appointment_id: Any) -> ApiResponse:
        user = request.user
        if user.has_perm(CHANGE):
            selectors.appointment_for(selectors.scope_of(user), appointment_id)
        else:
            selectors.provider_appointment(user, appointment_id)
        service.appointment_no_show(actor=user, booking_id=appointment_id)
        booking = selectors.appointment_for(selectors.scope_of(user), appointment_id)
        return ApiResponse(io.staff_detail(booking), message="No-show recorded")


class _OptionalKey(IdempotentMixin):
    """``X-Idempotency-Key`` replays when sent; without it the request simply runs."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if (request.headers.get(HEADER) or "").strip():
            super().initial(request, *args, **kwargs)
        else:
            APIView.initial(self, request, *args, **kwargs)  # type: ignore[arg-type]  # the mixin's base is APIView
            self._idempotency_record = None
            self._idempotency_replay = None


class PatientBookingView(_OptionalKey, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_PATIENT],
        summary="Book an appointment for myself: an unpaid hold and a gateway order",
        parameters=[OPTIONAL_KEY],
        request=io.PatientBookingInput,
        responses={201: io.ApptPatientCreated, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.PatientBookingInput, request)
        key = (request.headers.get(HEADER) or "").strip() or None
        booked = service.patient_book(customer=request.user, slot=_slot(data), idempotency_key=key)
        b, checkout = booked.booking, booked.checkout
        body = {
            "appointment_id": str(b.pk),
            "payment_order_id": checkout.data["order_id"] if checkout else None,
            "payment_id": str(checkout.payment.pk) if checkout else None,
            "amount": b.grand_total,
            "currency": checkout.payment.currency if checkout else "INR",
            "hold_expires_at": timezone.localtime(b.hold_expires_at).isoformat() if b.hold_expires_at else None,
        }
        message = "Appointment created successfully"
        if booked.order_problem:
            message += f"; pay it with POST /payments/create-order before the hold expires ({booked.order_problem})"
        return ApiResponse(body, message=message, status=201)


class PatientAppointmentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_PATIENT],
        summary="My appointments (as a patient)",
        operation_id="booking_my_appointments_list",
        parameters=page_params(),
        responses={200: io.ApptPatientPage},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows = selectors.patient_appointments(request.user)
        return ApiResponse(paginate(self, request, rows, io.patient_row, "appointments"))


class PatientAppointmentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG_PATIENT], summary="One of my appointments", responses={200: io.ApptPatientDetail})
    def get(self, request: AuthenticatedRequest, appointment_id: Any) -> ApiResponse:
        return ApiResponse(io.patient_detail(selectors.patient_appointment(request.user, appointment_id)))


class PatientCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_PATIENT],
        summary="Cancel my appointment (free until the deadline, then not at all)",
        request=io.AppointmentCancelInput,
        responses={200: io.ApptCancelled, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, appointment_id: Any) -> ApiResponse:
        selectors.patient_appointment(request.user, appointment_id)
        data = valid(io.AppointmentCancelInput, request)
        done = booking_cancel(
            user=request.user, booking_id=appointment_id, reason=data["reason"], by=CancelledBy.CUSTOMER
        )
        return _cancelled(done)


class FrontDeskBookingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_PATIENT],
        summary="Front desk: book for a patient by phone (finds or creates the patient)",
        request=io.FrontDeskBookingInput,
        responses={201: io.ApptStaffCreated, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        _need(request.user, ADD)
        data = valid(io.FrontDeskBookingInput, request)
        booked = service.front_desk_book(
            actor=request.user,
            phone=data["patient_phone"],
            name=data["patient_name"],
            slot=_slot(data),
            payment_mode=data["payment_mode"],
        )
        return _staff_created(booked)
