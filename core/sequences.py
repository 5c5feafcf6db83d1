"""Gapless human numbers: one counter row per name, incremented under its row lock.

On PostgreSQL it is one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``.
Concurrent callers take numbers one after the other (the counter row stays
locked until their transaction commits), so numbers are unique and gapless for
committed rows; a rolled-back caller gives its number back. Call it inside the
transaction that saves the numbered row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def number_row(instance: Any, *, field: str, counter: str, prefix: str, width: int, also: Iterable[str] = ()) -> str:
    """Write ``prefix`` and ``counter``'s next value (zero-padded to ``width`` digits, never cut) into
    ``instance``'s ``field`` and answer it: on PostgreSQL one statement (the counter's upsert feeding the
    ``UPDATE``), for a row saved under a provisional number earlier in the same transaction. The fields named in
    ``also`` are written from ``instance`` by the same ``UPDATE``."""
    model = type(instance)
    fields = [model._meta.get_field(name) for name in also]
    if connection.vendor != "postgresql":
        number = f"{prefix}{next_value(counter):0{width}d}"
        model._default_manager.filter(pk=instance.pk).update(
            **{field: number}, **{f.name: getattr(instance, f.attname) for f in fields}
        )
        return number
    quote = connection.ops.quote_name
    counters, table = quote(Sequence._meta.db_table), quote(model._meta.db_table)
    column, key = quote(model._meta.get_field(field).column), quote(model._meta.pk.column)
    others = "".join(f", {quote(f.column)} = %s" for f in fields)
    values = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH n AS (INSERT INTO {counters} (name, last) VALUES (%s, 1) "  # noqa: S608 - our names; values bound
            f"ON CONFLICT (name) DO UPDATE SET last = {counters}.last + 1 RETURNING last) "
            f"UPDATE {table} SET {column} = %s || lpad(n.last::text, greatest(%s, length(n.last::text)), '0'){others} "
            f"FROM n WHERE {table}.{key} = %s RETURNING {table}.{column}",
            [counter, prefix, width, *values, instance.pk],
        )
        (number,) = cursor.fetchone()
    return str(number)
