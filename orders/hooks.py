"""orders' answers to societies' questions (``societies.hooks``), registered in ``OrdersConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from orders.models import RateCard


def vendors_with_rate_card(partner_ids: Iterable[Any], society_id: int) -> set[str]:
    rows = RateCard.objects.filter(partner_id__in=list(partner_ids), society_id=society_id, is_active=True)
    return {str(pk) for pk in rows.values_list("partner_id", flat=True)}


def live_vendor_ids(society_id: int) -> QuerySet[RateCard, Any]:
    """Partners with a published, active card in the society (a subquery for ``societies.hooks``)."""
    rows = RateCard.objects.filter(society_id=society_id, is_active=True, published_at__isnull=False)
    return rows.values_list("partner_id", flat=True)
