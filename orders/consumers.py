"""``ws/orders/{order_id}/?token=<access JWT>`` (seed 001 6-8, issue 17): an order's live events.

Who may join: the order's resident, its vendor, the society's admins and platform staff
(``orders.services.status.sees``, the readers of GET /orders/{order_id}). Anyone else, and an unknown
order, is refused with 4403 after an error frame (no way to tell the two apart); a missing or bad token
closes with 4401 (``core.consumers.PlatformConsumer.accept_signed_in``). A joined socket is also in the
person's session group, so blocking the account closes it.

Messages are what the services publish after commit (``orders.services.status.publish`` and
``order_move``): ``{"type": <event>, "data": {"order_id", "order_number", ...}}``, for instance
``order_status_change`` with ``old_status``, ``new_status`` and ``message``. A client may send
``{"type": "ping"}`` and gets ``{"type": "pong"}``.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from accounts.models import User
from core.consumers import PlatformConsumer
from core.events import session_group
from core.types import is_uuid
from orders.models import Order
from orders.services.status import order_group, sees


@database_sync_to_async
def _may_watch(user: User, order_id: str) -> bool:
    if not is_uuid(order_id):
        return False
    order = Order.objects.select_related("residence", "partner").filter(pk=order_id).first()
    return order is not None and sees(user, order)


class OrderConsumer(PlatformConsumer):
    async def connect(self) -> None:
        user = await self.accept_signed_in(sessions=False)
        if user is None:
            return
        order_id = self.scope["url_route"]["kwargs"]["order_id"]
        if not await _may_watch(user, order_id):
            await self.refuse("You may not follow this order.")
            return
        self.group = order_group(order_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.join(session_group(user.pk))

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
