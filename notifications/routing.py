from django.urls import re_path

from notifications.consumers import NotificationConsumer, StatusConsumer

websocket_urlpatterns = [
    re_path(r"^ws/notifications/(?P<user_id>[0-9a-f-]{36})/?$", NotificationConsumer.as_asgi()),
    re_path(r"^ws/status/(?P<user_id>[0-9a-f-]{36})/(?P<role>[a-z_]+)/?$", StatusConsumer.as_asgi()),
]
