"""Seed 002's booking photo routes (included by bookings/urls.py)."""

from django.urls import path

from bookings.api.photos import BookingPhotosView, PhotoDetailView, PhotosView

urlpatterns = [
    path("bookings/<uuid:booking_id>/photos", BookingPhotosView.as_view(), name="booking-photos"),
    path("photos", PhotosView.as_view(), name="photos"),
    path("photos/<uuid:photo_id>", PhotoDetailView.as_view(), name="photo-detail"),
]
