"""``ws/bookings/{booking_id}/?token=<access JWT>`` (seed 002): the booking's status changes, live.

The customer who booked, staff holding ``bookings.view_booking`` and the
partner offered or assigned the job may join (``hooks.may_read``). Closes with 4401 when not
authenticated and 4403 when not allowed, after accepting, so that clients see
the code. Messages: ``{"type": "booking_status_change", "data": {"booking_id",
"old_status", "new_status", "timestamp", "action"}}`` (assignment steps add
``assignment_status`` and ``partner``), and ``payment_status_change``.
"""

from __future__ import annotations

from channels.db import database_sync_to_async

from bookings import hooks
from bookings.models import Booking
from bookings.services.lifecycle import booking_group
from core.consumers import PlatformConsumer
from core.events import session_group


@database_sync_to_async
def _may_watch(user, booking_id: str) -> bool:
    booking = Booking.objects.filter(pk=booking_id).only("id", "user_id").first()
    return booking is not None and hooks.may_read(user, booking)


class BookingConsumer(PlatformConsumer):
    async def connect(self) -> None:
        user = await self.accept_signed_in(sessions=False)
        if user is None:
            return
        booking_id = self.scope["url_route"]["kwargs"]["booking_id"]
        if not await _may_watch(user, booking_id):
            await self.refuse("You may not follow this booking.")
            return
        self.group = booking_group(booking_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.join(session_group(user.pk))

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
