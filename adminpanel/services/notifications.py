"""Staff notification jobs: a broadcast to a segment of people (accounts: roles, address pincodes) and
seed 002's jobs started on the worker (partners' bonus alerts, bookings' reminders). Audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import User
from accounts.roles import Role
from core import audit
from core.errors import DomainError, ErrorCode
from notifications.services.broadcast import broadcast as queue_broadcast


def segment_user_ids(segment: str) -> list[str]:
    from accounts.models import Address

    people = User.objects.filter(is_active=True)
    kind, _, value = segment.partition(":")
    if segment == "all_customers":
        people = people.filter(groups__name=Role.CUSTOMER)
    elif segment == "all_partners":
        people = people.filter(groups__name__in=[Role.PARTNER, Role.SPECIALIST])
    elif segment == "all_staff":
        people = people.filter(is_staff=True)
    elif kind == "role" and value in Role.values:
        people = people.filter(groups__name=value)
    elif kind == "pincode" and value.isdigit():
        people = people.filter(pk__in=Address.objects.filter(pincode=value).values("user_id"))
    else:
        raise DomainError(
            "Unknown segment. Use all_customers, all_partners, all_staff, role:<role> or pincode:<pincode>.",
            code=ErrorCode.VALIDATION_ERROR,
            field="segment",
            reason="unknown_segment",
        )
    return [str(pk) for pk in people.distinct().values_list("pk", flat=True)]


def broadcast(*, segment: str, title: str, message: str, actor: User) -> dict[str, Any]:
    user_ids = segment_user_ids(segment)
    with transaction.atomic():
        audit.record(
            action="broadcast",
            resource_type="notification",
            resource_id=segment,
            actor=actor,
            changes={"segment": segment, "title": title, "message": message, "recipients": len(user_ids)},
        )
        transaction.on_commit(lambda: queue_broadcast(user_ids, title=title, message=message))
    return {"segment": segment, "recipients": len(user_ids)}


# --- seed 002 notification actions ---------------------------------------------------------------

NOTIFICATION_ACTIONS = {
    "send_bonus_alerts": ("partners.tasks.send_bonus_alerts", "Bonus alerts"),
    "send_reminders": ("bookings.tasks.send_reminders", "Booking reminders"),
}


def notification_action(*, action: str, actor: User) -> dict[str, str]:
    """Start one of seed 002's notification jobs on the worker; answers the Celery task id."""
    task_name, label = NOTIFICATION_ACTIONS[action]
    task = import_string(task_name)
    task_id = str(uuid.uuid4())
    with transaction.atomic():
        audit.record(
            action=action,
            resource_type="notification",
            resource_id=task_id,
            actor=actor,
            changes={"task": task_name},
        )
        transaction.on_commit(lambda: task.apply_async(task_id=task_id))
    return {"task_id": task_id, "message": f"{label} task started. Task ID: {task_id}"}
