"""Seed 002's bonus alerts: each partner is told their bonus points and tier (staff start it from the dashboard)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from notifications.services import notify
from partners.performance import bonus_standings


def send_bonus_alerts() -> int:
    """A ``bonus_alert`` notification to every active, verified partner with a completed job; returns how many."""
    standings = bonus_standings()
    people = get_user_model().objects.in_bulk([row["user_id"] for row in standings])
    sent = 0
    for row in standings:
        person = people.get(row["user_id"])
        if person is None or not person.is_active:
            continue
        with transaction.atomic():
            notify(
                "bonus_alert",
                user=person,
                context={"points": row["bonus_points"], "jobs": row["completed"], "tier": row["tier"]},
                data={"partner_id": str(row["partner_id"]), "bonus_points": row["bonus_points"], "tier": row["tier"]},
            )
        sent += 1
    return sent
