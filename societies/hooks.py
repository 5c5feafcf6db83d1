"""What societies asks of the apps above it (they import societies, never the reverse).

``orders`` owns rate cards; the society admin's pending-vendor list and decision answer
``has_rate_card`` by asking :func:`vendors_with_rate_card`, which ``orders`` fills in its
``AppConfig.ready()``. With no orders app installed the answer is "none".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

RateCardLookup = Callable[[Iterable[Any], int], set[str]]
_rate_cards: list[RateCardLookup] = []


def register_rate_card_lookup(lookup: RateCardLookup) -> None:
    _rate_cards[:] = [lookup]


def vendors_with_rate_card(partner_ids: Iterable[Any], society_id: int) -> set[str]:
    """The ids (as strings) of those vendors that have a rate card in the society (one query)."""
    return _rate_cards[0](partner_ids, society_id) if _rate_cards else set()
