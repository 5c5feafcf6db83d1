"""The Telegram bot webhook's route (included by config/urls.py's api_v1)."""

from django.urls import path

from bookings.api.telegram import TelegramWebhookView

urlpatterns = [
    path("telegram/webhook", TelegramWebhookView.as_view(), name="telegram-webhook"),
]
