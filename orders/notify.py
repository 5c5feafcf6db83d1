"""Who hears about an order, and with what context: the order side of the notification catalogue.

Services call :func:`tell` inside the changing transaction (the inbox entry is written with it, pushes and
deliveries go out after commit). ``to`` names people by their part in the order: ``resident``, ``vendor``
or ``society_admins`` (every admin scoped to the order's society).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from accounts.models import User
from notifications.services import notify
from orders.models import Order
from societies.models import SocietyAdminScope


def when(value: Any) -> str:
    return timezone.localtime(value).strftime("%a %d %b, %I:%M %p")


def _people(order: Order, to: Iterable[str]) -> list[User]:
    people: dict[Any, User] = {}
    for part in to:
        if part == "resident":
            people[order.residence.user_id] = order.residence.user
        elif part == "vendor":
            people[order.partner.user_id] = order.partner.user
        elif part == "society_admins":
            for scope in SocietyAdminScope.objects.filter(society_id=order.society_id).select_related("user"):
                people[scope.user_id] = scope.user
        else:
            raise ValueError(f"Unknown part in an order: {part!r}")
    return list(people.values())


def tell(event_type: str, order: Order, *, to: Iterable[str], **context: Any) -> int:
    """Notify the people of ``to`` about ``order``; returns how many were told."""
    base = {
        "order_number": order.order_number,
        "vendor_name": order.partner.business_name,
        "resident_name": order.residence.user.full_name or "The resident",
        "when": when(order.pickup_datetime),
    }
    people = _people(order, to)
    for user in people:
        notify(
            event_type,
            user=user,
            context={**base, **context},
            data={"order_id": str(order.pk), "order_number": order.order_number, "action_url": f"/orders/{order.pk}"},
        )
    return len(people)
