"""Seed 002's dispute routes (included by bookings/urls.py)."""

from django.urls import path

from bookings.api import dispute_messages, disputes

MESSAGES = dispute_messages.DisputeMessagesView.as_view()

urlpatterns = [
    path("disputes", disputes.DisputesView.as_view(), name="disputes"),
    path("disputes/create_dispute", disputes.DisputeCreateView.as_view(), name="dispute-create"),
    path("disputes/<uuid:dispute_id>", disputes.DisputeDetailView.as_view(), name="dispute-detail"),
    path("disputes/<uuid:dispute_id>/messages", MESSAGES, name="dispute-messages"),
    path("disputes/<uuid:dispute_id>/send_message", dispute_messages.DisputeSendView.as_view(), name="dispute-send"),
    path("disputes/<uuid:dispute_id>/resolve", disputes.DisputeResolveView.as_view(), name="dispute-resolve"),
    path("disputes/<uuid:dispute_id>/assign", disputes.DisputeAssignView.as_view(), name="dispute-assign"),
    path("disputes/<uuid:dispute_id>/escalate", disputes.DisputeEscalateView.as_view(), name="dispute-escalate"),
    path("disputes/<uuid:dispute_id>/close", disputes.DisputeCloseView.as_view(), name="dispute-close"),
]
