"""Routes of issue #18's clinic slice (seed 003: centres, clinicians, weekly rules, free slots); included by
partners/urls.py."""

from django.urls import path

from partners.api import clinic

urlpatterns = [
    path("centres", clinic.CentresView.as_view(), name="centres"),
    path("centres/<uuid:centre_id>", clinic.CentreView.as_view(), name="centre"),
    path("centres/<uuid:centre_id>/toggle-active", clinic.CentreToggleView.as_view(), name="centre-toggle"),
    path("clinicians", clinic.CliniciansView.as_view(), name="clinicians"),
    path("clinicians/<uuid:clinician_id>", clinic.ClinicianView.as_view(), name="clinician"),
    path("clinicians/<uuid:clinician_id>/toggle-active", clinic.ClinicianToggleView.as_view(), name="clinician-toggle"),
    path(
        "clinicians/<uuid:clinician_id>/availability",
        clinic.ClinicianAvailabilityView.as_view(),
        name="clinician-availability",
    ),
    path("appointments/availability", clinic.StaffAvailabilityView.as_view(), name="appointments-availability"),
    path("booking/available-slots", clinic.PublicSlotsView.as_view(), name="booking-available-slots"),
]
