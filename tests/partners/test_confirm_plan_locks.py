"""A confirm whose best partners' rows are held by other confirms holds a free partner further down the plan
at once, on PostgreSQL with a real second transaction.

Concurrent confirms want the same best partners and each skips (``SKIP LOCKED``) the rows the others hold. A plan
of only five would be exhausted by five confirms in flight, and the sixth would wait for one of them to commit
(its number, its notices, everything) before trying anyone else: under load that wait was a fifth of a second
for about one confirm in four. Here six partners' rows are held by another transaction and a seventh, the
farthest, is free: the confirm holds the seventh without waiting, and finds it with one statement (``SKIP LOCKED``
in the plan's order) rather than one try per held partner.
"""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from partners.models import AssignmentStatus, Partner, PartnerAssignment
from partners.services import holds
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import confirm
from tests.partners.test_confirm_holds import book, booking_of, customer_with_address, prepare_with

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_confirm_holds_a_free_partner_past_the_rows_other_confirms_hold():
    lat, lng = h.NEAR
    near_first = [h.partner(at=(lat + Decimal(i) / 500, lng)) for i in range(7)]  # ranked by distance
    busy, free = near_first[:-1], near_first[-1]
    assert len(busy) > holds.BATCH
    user, address = customer_with_address()
    locked, done = threading.Event(), threading.Event()
    released_by: list[str] = []

    def other_confirms():
        try:
            with transaction.atomic():
                list(Partner.objects.select_for_update().filter(pk__in=[p.pk for p in busy]))
                locked.set()
                released_by.append("the confirm" if done.wait(timeout=15) else "the timeout")
        finally:
            connection.close()

    holder = threading.Thread(target=other_confirms)
    holder.start()
    try:
        assert locked.wait(timeout=30), "the other transaction never took the rows"
        with CaptureQueriesContext(connection) as queries:
            booking = booking_of(book(user, address)[1])
    finally:
        done.set()
        holder.join(timeout=30)

    assert released_by == ["the confirm"]  # it never waited for the other transaction
    tries = [q["sql"] for q in queries if "SKIP LOCKED" in q["sql"]]
    assert len(tries) == 1  # one statement found the free partner past the six held rows
    held = PartnerAssignment.objects.get(booking=booking)
    assert (held.partner_id, held.status) == (free.pk, AssignmentStatus.HELD)


def test_a_confirm_reads_only_what_the_hold_needs_of_its_partners():
    """The plan's partners come with the columns the hold reads (``lean``): a deferred one read later would be
    one more statement per confirm, which the count here would show."""
    for i in range(3):
        h.partner(at=(h.NEAR[0] + Decimal(i) / 500, h.NEAR[1]))
    user, address = customer_with_address()
    book(user, address)  # warm: the search reach, the statements' caches
    preview = prepare_with(user, address)

    with CaptureQueriesContext(connection) as queries:
        response = confirm(user, preview, address, "12:00 PM")

    assert PartnerAssignment.objects.get(booking=booking_of(response)).status == AssignmentStatus.HELD
    statements = [q["sql"] for q in queries if "token_blacklist" not in q["sql"]]  # the test client's token
    assert not [sql for sql in statements if 'FROM "partners_partner"' in sql], statements
    # the user; the idempotency key; the address; the plan; BEGIN; the booking, its services; the hold
    # (savepoint, lock, insert, the estimates' one read, release); the timeline with the hold's event (one
    # INSERT); the notice's reads (preferences and devices, one statement); the number; the notice (inbox,
    # delivery); COMMIT; the idempotency key's answer
    assert len(statements) == 19, statements
    # the day's number locks every confirm of that day until this one commits: only writes are made under it
    numbered = next(i for i, sql in enumerate(statements) if "core_sequence" in sql)
    answered = next(i for i, sql in enumerate(statements) if sql.startswith('UPDATE "core_idempotencykey"'))
    under_lock = statements[numbered + 1 : answered]
    assert [sql.split(" (")[0] for sql in under_lock] == [
        'INSERT INTO "notifications_notification"',
        'INSERT INTO "notifications_delivery"',
        "COMMIT",
    ], under_lock
    timeline = [sql for sql in statements if sql.startswith('INSERT INTO "bookings_bookingevent"')]
    assert len(timeline) == 1, timeline
    assert timeline[0].count("partner_held") == 1, timeline


def test_a_confirm_writes_its_statements_once_instead_of_compiling_them_each_time():
    """Issue #21: the ORM's compiler built each of the confirm's statements again on every confirm (an address
    read cost three times its ``SELECT`` written once; the booking's sixty-column ``INSERT`` more): a warm confirm
    now compiles none of its reads and writes (``core.rows``, the raw statements of the plan, hold and notice)."""
    from django.db.models.sql import compiler

    h.partner(at=h.NEAR)
    user, address = customer_with_address()
    book(user, address)  # warm: the search reach, the statements' caches
    preview = prepare_with(user, address)
    compiled: list[str] = []
    kinds = (compiler.SQLCompiler, compiler.SQLInsertCompiler, compiler.SQLUpdateCompiler, compiler.SQLDeleteCompiler)

    def counting(kind):
        original = kind.as_sql

        def as_sql(self, *args, **kwargs):
            compiled.append(self.query.model.__name__ if self.query.model else kind.__name__)
            return original(self, *args, **kwargs)

        return as_sql

    with contextlib.ExitStack() as patches:
        for kind in kinds:
            patches.enter_context(mock.patch.object(kind, "as_sql", counting(kind)))
        response = confirm(user, preview, address, "12:00 PM")

    assert PartnerAssignment.objects.get(booking=booking_of(response)).status == AssignmentStatus.HELD
    assert [name for name in compiled if name != "OutstandingToken"] == []  # but the test client's token
