"""The pickup reminder of a society order (seed 001 6.1's ``reminder_scheduled``: pickup - 30 minutes).

A periodic scan (``orders.tasks.send_pickup_reminders``, every 5 minutes; never a countdown) reminds the
resident and the vendor (``society_order_pickup_reminder``) of each order that is

* still PICKUP_SCHEDULED (a cancelled order, or one whose pickup already started, gets none),
* due within the next 30 minutes: ``pickup - 30 min <= now < pickup`` (a pickup already past gets none,
  even if the scan was down when it was due: a late "pickup in 30 minutes" would mislead),
* not reminded yet (``pickup_reminder_sent_at`` is null).

Exactly once per order: the rows are locked with ``SKIP LOCKED`` and ``pickup_reminder_sent_at`` is set in
the same transaction as the notifications, so a second run, or two runs at once, remind nobody again.
PostgreSQL re-evaluates the filter on a row another run changed while this one waited, so a row it locks
is still due and unreminded. Because the scan runs every 5 minutes, the reminder comes 25-30 minutes
before the pickup.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from orders import notify
from orders.models import Order, OrderStatus

REMINDER_BEFORE = timedelta(minutes=30)
BATCH = 200


def send_pickup_reminders(*, now: datetime | None = None) -> int:
    """Remind the resident and vendor of every order whose pickup is due within 30 minutes; returns how many."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                Order.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("residence__user", "partner__user")
                .filter(
                    status=OrderStatus.PICKUP_SCHEDULED,
                    pickup_reminder_sent_at__isnull=True,
                    pickup_datetime__gt=now,
                    pickup_datetime__lte=now + REMINDER_BEFORE,
                )
                .order_by("pickup_datetime", "pk")[:BATCH]
            )
            if not due:
                return sent
            Order.objects.filter(pk__in=[order.pk for order in due]).update(
                pickup_reminder_sent_at=now, updated_at=timezone.now()
            )
            for order in due:
                notify.tell("society_order_pickup_reminder", order, to=["resident", "vendor"])
            sent += len(due)
