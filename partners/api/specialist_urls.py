"""Routes of issue #18 (specialist_urls); included by partners/urls.py."""

from django.urls import path

from partners.api import specialist_bookings

urlpatterns: list = [
    path(
        "bookings/<uuid:booking_id>/confirm",
        specialist_bookings.SpecialistConfirmView.as_view(),
        name="specialist-booking-confirm",
    ),
    path(
        "bookings/<uuid:booking_id>/complete",
        specialist_bookings.SpecialistCompleteView.as_view(),
        name="specialist-booking-complete",
    ),
]
