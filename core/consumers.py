"""``ws/ping/``: answers pings, and relays events broadcast to the ``ping`` group.

A client sends ``{"type": "ping", "data": <anything>}`` and gets
``{"type": "pong", "data": {"echo": <anything>, "timestamp": ...}}``. Events
sent to the ``ping`` group (for example by the ``core.tasks.broadcast_event``
Celery task, in another process) reach every connected client; this is how
the embedded default proves that worker and server share the channel layer.
"""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone

from core import metrics
from core.events import session_group

PING_GROUP = "ping"
NOT_AUTHENTICATED = 4401  # no usable token: missing, invalid, expired or a blocked account
NOT_ALLOWED = 4403  # signed in, but not allowed on this channel
NOT_FOUND = 4404  # no WebSocket route at this path


def _now() -> str:
    return timezone.now().isoformat().replace("+00:00", "Z")


class PlatformConsumer(AsyncJsonWebsocketConsumer):
    """Base consumer: relays ``platform.event`` group messages; answers bad frames with an error frame.

    An accepted socket counts in ``platform_websocket_connections`` until it disconnects (``core.metrics``).
    """

    _counted = False

    async def accept(self, subprotocol: str | None = None, headers: Any = None) -> None:
        await super().accept(subprotocol, headers)
        if not self._counted:
            self._counted = True
            metrics.websocket_opened(type(self).__name__)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        if self._counted:
            self._counted = False
            metrics.websocket_closed(type(self).__name__)
        await super().websocket_disconnect(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None:
            await self.send_error("INVALID_REQUEST", "Send JSON text frames.")
            return
        try:
            content = json.loads(text_data)
        except json.JSONDecodeError:
            await self.send_error("INVALID_REQUEST", "The message is not valid JSON.")
            return
        if not isinstance(content, dict):
            await self.send_error("INVALID_REQUEST", "The message must be a JSON object.")
            return
        await self.receive_json(content, **kwargs)

    async def accept_signed_in(self, *, sessions: bool = True):
        """Accept, then close with 4401 (after an error frame, so clients see why) unless signed in.

        A signed-in socket joins the person's session group, so that blocking the account
        (``core.events.revoke_sessions``) closes it at once with 4401.
        """
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.send_error("UNAUTHORIZED", f"Authentication required ({self.scope.get('auth_error')}).")
            await self.close(code=NOT_AUTHENTICATED)
            return None
        if sessions:
            await self.join(session_group(user.pk))
        return user

    async def join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups = [*self.groups, group]  # type: ignore[has-type]  # channels ships no types; left on disconnect by channels itself

    async def session_revoked(self, message: dict[str, Any]) -> None:
        await self.send_error("UNAUTHORIZED", "This session has ended (the account was blocked).")
        await self.close(code=NOT_AUTHENTICATED)

    async def refuse(self, message: str) -> None:
        await self.send_error("FORBIDDEN", message)
        await self.close(code=NOT_ALLOWED)

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "error": {"code": code, "message": message}, "timestamp": _now()})

    async def platform_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": message["event"], "data": message["data"]})


class PingConsumer(PlatformConsumer):
    async def connect(self) -> None:
        await self.channel_layer.group_add(PING_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(PING_GROUP, self.channel_name)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        if content.get("type") == "ping":
            await self.send_json({"type": "pong", "data": {"echo": content.get("data"), "timestamp": _now()}})
        else:
            await self.send_error("INVALID_REQUEST", 'Unknown message type; send {"type": "ping"}.')


class NotFoundConsumer(PlatformConsumer):
    """The last route: an unknown path gets an error frame and closes with 4404 (not an HTTP 500)."""

    async def connect(self) -> None:
        await self.accept()
        await self.send_error("NOT_FOUND", "No WebSocket endpoint at this path.")
        await self.close(code=NOT_FOUND)
