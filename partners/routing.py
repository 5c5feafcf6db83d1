from django.urls import re_path

from partners.consumers import ChatConsumer

websocket_urlpatterns = [
    re_path(r"^ws/chat/(?P<user_id>[0-9a-f-]{36})/(?P<role>[a-z_]+)/?$", ChatConsumer.as_asgi()),
]
