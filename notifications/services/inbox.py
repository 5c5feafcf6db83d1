"""Notifying people: the inbox entry, the live push, and a delivery per channel they want.

``notify`` is called by domain services inside their transaction. It writes
the inbox entry; after commit it sends ``notification:new`` to the person's
WebSocket group (``ws/notifications/{user_id}/``) and queues one delivery task
per channel the person has not switched off (catalogue defaults, then their
choice for the event's category, then their choice for the event) and that
can be sent on (a chosen channel with no backend yet, Telegram today, is kept
and used once it has one). A rolled-back change notifies nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from core.events import send_event, user_group
from core.jobs import enqueue
from core.rows import insert_row, insert_rows
from core.types import Id
from notifications import catalogue
from notifications.backends import channel_available
from notifications.models import (
    DELIVERY_CHANNELS,
    Channel,
    Delivery,
    DeviceToken,
    Notification,
    NotificationPreference,
)

WS_EVENT = "notification:new"
DELIVER_TASK = "notifications.tasks.deliver"
DELIVER_MANY_TASK = "notifications.tasks.deliver_many"
DELIVER_BATCH = 20  # deliveries in one deliver_many message at most (the sweep's 500 spread over the pool)

logger = logging.getLogger(__name__)


def enabled_channels(user: User, event_type: str) -> list[str]:
    """The catalogue's channels for the event, changed by this person's choices for its category, then for it."""
    spec = catalogue.event(event_type)
    rows = NotificationPreference.objects.filter(user=user, event_type__in=[event_type, spec.category])
    return _wanted(spec, event_type, rows.values_list("event_type", "channel", "enabled"))


def _wanted(spec: catalogue.EventType, event_type: str, choices: Iterable[tuple[str, str, bool]]) -> list[str]:
    """The event's channels after the person's ``choices`` ((event type or category, channel, enabled) rows)."""
    wanted = set(spec.channels)
    chosen = {(key, channel): bool(enabled) for key, channel, enabled in choices}
    for channel in DELIVERY_CHANNELS:
        for key in (spec.category, event_type):  # the event's own choice is applied last, so it wins
            if (key, channel) in chosen:
                (wanted.add if chosen[key, channel] else wanted.discard)(channel)
    return [c for c in DELIVERY_CHANNELS if c in wanted]


def _destinations(user: User, channel: str, devices: list[str]) -> list[str]:
    if not channel_available(channel):
        return []
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return [user.phone] if user.phone else []
    if channel == Channel.EMAIL:
        return [user.email] if user.email else []
    if channel == Channel.PUSH:
        return devices
    if channel == Channel.TELEGRAM:  # set only by a verified Telegram sign-in (accounts.services.social)
        return [user.telegram_id] if user.telegram_id else []
    return []


def notification_payload(notification: Notification) -> dict[str, Any]:
    return {
        "id": str(notification.pk),
        "type": notification.event_type,
        "title": notification.title,
        "message": notification.message,
        "data": notification.data,
        "is_read": notification.is_read,
        "created_at": notification.created_at.isoformat(),
    }


# The person's choices for an event and its category, and their active devices' tokens (oldest first), in one
# statement: every notice reads both (checkout confirm on every booking), and the ORM spent about 0.6 ms of CPU
# building the two queries against about 0.1 ms for this one (issue #21).
_CHOICES, _DEVICES = NotificationPreference._meta.db_table, DeviceToken._meta.db_table
_CHOICES_AND_DEVICES = (
    f"SELECT 0, event_type, channel, enabled, NULL, NULL FROM {_CHOICES} WHERE user_id = %s AND event_type IN (%s, %s)"  # noqa: S608 - our table names; every value is a parameter
    f" UNION ALL SELECT 1, NULL, NULL, NULL, token, created_at FROM {_DEVICES} WHERE user_id = %s AND is_active"
    " ORDER BY 1, 6"
)


def recipients(user: User, event_type: str) -> list[tuple[str, str]]:
    """Where ``event_type`` goes for ``user``: (channel, destination) pairs (the reads ``notify`` makes first)."""
    spec = catalogue.event(event_type)
    person = User._meta.pk.get_db_prep_value(user.pk, connection)  # a UUID as the database keeps it (SQLite: text)
    with connection.cursor() as cursor:
        cursor.execute(_CHOICES_AND_DEVICES, [person, event_type, spec.category, person])
        rows = cursor.fetchall()
    choices = [(key, channel, enabled) for kind, key, channel, enabled, _, _ in rows if kind == 0]
    devices = [token for kind, _, _, _, token, _ in rows if kind == 1]
    return [
        (channel, to) for channel in _wanted(spec, event_type, choices) for to in _destinations(user, channel, devices)
    ]


def notify(
    event_type: str,
    *,
    user: User,
    context: dict[str, Any],
    data: dict[str, Any] | None = None,
    to: list[tuple[str, str]] | None = None,
) -> Notification:
    """Inbox entry now; live push and deliveries after commit. ``to``: :func:`recipients`, read earlier by a
    caller that keeps a contended lock from here to its commit (checkout's day number), so that only writes
    remain under it."""
    spec = catalogue.event(event_type)
    title, message = spec.render(context)
    notification = Notification(user=user, event_type=event_type, title=title, message=message, data=data or {})
    insert_row(notification)  # Notification.objects.create(), its statement written once (core.rows)
    deliveries = [
        Delivery(
            notification=notification,
            user=user,
            event_type=event_type,
            channel=channel,
            destination=destination,
            subject=title,
            body=message,
        )
        for channel, destination in (recipients(user, event_type) if to is None else to)
    ]
    payload = notification_payload(notification)
    transaction.on_commit(lambda: _push_live(user, payload))
    deliveries_queue(deliveries)
    return notification


def _push_live(user: User, payload: dict[str, Any]) -> None:
    """The live push after commit; a channel layer that is down is logged (the inbox has the entry)."""
    try:
        send_event(user_group(user.pk), WS_EVENT, payload)
    except Exception:  # the change is committed: never a 500 for it, and the callbacks after this one still run
        logger.exception("could not push notification %s live", payload["id"])


def queue_quietly(delivery_ids: list[str]) -> int:
    """Hand the deliveries to the worker; returns how many were queued.

    One message for up to :data:`DELIVER_BATCH` of them (a notification's channels, a chunk of the sweep's):
    ``notifications.tasks.deliver_many`` gives each its first try and hands one that must be retried to its
    own ``deliver`` task; a lone delivery goes to ``deliver`` directly (issue #21: one message per delivery was
    half of the worker's backlog under load). A broker that cannot be reached is logged and the rest are left
    pending: ``notifications.tasks.sweep_pending_deliveries`` queues them again, so a committed change is never
    answered with an error because of its messages.
    """
    for queued in range(0, len(delivery_ids), DELIVER_BATCH):
        chunk = delivery_ids[queued : queued + DELIVER_BATCH]
        try:
            if len(chunk) == 1:
                enqueue(DELIVER_TASK, chunk[0])
            else:
                enqueue(DELIVER_MANY_TASK, chunk)
        except Exception:  # the broker is down: the sweep queues these later
            logger.exception(
                "could not queue delivery %s (and %d more): left to the sweep",
                chunk[0],
                len(delivery_ids) - queued - 1,
            )
            return queued
    return len(delivery_ids)


def deliveries_queue(deliveries: list[Delivery]) -> list[Delivery]:
    """Save ``deliveries``; the delivery task gets each once the current transaction commits.

    Queueing never fails the committed change: a delivery that could not be
    queued stays pending and the sweep queues it (:func:`queue_quietly`).
    """
    insert_rows(deliveries)  # bulk_create(); a notification's one delivery by a statement written once
    ids = [str(d.pk) for d in deliveries]
    if ids:
        transaction.on_commit(lambda: queue_quietly(ids))
    return deliveries


def mark_read(*, user: User, notification_id: Id) -> Notification | None:
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is not None and not notification.is_read:
        notification.is_read, notification.read_at = True, timezone.now()
        notification.save(update_fields=["is_read", "read_at", "updated_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, is_read=False).update(
        is_read=True, read_at=timezone.now(), updated_at=timezone.now()
    )
