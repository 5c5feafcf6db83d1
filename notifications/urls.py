from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications", views.NotificationsView.as_view()),
    path("notifications/mark-all-read", views.NotificationsReadAllView.as_view()),
    path("notifications/preferences", views.PreferencesView.as_view()),
    path("notifications/devices", views.DevicesView.as_view()),
    path("notifications/<uuid:notification_id>/read", views.NotificationReadView.as_view()),
    path("notifications/history", views.DeliveryHistoryView.as_view()),
    path("notifications/stats", views.DeliveryStatsView.as_view()),
    path("notifications/<uuid:delivery_id>", views.DeliveryDetailView.as_view()),
    path("admin/webhooks", views.WebhookEndpointsView.as_view()),
    path("admin/webhooks/<uuid:endpoint_id>", views.WebhookEndpointView.as_view()),
    path("admin/webhooks/<uuid:endpoint_id>/rotate-secret", views.WebhookSecretView.as_view()),
]
