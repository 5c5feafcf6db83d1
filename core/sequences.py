"""Gapless human numbers: one counter row per name, incremented under its row lock.

On PostgreSQL it is one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``.
Concurrent callers take numbers one after the other (the counter row stays
locked until their transaction commits), so numbers are unique and gapless for
committed rows; a rolled-back caller gives its number back. Call it inside the
transaction that saves the numbered row.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F

from core.models import Sequence


def next_value(name: str) -> int:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Sequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (name, last) VALUES (%s, 1) "  # noqa: S608 - our table name; values are bound
                f"ON CONFLICT (name) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                [name],
            )
            (last,) = cursor.fetchone()
        return last
    with transaction.atomic():  # SQLite (the embedded default) serialises writers anyway
        if not Sequence.objects.filter(name=name).update(last=F("last") + 1):
            Sequence.objects.create(name=name, last=1)
        return Sequence.objects.values_list("last", flat=True).get(name=name)
