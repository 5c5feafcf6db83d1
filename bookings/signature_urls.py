"""Seed 002's sign-off routes (included by bookings/urls.py)."""

from django.urls import path

from bookings.api import signatures

urlpatterns = [
    path(
        "bookings/<uuid:booking_id>/request_signature",
        signatures.SignatureRequestView.as_view(),
        name="booking-request-signature",
    ),
    path("signatures", signatures.SignaturesView.as_view(), name="signatures"),
    path("signatures/<uuid:signature_id>/sign", signatures.SignatureSignView.as_view(), name="signature-sign"),
    path("signatures/<uuid:signature_id>/refuse", signatures.SignatureRefuseView.as_view(), name="signature-refuse"),
]
