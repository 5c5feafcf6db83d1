"""Routes of issue #18's patients slice (seed 003 "Patients", "Patient Dashboard", "Patient Authentication").

``/patient-auth/refresh-token`` and ``/patient-auth/logout`` are the platform's ``/auth/refresh-token`` and
``/auth/logout`` under the seed's path.
"""

from django.urls import path

from accounts.views.session import LogoutView, RefreshView
from partners.api import patients

urlpatterns = [
    path("patients", patients.PatientListView.as_view(), name="patients"),
    path("patients/<uuid:patient_id>", patients.PatientDetailView.as_view(), name="patient-detail"),
    path(
        "patients/<uuid:patient_id>/appointments",
        patients.PatientAppointmentsView.as_view(),
        name="patient-appointments",
    ),
    path("patients/<uuid:patient_id>/notes", patients.MedicalNoteView.as_view(), name="patient-notes"),
    path("patient/profile", patients.PatientProfileView.as_view(), name="patient-profile"),
    path("patient/dashboard", patients.PatientDashboardView.as_view(), name="patient-dashboard"),
    path("patient/appointments", patients.PatientOwnAppointmentsView.as_view(), name="patient-own-appointments"),
    path(
        "patient/appointments/<uuid:booking_id>/cancel",
        patients.PatientCancelView.as_view(),
        name="patient-appointment-cancel",
    ),
    path("patient/payments", patients.PatientOwnPaymentsView.as_view(), name="patient-own-payments"),
    path("patient-auth/send-otp", patients.PatientSendOtpView.as_view(), name="patient-auth-send-otp"),
    path("patient-auth/verify-otp", patients.PatientVerifyOtpView.as_view(), name="patient-auth-verify-otp"),
    path("patient-auth/refresh-token", RefreshView.as_view(), name="patient-auth-refresh-token"),
    path("patient-auth/logout", LogoutView.as_view(), name="patient-auth-logout"),
    path("patient-auth/me", patients.PatientMeView.as_view(), name="patient-auth-me"),
]
