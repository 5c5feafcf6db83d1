"""orders' answers to societies' questions (``societies.hooks``), registered in ``OrdersConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from orders.models import RateCard


def vendors_with_rate_card(partner_ids: Iterable[Any], society_id: int) -> set[str]:
    rows = RateCard.objects.filter(partner_id__in=list(partner_ids), society_id=society_id, is_active=True)
    return {str(pk) for pk in rows.values_list("partner_id", flat=True)}
