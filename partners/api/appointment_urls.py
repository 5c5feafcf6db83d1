"""Routes of issue #18 (appointment_urls): seed 003 appointments and patient/front-desk booking; included by
partners/urls.py. Fixed words (``my-appointments``, ``create``, ``front-desk``) cannot match the UUID routes."""

from django.urls import path

from partners.api import appointments as views

urlpatterns = [
    path("appointments", views.AppointmentsView.as_view(), name="appointments"),
    path("appointments/my-appointments", views.MyAppointmentsView.as_view(), name="appointments-mine"),
    path("appointments/<uuid:appointment_id>", views.AppointmentView.as_view(), name="appointment"),
    path(
        "appointments/<uuid:appointment_id>/no-show",
        views.AppointmentNoShowView.as_view(),
        name="appointment-no-show",
    ),
    path("booking/create", views.PatientBookingView.as_view(), name="booking-create"),
    path("booking/front-desk", views.FrontDeskBookingView.as_view(), name="booking-front-desk"),
    path("booking/my-appointments", views.PatientAppointmentsView.as_view(), name="booking-mine"),
    path("booking/<uuid:appointment_id>", views.PatientAppointmentView.as_view(), name="booking-appointment"),
    path("booking/<uuid:appointment_id>/cancel", views.PatientCancelView.as_view(), name="booking-cancel"),
]
