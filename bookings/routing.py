from django.urls import re_path

from bookings.consumers import BookingConsumer

websocket_urlpatterns = [
    re_path(r"^ws/bookings/(?P<booking_id>[0-9a-f-]{36})/?$", BookingConsumer.as_asgi()),
]
