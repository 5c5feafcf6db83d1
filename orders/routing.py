from django.urls import re_path

from orders.consumers import OrderConsumer

websocket_urlpatterns = [
    re_path(r"^ws/orders/(?P<order_id>[0-9a-f-]{36})/?$", OrderConsumer.as_asgi()),
]
