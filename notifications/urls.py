from django.urls import path

from notifications.api import admin, inbox

urlpatterns = [
    path("notifications", inbox.NotificationsView.as_view()),
    path("notifications/mark-all-read", inbox.NotificationsReadAllView.as_view()),
    path("notifications/preferences", inbox.PreferencesView.as_view()),
    path("notifications/devices", inbox.DevicesView.as_view()),
    path("notifications/<uuid:notification_id>/read", inbox.NotificationReadView.as_view()),
    path("notifications/history", admin.DeliveryHistoryView.as_view()),
    path("notifications/stats", admin.DeliveryStatsView.as_view()),
    path("notifications/<uuid:delivery_id>", admin.DeliveryDetailView.as_view()),
    path("admin/webhooks", admin.WebhookEndpointsView.as_view()),
    path("admin/webhooks/<uuid:endpoint_id>", admin.WebhookEndpointView.as_view()),
    path("admin/webhooks/<uuid:endpoint_id>/rotate-secret", admin.WebhookSecretView.as_view()),
]
