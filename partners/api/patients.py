"""Seed 003's patients (staff and clinicians), the patient's own pages, and patient sign-in.

* ``/patients``: read by holders of ``accounts.view_patientprofile`` (every patient) and by clinicians and
  specialists (their own patients only; ``partners.selectors.patients``); created and changed by holders of
  ``accounts.add_patientprofile`` / ``change_patientprofile``. ``POST /patients/{id}/notes`` appends a medical
  note (``partners.services.patients.medical_note_add``); there is no endpoint to change or delete one.
* ``/patient/...``: the signed-in patient's own profile, dashboard, appointments and payments, and the cancel
  of their own appointment. None of them reads medical notes.
* ``/patient-auth/...``: the platform's phone OTP sign-in (``accounts.services.patient_auth``) answered in
  seed 003's shape; refresh, logout and ``me`` are the ``/auth/...`` token endpoints under the seed's path
  (``me`` with the patient's profile fields).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.services import patient_auth, tokens
from accounts.views.common import log_sign_in, otp_sent_data
from core.api import page_params, paginate, query, valid
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import page_of
from core.types import Id
from partners.api import patient_schemas as io
from partners.api.appointment_schemas import ApptCancelled, ApptPatientPage, cancelled_row
from partners.selectors import patients as selectors
from partners.selectors.appointments import patient_appointments
from partners.services import patients as services
from payments.models import Payment

PATIENTS = "patients"
PATIENT_SELF = "patient"
PATIENT_AUTH = "patient-auth"

PatientsPage = page_of("PatientsPage", "patients", io.PatientRowOutput(many=True))
PatientPaymentsPage = page_of("PatientPaymentsPage", "payments", io.PatientPaymentOutput(many=True))


def _require(request: AuthenticatedRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise DomainError("You do not have permission to perform this action.", code=ErrorCode.FORBIDDEN)


def _patient_row(user) -> dict:
    return io.PatientRowOutput(io.patient_row(user)).data


def _detail(request: AuthenticatedRequest, patient_id: Id, message: str | None = None) -> ApiResponse:
    scope = selectors.patient_scope(request.user)
    patient = selectors.patient_get(scope, patient_id)
    notes = selectors.notes_for(request.user, scope, patient)
    return ApiResponse(io.patient_detail(patient, notes), message=message)


class SignedIn(APIView):
    permission_classes = [IsAuthenticated]


class Public(APIView):  # sign-in endpoints: no credentials read, anyone may call
    authentication_classes: list = []
    permission_classes = [AllowAny]


# --- staff and clinicians -----------------------------------------------------------------------------------------


class PatientListView(SignedIn):
    @extend_schema(
        tags=[PATIENTS],
        summary="Patients (staff: all; a clinician: their own)",
        operation_id="patients_list",
        parameters=page_params("search", "phone"),
        responses=PatientsPage,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(io.PatientListQuery, request)
        rows = selectors.patient_list(
            selectors.patient_scope(request.user), search=params.get("search", ""), phone=params.get("phone", "")
        )
        return ApiResponse(paginate(self, request, rows, _patient_row, "patients"))

    @extend_schema(
        tags=[PATIENTS],
        summary="Create a patient (409 when the phone or email is taken)",
        request=io.PatientCreateInput,
        responses={201: io.PatientDetailOutput},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        _require(request, "accounts.add_patientprofile")
        data = dict(valid(io.PatientCreateInput, request))
        patient = services.patient_create(
            actor=request.user,
            full_name=data.pop("full_name"),
            phone=data.pop("phone"),
            email=data.pop("email", None),
            **data,
        )
        return ApiResponse(io.patient_detail(patient, None), message="Patient created", status=201)


class PatientDetailView(SignedIn):
    @extend_schema(
        tags=[PATIENTS],
        summary="A patient (with notes for admins and their clinician)",
        responses=io.PatientDetailOutput,
    )
    def get(self, request: AuthenticatedRequest, patient_id: Id) -> ApiResponse:
        return _detail(request, patient_id)

    @extend_schema(
        tags=[PATIENTS], summary="Update a patient", request=io.PatientUpdateInput, responses=io.PatientDetailOutput
    )
    def put(self, request: AuthenticatedRequest, patient_id: Id) -> ApiResponse:
        _require(request, "accounts.change_patientprofile")
        data = valid(io.PatientUpdateInput, request)
        services.patient_update(actor=request.user, patient_id=patient_id, fields=dict(data))
        return _detail(request, patient_id, message="Patient updated")


class PatientAppointmentsView(SignedIn):
    @extend_schema(
        tags=[PATIENTS],
        summary="A patient's appointments (a clinician: those with them)",
        parameters=page_params(),
        responses=ApptPatientPage,
    )
    def get(self, request: AuthenticatedRequest, patient_id: Id) -> ApiResponse:
        scope = selectors.patient_scope(request.user)
        patient = selectors.patient_get(scope, patient_id)
        rows = selectors.appointments_of_patient(scope, patient)
        return ApiResponse(paginate(self, request, rows, io.appointment_row, "appointments"))


class MedicalNoteView(SignedIn):
    @extend_schema(
        tags=[PATIENTS],
        summary="Add a medical note (the appointment's clinician, admins; append-only)",
        request=io.MedicalNoteInput,
        responses={201: io.MedicalNoteOutput},
    )
    def post(self, request: AuthenticatedRequest, patient_id: Id) -> ApiResponse:
        data = valid(io.MedicalNoteInput, request)
        note = services.medical_note_add(
            actor=request.user, patient_id=patient_id, note=data["note"], appointment_id=data.get("appointment_id")
        )
        row = io.MedicalNoteOutput(io.medical_note_row(note)).data
        return ApiResponse(row, message="Medical note added", status=201)


# --- the patient's own pages --------------------------------------------------------------------------------------


class PatientProfileView(SignedIn):
    @extend_schema(tags=[PATIENT_SELF], summary="My patient profile", responses=io.PatientSelfOutput)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(io.patient_self(request.user))

    @extend_schema(
        tags=[PATIENT_SELF],
        summary="Update my patient profile",
        request=io.PatientSelfInput,
        responses=io.PatientSelfOutput,
    )
    def put(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.PatientSelfInput, request)
        user = services.patient_profile_save(user=request.user, fields=dict(data))
        return ApiResponse(io.patient_self(user), message="Profile updated successfully")


class PatientDashboardView(SignedIn):
    @extend_schema(tags=[PATIENT_SELF], summary="My dashboard", responses=io.PatientDashboardOutput)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        board = selectors.dashboard_of(request.user)
        return ApiResponse(
            io.PatientDashboardOutput(
                {
                    "upcoming_appointments": [io.appointment_row(b) for b in board["upcoming_appointments"]],
                    "recent_payments": [io.payment_row(p) for p in board["recent_payments"]],
                    "total_appointments": board["total_appointments"],
                    "total_spent": board["total_spent"],
                }
            ).data
        )


class PatientOwnAppointmentsView(SignedIn):
    @extend_schema(tags=[PATIENT_SELF], summary="My appointments", parameters=page_params(), responses=ApptPatientPage)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows = patient_appointments(request.user, expired=True)
        return ApiResponse(paginate(self, request, rows, io.appointment_row, "appointments"))


class PatientOwnPaymentsView(SignedIn):
    @extend_schema(tags=[PATIENT_SELF], summary="My payments", parameters=page_params(), responses=PatientPaymentsPage)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows = Payment.objects.filter(user=request.user).order_by("-created_at", "pk")
        return ApiResponse(paginate(self, request, rows, io.payment_row, "payments"))


class PatientCancelView(SignedIn):
    @extend_schema(
        tags=[PATIENT_SELF],
        summary="Cancel my appointment (free until the notice deadline)",
        request=io.PatientCancelInput,
        responses=ApptCancelled,
    )
    def post(self, request: AuthenticatedRequest, booking_id: Id) -> ApiResponse:
        data = valid(io.PatientCancelInput, request)
        done = services.patient_appointment_cancel(user=request.user, booking_id=booking_id, reason=data["reason"])
        row = cancelled_row(done, seed_names=False)
        return ApiResponse(row, message="Appointment cancellation requested")


# --- patient sign-in ----------------------------------------------------------------------------------------------


class PatientSendOtpView(Public):
    @extend_schema(
        tags=[PATIENT_AUTH],
        summary="Send a sign-in code to a patient's phone",
        request=io.PatientSendOtpInput,
        responses=io.PatientOtpSentOutput,
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.PatientSendOtpInput, request)
        sent = patient_auth.patient_otp_send(phone=data["phone"], full_name=data["full_name"])
        body = {**otp_sent_data(sent), "channel": patient_auth.DELIVERY_CHANNEL}
        response = ApiResponse(io.PatientOtpSentOutput(body).data, message="OTP sent successfully")
        for header, value in sent.rate.headers().items():
            response[header] = value
        return response


class PatientVerifyOtpView(Public):
    @extend_schema(
        tags=[PATIENT_AUTH],
        summary="Verify the code: sign in, or sign up on first use",
        request=io.PatientVerifyOtpInput,
        responses=io.PatientSignInOutput,
    )
    def post(self, request: Request) -> ApiResponse:
        data = valid(io.PatientVerifyOtpInput, request)
        sign_in = patient_auth.patient_otp_verify(phone=data["phone"], code=data["otp"])
        log_sign_in(sign_in, request)
        user = sign_in.user
        pair = tokens.tokens_issue(user=user)
        body = {
            "patient": {
                "id": user.pk,
                "full_name": user.full_name,
                "phone": user.phone,
                "email": user.email,
                "is_new_user": sign_in.is_new_user,
            },
            "access_token": pair["access_token"],
            "refresh_token": pair["refresh_token"],
            "expires_in": pair["expires_in"],
            "tokens": pair,
        }
        return ApiResponse(io.PatientSignInOutput(body).data, message="Login successful")


class PatientMeView(SignedIn):
    @extend_schema(tags=[PATIENT_AUTH], summary="The signed-in patient", responses=io.PatientSelfOutput)
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return ApiResponse(io.patient_self(request.user))
