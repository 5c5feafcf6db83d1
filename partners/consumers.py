"""``ws/chat/{user_id}/{role}/?token=<access JWT>`` (issue #20, seed 002 "Chat WebSocket"): the assistant, live.

* Authentication as every consumer: ``?token=`` or ``Authorization: Bearer``; not signed in closes with
  **4401**. Rule C1 as over HTTP (``partners.assistant.asker_for``): another person's ``user_id`` or a role the
  person does not hold closes with **4403** (after a ``FORBIDDEN`` error frame); a role the assistant does not
  know closes with **4400** (as ``ws/status`` does).
* The client sends ``{"type": "chat_message", "message": "What are my pending jobs?"}`` and gets
  ``{"type": "chat_response", "data": {"message", "intent", "data", "timestamp"}}``: the same answer as
  ``POST /chat/query``. An empty message or an unknown type is an error frame and the socket stays open;
  ``{"type": "ping"}`` gets ``pong``.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from core.consumers import PlatformConsumer, _now
from core.errors import DomainError, ErrorCode
from partners import assistant

BAD_PATH = 4400
MAX_MESSAGE = 1000


class ChatConsumer(PlatformConsumer):
    asker: assistant.Asker | None = None

    async def connect(self) -> None:
        user = await self.accept_signed_in()
        if user is None:
            return
        kwargs = self.scope["url_route"]["kwargs"]
        try:
            self.asker = await database_sync_to_async(assistant.asker_for)(
                user, user_id=kwargs["user_id"], role=kwargs["role"]
            )
        except DomainError as error:
            if error.code == ErrorCode.FORBIDDEN:
                await self.refuse(error.message)
            else:
                await self.send_error(str(error.code), error.message)
                await self.close(code=BAD_PATH)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong", "timestamp": _now()})
            return
        if kind != "chat_message":
            await self.send_error("INVALID_REQUEST", 'Unknown message type; send "chat_message" or "ping".')
            return
        message = content.get("message")
        if not isinstance(message, str) or not message.strip() or len(message) > MAX_MESSAGE:
            await self.send_error("VALIDATION_ERROR", f"message must be text of 1 to {MAX_MESSAGE} characters.")
            return
        assert self.asker is not None  # set by connect, or the socket was closed
        reply = await database_sync_to_async(assistant.answer)(self.asker, message)
        await self.send_json(
            {
                "type": "chat_response",
                "data": {
                    "message": reply["response"],
                    "intent": reply["intent"],
                    "data": reply["data"],
                    "timestamp": _now(),
                },
            }
        )
