"""Notification writes, by use case.

* ``inbox``: ``notify`` (the inbox entry, the live push, a delivery per wanted channel), read marks;
* ``delivery``: one try of a delivery, its attempt log and retry delay, and ``send_logged``
  (``core.messaging``'s sender for one-time codes and staff alerts);
* ``preferences``: a person's channel choices and push devices;
* ``broadcast``: a staff broadcast in chunks.

Services queue tasks by name (``core.jobs``); ``notifications.tasks`` imports services, never
the reverse. The names below are the ones other apps and settings use (``notify``,
``MESSAGE_SENDER = "notifications.services.send_logged"``).
"""

from notifications.services.delivery import send_logged
from notifications.services.inbox import WS_EVENT, deliveries_queue, notification_payload, notify

__all__ = ["WS_EVENT", "deliveries_queue", "notification_payload", "notify", "send_logged"]
