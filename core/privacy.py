"""Personal data (issue #21, seed 000's "GDPR-compliant data handling"): one registry every app feeds.

``accounts`` is low in the import layers, so it cannot read bookings, orders or payments itself. Instead
each app registers, in its ``AppConfig.ready``, a :class:`Section` with up to three functions of the person:

* ``export(user) -> dict``: what the app holds about them, JSON-ready (``DjangoJSONEncoder`` types), in a
  fixed number of queries whatever their history's size;
* ``open_items(user) -> list[str]``: what still has to be settled before the account may go (open bookings,
  unfinished orders), each a short label such as ``"booking BK-20260101-0001 (confirmed)"``;
* ``anonymise(user)``: blank the contacts and free text the person wrote in the app's rows, in the caller's
  transaction, keeping amounts, dates and statuses (the books must still balance). With :func:`blank`, the
  same fields are erased from the audit log's entries about those rows too (a staff member's edit of the
  person's booking or profile recorded the values in its diff: ``core.audit.erase``).

Retention scans (:func:`register_retention`) purge what is past its age (OTPs, delivery payloads, payment webhooks'
payloads).

``accounts`` then builds the download and the deletion from :func:`export`, :func:`open_items` and
:func:`anonymise`, in the registration order (``INSTALLED_APPS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Person = Any  # accounts.User; typed loosely so that core imports no app

ANONYMISED_TEXT = ""  # free text the person wrote becomes empty
ANONYMISED_NAME = "Deleted user"


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Person], dict[str, Any]] | None = None
    open_items: Callable[[Person], list[str]] | None = None
    anonymise: Callable[[Person], None] | None = None


_sections: dict[str, Section] = {}
_retention: dict[str, Callable[[], int]] = {}


def register(
    name: str,
    *,
    export: Callable[[Person], dict[str, Any]] | None = None,
    open_items: Callable[[Person], list[str]] | None = None,
    anonymise: Callable[[Person], None] | None = None,
) -> None:
    """Register (or replace, so a second ``ready`` is harmless) an app's personal-data functions."""
    _sections[name] = Section(name=name, export=export, open_items=open_items, anonymise=anonymise)


def sections() -> list[Section]:
    return list(_sections.values())


def export(user: Person) -> dict[str, Any]:
    """Every registered app's data about the person, merged (each app's keys are its own)."""
    data: dict[str, Any] = {}
    for section in _sections.values():
        if section.export is not None:
            data.update(section.export(user))
    return data


def open_items(user: Person) -> list[str]:
    items: list[str] = []
    for section in _sections.values():
        if section.open_items is not None:
            items.extend(section.open_items(user))
    return items


def anonymise(user: Person) -> list[str]:
    """Run every app's anonymiser (the caller holds the transaction); the names of the sections that ran."""
    ran: list[str] = []
    for section in _sections.values():
        if section.anonymise is not None:
            section.anonymise(user)
            ran.append(section.name)
    return ran


def blank(rows: Any, **values: Any) -> int:
    """``rows.update(**values)`` (a queryset of one model) and, in the audit log's entries about those rows, the
    recorded values of the same fields erased (``core.audit.erase``); how many rows were updated."""
    from core import audit  # core.audit reads the models: imported when an account is deleted, not at start

    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return 0
    updated: int = rows.model._default_manager.filter(pk__in=ids).update(**values)
    audit.erase(resource_type=audit.resource_type_of(rows.model), resource_ids=ids, fields=values)
    return updated


def register_retention(name: str, scan: Callable[[], int]) -> None:
    """Register a retention scan: it removes or blanks what is past its age and returns how many rows it changed.

    Each scan must be idempotent under two concurrent runs (a plain ``DELETE`` or an ``UPDATE`` of the rows
    not yet blanked); ``core.tasks.purge_personal_data`` runs them all from beat.
    """
    _retention[name] = scan


def run_retention() -> dict[str, int]:
    return {name: scan() for name, scan in _retention.items()}
