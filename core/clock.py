"""Run code as if it were another moment: demo history is written through the services, in the past.

``seed_demo`` builds past activity (bookings completed weeks ago, their payments, reviews) by calling the same
services a request calls, with Django's clock set back (:func:`clock_at`): every ``timezone.now()`` (model
timestamps, the services' "is it in the future" checks, ledger dates) reads the chosen moment. Python's
``time`` and the database's ``now()`` run on, so this is for demo data and tests only, never for a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from django.utils import timezone


@contextmanager
def clock_at(moment: datetime) -> Iterator[datetime]:
    """Django's ``timezone.now()`` answers ``moment`` inside the block (and ``localdate`` follows)."""
    if timezone.is_naive(moment):
        raise ValueError("clock_at needs an aware datetime")
    with mock.patch.object(timezone, "now", return_value=moment):
        yield moment
