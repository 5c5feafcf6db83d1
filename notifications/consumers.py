"""``ws/notifications/{user_id}/?token=<access JWT>`` (seed 002): everything addressed to one person, live.

* Authentication: ``?token=`` or ``Authorization: Bearer``. Not signed in (missing, invalid, expired or
  blocked token) closes with **4401**; another person's channel with **4403** (staff included: the
  admin API is how staff read someone's notifications).
* Pushes ``notification:new`` for every inbox entry, and the live events sent to the person's group
  (seed 004: ``booking:new`` when a partner is offered a job, ``booking:status_changed`` and
  ``payment:status_changed`` to the customer; also ``booking:cancelled`` to the partner).
* ``?since=<ISO timestamp>``: on connecting, the notifications created after it are sent first (oldest
  first, ``"replayed": true``), so a client that lost its connection misses nothing that was stored.
* ``{"type": "subscribe", "topic": "availability", "specialist_id": "<partner id>"}`` (and
  ``unsubscribe``): seed 004's ``availability:updated`` for that partner's calendar (``partners.live``;
  topics are registered by domain apps in ``notifications.topics``); answered ``subscribed`` /
  ``unsubscribed``; an unknown topic, a malformed or unknown id is an error frame.
* Heartbeats: the server sends ``{"type": "heartbeat"}`` every ``WEBSOCKET_HEARTBEAT_SECONDS``; a client
  may send ``{"type": "ping"}`` and gets ``pong``. A malformed message gets an error frame and the
  connection stays open.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.consumers import PlatformConsumer, _now
from core.events import session_group, user_group
from notifications import presence
from notifications.models import Notification
from notifications.services import WS_EVENT, notification_payload
from notifications.topics import TOPICS

REPLAY_LIMIT = 500
MAX_SUBSCRIPTIONS = 50


@database_sync_to_async
def _missed(user_id, since: datetime) -> list[dict]:
    rows = Notification.objects.filter(user_id=user_id, created_at__gt=since).order_by("created_at")[:REPLAY_LIMIT]
    return [notification_payload(row) for row in rows]


def _since(scope) -> tuple[datetime | None, bool]:
    raw = parse_qs((scope.get("query_string") or b"").decode()).get("since", [None])[0]
    if raw is None:
        return None, True
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        return None, False
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment, True


class NotificationConsumer(PlatformConsumer):
    heartbeat_task: asyncio.Task | None = None

    async def connect(self) -> None:
        user = await self.accept_signed_in()
        if user is None:
            return
        if str(user.pk) != self.scope["url_route"]["kwargs"]["user_id"]:
            await self.refuse("This is another person's channel.")
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        since, valid = _since(self.scope)
        if not valid:
            await self.send_error("VALIDATION_ERROR", "since must be an ISO 8601 timestamp; nothing was replayed.")
        elif since is not None:
            for payload in await _missed(user.pk, since):
                await self.send_json({"type": WS_EVENT, "data": payload, "replayed": True})
        self.heartbeat_task = asyncio.ensure_future(self._heartbeat())

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(settings.WEBSOCKET_HEARTBEAT_SECONDS)
            await self.send_json({"type": "heartbeat", "timestamp": _now()})

    async def disconnect(self, code: int) -> None:
        if self.heartbeat_task is not None:
            self.heartbeat_task.cancel()
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong", "timestamp": _now()})
        elif kind in ("subscribe", "unsubscribe"):
            await self._subscription(kind, content)
        else:
            await self.send_error("INVALID_REQUEST", 'Unknown message type; send "ping", "subscribe" or "unsubscribe".')

    async def _subscription(self, kind: str, content: dict) -> None:
        """Join or leave one subject's group of a registered topic (``notifications.topics``)."""
        name = content.get("topic")
        topic = TOPICS.get(name) if isinstance(name, str) else None
        if topic is None:
            await self.send_error("VALIDATION_ERROR", f"topic must be one of: {', '.join(sorted(TOPICS))}.")
            return
        try:
            subject = str(uuid.UUID(str(content.get(topic.id_field))))
        except ValueError:
            await self.send_error("VALIDATION_ERROR", f"{topic.id_field} must be an id (a UUID).")
            return
        group = topic.group(subject)
        reply = {"type": f"{kind}d", "topic": topic.name, topic.id_field: subject}
        if kind == "unsubscribe" or group in self.groups:
            if kind == "unsubscribe" and group in self.groups:
                await self.channel_layer.group_discard(group, self.channel_name)
                self.groups = [g for g in self.groups if g != group]
            await self.send_json(reply)
            return
        if len(self.subscriptions()) >= MAX_SUBSCRIPTIONS:
            await self.send_error("VALIDATION_ERROR", f"At most {MAX_SUBSCRIPTIONS} subscriptions per connection.")
            return
        if not await database_sync_to_async(topic.exists)(subject):
            await self.send_error("NOT_FOUND", f"Nothing to follow with {topic.id_field} {subject}.")
            return
        await self.join(group)
        await self.send_json(reply)

    def subscriptions(self) -> list[str]:
        return [g for g in self.groups if g not in (self.group, session_group(self.scope["user"].pk))]


