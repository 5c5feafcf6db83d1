"""Celery beat's schedule (``CELERY_BEAT_SCHEDULE`` in base.py): every periodic task, each idempotent.

Waits of hours are periodic scans over due rows, never countdowns (DESIGN.md section 5a). Only one beat
sends: ``BEAT_SCHEDULER`` (``core.beat``) holds a Redis lock, and a second beat stands by; ``expires`` drops a
run that waited longer than its own period. tests/crash/test_periodic_twice.py runs every task here twice at
once over due work: a task added without a case there fails it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULER = "core.beat.SingleBeatScheduler"

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "core-beat-heartbeat": {
        "task": "core.tasks.beat_heartbeat",
        "schedule": timedelta(seconds=30),
        "options": {"expires": 25},
    },
    "core-purge-idempotency-keys": {
        "task": "core.tasks.purge_expired_idempotency_keys",
        "schedule": timedelta(hours=1),
    },
    # Personal data past its retention (OTP_, DELIVERY_, PAYMENT_WEBHOOK_RETENTION_DAYS): core.privacy's scans.
    "core-purge-personal-data": {
        "task": "core.tasks.purge_personal_data",
        "schedule": timedelta(hours=6),
        "options": {"expires": 3 * 3600},
    },
    "payments-reconcile-yesterday": {
        "task": "payments.tasks.reconcile_yesterday",
        "schedule": crontab(hour=3, minute=30),
    },
    "payments-retry-stuck-webhooks": {
        "task": "payments.tasks.sweep_unprocessed_webhooks",
        "schedule": timedelta(minutes=10),
    },
    # Online bookings whose payment never came are cancelled; captures that arrive after that are refunded.
    "bookings-expire-unpaid": {
        "task": "bookings.tasks.expire_unpaid_bookings",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # A captured payment always reaches its booking: payables that missed a change hear it again.
    "payments-sync-lagging-payables": {
        "task": "payments.tasks.sweep_lagging_payables",
        "schedule": timedelta(minutes=2),
        "options": {"expires": 110},
    },
    # Offers whose countdown was lost (worker restart) still expire, and bookings no one picked up are dispatched.
    "bookings-send-reminders": {
        "task": "bookings.tasks.send_reminders",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 280},
    },
    # Messages whose delivery task was lost (the broker down at commit, a worker gone) are queued again.
    "notifications-sweep-pending-deliveries": {
        "task": "notifications.tasks.sweep_pending_deliveries",
        "schedule": timedelta(minutes=2),
        "options": {"expires": 110},
    },
    "partners-sweep-dispatch": {
        "task": "partners.tasks.sweep_dispatch",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # Society orders (seed 001 6.4, 8): counts nobody answered in 2 hours are approved, payments marked 48 hours
    # ago with no open dispute close, and residents hear of a pickup 30 minutes before it.
    "orders-auto-approve-counts": {
        "task": "orders.tasks.auto_approve_counts",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 280},
    },
    "orders-auto-close": {
        "task": "orders.tasks.auto_close_orders",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3300},
    },
    "orders-pickup-reminders": {
        "task": "orders.tasks.send_pickup_reminders",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 280},
    },
    # Sign-off requests the customer never answered expire (seed 002 S8) and ops hear of them.
    "bookings-expire-signatures": {
        "task": "bookings.tasks.expire_signatures",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 280},
    },
    "bookings-close-resolved-disputes": {
        "task": "bookings.tasks.close_resolved_disputes",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3500},
    },
}
