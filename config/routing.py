"""WebSocket routes of every app, behind an origin check.

Browsers always send ``Origin``, and it must match ``ALLOWED_HOSTS`` (or
``WEBSOCKET_ALLOWED_ORIGINS``): that stops cross-site WebSocket hijacking.
Native mobile apps send no ``Origin`` and cannot be hijacked that way, so a
connection without one is let through to the consumer, which authenticates it.
"""

from channels.routing import URLRouter
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.urls import re_path

from accounts.websocket import JWTAuthMiddleware
from bookings.routing import websocket_urlpatterns as bookings_websocket_urlpatterns
from core.consumers import NotFoundConsumer
from core.routing import websocket_urlpatterns as core_websocket_urlpatterns
from notifications.routing import websocket_urlpatterns as notifications_websocket_urlpatterns
from orders.routing import websocket_urlpatterns as orders_websocket_urlpatterns
from partners.routing import websocket_urlpatterns as partners_websocket_urlpatterns

websocket_urlpatterns = [
    *core_websocket_urlpatterns,
    *bookings_websocket_urlpatterns,
    *notifications_websocket_urlpatterns,
    *orders_websocket_urlpatterns,
    *partners_websocket_urlpatterns,
    re_path(r"", NotFoundConsumer.as_asgi()),  # last: an unknown path closes with 4404
]


class NativeAppOriginValidator(OriginValidator):
    def valid_origin(self, parsed_origin) -> bool:
        if parsed_origin is None:
            return True
        return self.validate_origin(parsed_origin)


def _allowed_origins() -> list[str]:
    allowed = [*settings.ALLOWED_HOSTS, *getattr(settings, "WEBSOCKET_ALLOWED_ORIGINS", [])]
    if settings.DEBUG and not allowed:
        allowed = ["localhost", "127.0.0.1", "[::1]"]
    return allowed


websocket_application = NativeAppOriginValidator(
    JWTAuthMiddleware(URLRouter(websocket_urlpatterns)), _allowed_origins()
)