# --- ws/status/{user_id}/{role}/ ---------------------------------------------------------------

ROLES = ("customer", "partner", "specialist", "staff")
BAD_PATH = 4400


def status_group(user_id) -> str:
    return f"status.{user_id}"


class StatusConsumer(PlatformConsumer):
    """``ws/status/{user_id}/{role}/`` (seed 002): live presence.

    On one's own channel the socket *is* the presence: the person counts as online while it is open
    (and beats), and every watcher gets ``status_update`` when that changes. Staff may watch anyone's
    channel (dispatchers watch partners); anyone else watching another person's channel is 4403.
    ``role`` says which app the person uses (customer, partner, specialist, staff); another value is 4400.
    """

    heartbeat_task: asyncio.Task | None = None
    watched = None

    async def connect(self) -> None:
        user = await self.accept_signed_in()
        if user is None:
            return
        kwargs = self.scope["url_route"]["kwargs"]
        if kwargs["role"] not in ROLES:
            await self.send_error("VALIDATION_ERROR", f"role must be one of {', '.join(ROLES)}.")
            await self.close(code=BAD_PATH)
            return
        self.watched = kwargs["user_id"]
        self.own = self.watched == str(user.pk)
        if not self.own and not user.is_staff:
            await self.refuse("Only staff may watch another person's status.")
            return
        await self.channel_layer.group_add(status_group(self.watched), self.channel_name)
        self.groups = [*self.groups, status_group(self.watched)]
        if self.own:
            current = await sync_to_async(presence.touch)(self.watched, self.channel_name)
            await self.channel_layer.group_send(status_group(self.watched), {"type": "status.update", "data": current})
        else:
            current = await sync_to_async(presence.status)(self.watched)
            await self.send_json({"type": "status_update", "data": current})
        self.heartbeat_task = asyncio.ensure_future(self._heartbeat())

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(settings.WEBSOCKET_HEARTBEAT_SECONDS)
            if self.own:
                await sync_to_async(presence.touch)(self.watched, self.channel_name)
            await self.send_json({"type": "heartbeat", "timestamp": _now()})

    async def status_update(self, message) -> None:
        await self.send_json({"type": "status_update", "data": message["data"]})

    async def disconnect(self, code: int) -> None:
        if self.heartbeat_task is not None:
            self.heartbeat_task.cancel()
        if self.watched and getattr(self, "own", False):
            current = await sync_to_async(presence.leave)(self.watched, self.channel_name)
            if not current["is_online"]:
                await self.channel_layer.group_send(
                    status_group(self.watched), {"type": "status.update", "data": current}
                )

    async def receive_json(self, content, **kwargs) -> None:
        if content.get("type") == "ping":
            await self.send_json({"type": "pong", "timestamp": _now()})
        else:
            await self.send_error("INVALID_REQUEST", 'Unknown message type; send {"type": "ping"}.')
