"""What societies asks of the apps above it (they import societies, never the reverse).

``orders`` owns rate cards; the society admin's pending-vendor list and decision answer
``has_rate_card`` by asking :func:`vendors_with_rate_card`, and the vendors a resident can order from
are those :func:`live_vendor_ids` names (a published, active card in the society), both filled by
``orders`` in its ``AppConfig.ready()``. With no orders app installed the answer is "none".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

RateCardLookup = Callable[[Iterable[Any], int], set[str]]
LiveVendors = Callable[[int], Any]
_rate_cards: list[RateCardLookup] = []
_live: list[LiveVendors] = []


def register_rate_card_lookup(lookup: RateCardLookup, live: LiveVendors | None = None) -> None:
    _rate_cards[:] = [lookup]
    _live[:] = [live] if live is not None else []


def live_vendor_ids(society_id: int) -> Any:
    """The partner ids with a live card in the society, as a subquery (an empty list with no orders app)."""
    return _live[0](society_id) if _live else []


def vendors_with_rate_card(partner_ids: Iterable[Any], society_id: int) -> set[str]:
    """The ids (as strings) of those vendors that have a rate card in the society (one query)."""
    return _rate_cards[0](partner_ids, society_id) if _rate_cards else set()
