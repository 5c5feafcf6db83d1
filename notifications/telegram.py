"""The Telegram bot's side that knows no bookings (seed 004 "Telegram Bot Integration", notes TG1-TG4).

* Receiving: :func:`update_receive` stores an update by its ``update_id``; the
  insert runs in a savepoint and a repeat (Telegram retries, or the same
  update five times at once) meets the unique index, so it is acknowledged
  with no effect and queued only once.
* Processing: :func:`update_process` runs in the Celery task, answers each
  command through the handler registered for it (the bookings app registers
  ``/start``, ``/book`` and ``/mybookings``: notifications never imports
  bookings, as the payments registry works) and marks the update processed.
  The row is locked while it is processed and a processed row is skipped, so
  a retried task never answers twice. An update that is not a command (or an
  unknown command, or a kind other than ``message``/``callback_query``) is
  marked processed with no answer. A reply Telegram refuses for good (the
  person blocked the bot, an unknown chat) is logged and the update marked
  processed; a passing failure rolls back and the task tries again.
* Sending: :class:`BotApiTelegramBackend` calls ``Bot.send_message`` of
  python-telegram-bot (run synchronously with ``asyncio.run``); the console
  backend prints ``[telegram] chat=<id> text=...`` as the SMS console does; the
  local-memory one keeps :data:`telegram_outbox` for tests. Each takes an
  :class:`~notifications.backends.Outgoing` (``to`` = chat id, ``data["buttons"]``
  = ``[(text, url)]`` opened as a web app / link), so ``TELEGRAM_BACKEND`` may name
  one. :func:`telegram_backend` serves the ``telegram`` notification channel and the
  bot's replies: ``TELEGRAM_BACKEND`` when set, else the Bot API with a token, else
  the console (the channel itself is off then).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications.backends import DeliveryFailed, Outgoing
from notifications.models import TelegramUpdate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Command:
    """One bot command as the handlers see it: who sent it (Telegram user id), where to answer, its argument."""

    name: str
    telegram_id: str
    chat_id: str
    first_name: str = ""
    last_name: str = ""
    username: str = ""
    argument: str = ""


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)


Handler = Callable[[Command], Reply]
_handlers: dict[str, Handler] = {}


def register_command(name: str, handler: Handler) -> None:
    """``register_command("start", fn)``: ``fn(command) -> Reply`` answers ``/start``."""
    _handlers[name] = handler


def update_kind(payload: dict[str, Any]) -> str:
    return next((key for key in payload if key != "update_id"), "unknown")[:32]


def update_receive(*, payload: dict[str, Any]) -> TelegramUpdate | None:
    """The stored update, or None when this ``update_id`` was received before (no effect)."""
    try:
        with transaction.atomic():
            return TelegramUpdate.objects.create(
                update_id=int(payload["update_id"]), kind=update_kind(payload), payload=payload
            )
    except IntegrityError:
        return None


def command_of(payload: dict[str, Any]) -> Command | None:
    """A ``/command`` message (``/start@bot arg`` too) or a button's ``callback_query`` data, else None."""
    if "callback_query" in payload:
        query = payload["callback_query"]
        text, sender = str(query.get("data") or ""), query.get("from") or {}
        chat = (query.get("message") or {}).get("chat") or sender
    else:
        message = payload.get("message") or {}
        text, sender, chat = str(message.get("text") or ""), message.get("from") or {}, message.get("chat") or {}
    if not text.startswith("/") or not sender.get("id") or not chat.get("id"):
        return None
    head, _, argument = text[1:].partition(" ")
    return Command(
        name=head.split("@", 1)[0].lower(),
        telegram_id=str(sender["id"]),
        chat_id=str(chat["id"]),
        first_name=str(sender.get("first_name") or ""),
        last_name=str(sender.get("last_name") or ""),
        username=str(sender.get("username") or ""),
        argument=argument.strip(),
    )


def update_process(update_pk: int) -> bool:
    """Answers one stored update once; True when a reply was sent."""
    with transaction.atomic():
        update = TelegramUpdate.objects.select_for_update().filter(pk=update_pk, processed_at__isnull=True).first()
        if update is None:
            return False
        command = command_of(update.payload)
        handler = _handlers.get(command.name) if command else None
        reply = handler(command) if handler and command else None
        if reply is not None and command is not None:
            # Sent inside the lock: a failure rolls back, and the task's retry answers once.
            try:
                telegram_backend().send(Outgoing(to=command.chat_id, body=reply.text, data={"buttons": reply.buttons}))
            except DeliveryFailed as exc:
                if exc.retryable:
                    raise
                logger.warning("telegram reply refused", extra={"update_id": update.update_id, "error": str(exc)})
        update.processed_at = timezone.now()
        update.save(update_fields=["processed_at"])
    return reply is not None


# --- Sending ------------------------------------------------------------------------------------

_lock = threading.Lock()
telegram_outbox: list[Outgoing] = []


class ConsoleTelegramBackend:
    provider = "console"

    def send(self, message: Outgoing) -> str:
        buttons = message.data.get("buttons") or []
        with _lock:
            extra = f" buttons={[text for text, _ in buttons]!r}" if buttons else ""
            sys.stdout.write(f"[telegram] chat={message.to} text={message.body!r}{extra}\n")
            sys.stdout.flush()
        return "console-telegram"


class LocmemTelegramBackend:
    provider = "locmem"

    def send(self, message: Outgoing) -> str:
        with _lock:
            telegram_outbox.append(message)
            return f"locmem-telegram-{len(telegram_outbox)}"


class BotApiTelegramBackend:
    """``Bot.send_message`` of python-telegram-bot; buttons open the mini app (``web_app``) when https."""

    provider = "telegram"

    def send(self, message: Outgoing) -> str:
        from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
        from telegram.error import BadRequest, Forbidden, TelegramError

        buttons = [
            [InlineKeyboardButton(text, web_app=WebAppInfo(url))]
            if url.startswith("https://") and not url.startswith("https://t.me/")
            else [InlineKeyboardButton(text, url=url)]
            for text, url in message.data.get("buttons") or []
        ]
        markup = InlineKeyboardMarkup(buttons) if buttons else None

        async def send() -> str:
            async with Bot(settings.TELEGRAM_BOT_TOKEN) as bot:
                sent = await bot.send_message(chat_id=message.to, text=message.body, reply_markup=markup)
                return str(sent.message_id)

        try:
            return asyncio.run(send())
        except (BadRequest, Forbidden) as exc:  # a blocked bot or an unknown chat: trying again will not help
            raise DeliveryFailed(str(exc), retryable=False, provider=self.provider) from exc
        except TelegramError as exc:
            raise DeliveryFailed(str(exc), retryable=True, provider=self.provider) from exc


def telegram_backend() -> Any:
    """What sends on Telegram, notifications and the bot's replies alike: ``TELEGRAM_BACKEND`` when set, else
    the Bot API with a token, else the console (which only the bot's replies reach: without a token or a
    backend the notification channel is off, ``notifications.backends.channel_available``)."""
    if settings.TELEGRAM_BACKEND:
        return import_string(settings.TELEGRAM_BACKEND)()
    return BotApiTelegramBackend() if settings.TELEGRAM_BOT_TOKEN else ConsoleTelegramBackend()
