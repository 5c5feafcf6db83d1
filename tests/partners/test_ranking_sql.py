"""The ranking as one PostgreSQL statement (``partners.ranking``) answers exactly as the ORM query of
``partners.matching`` does (the one SQLite runs): same partners, same order, same scores and parts; its category
array follows the categories table; its geographic index is usable."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Tier
from partners import matching, ranking
from partners.matching import REACH_CACHE_KEY, Job, candidates, job_for
from partners.models import Partner
from tests.factories import PartnerAssignmentFactory
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


def both(job: Job, **options) -> tuple[list, list]:
    """The statement's answer and the ORM query's, as (partner, score, parts) rows."""
    cache.delete(REACH_CACHE_KEY)
    statement = [(c.partner.pk, c.score, c.parts) for c in candidates(job, limit=50, **options)]
    real = matching.connection
    matching.connection = SimpleNamespace(vendor="sqlite")  # the ORM path, as on SQLite
    try:
        orm = [(c.partner.pk, c.score, c.parts) for c in candidates(job, limit=50, **options)]
    finally:
        matching.connection = real
    return statement, orm


def crowd() -> list:
    """Partners that differ in every term of the score and in every rule."""
    lat, lng = h.HOME
    made = []
    for i in range(12):
        at = (lat + Decimal(i) / 200, lng - Decimal(i) / 300)
        made.append(
            h.partner(
                at=at,
                categories=("FACIAL", "WAXING") if i % 4 else ("FACIAL",),
                tiers=(Tier.MINIMAL, Tier.EXCLUSIVE) if i % 3 else (Tier.MINIMAL,),
                radius=5 + i,
                rating=Decimal("4.00") + Decimal(i % 5) / 5 if i % 2 else Decimal("0"),
                rating_count=i if i % 2 else 0,
                acceptance_rate=Decimal(100 - 7 * i),
            )
        )
    made.append(h.partner(at=None, pincodes=[h.PINCODE]))  # no location: found by the pincode
    made.append(h.partner(at=None, pincodes=["700001"]))
    made.append(h.partner(rating=Decimal("3.50"), rating_count=3))  # below the minimum rating
    return made


def test_the_statement_ranks_exactly_as_the_orm_query():
    partners = crowd()
    booking = h.booking(start=h.next_weekday_at(10))
    later = h.booking(start=h.next_weekday_at(16))
    PartnerAssignmentFactory(accepted=True, partner=partners[1], booking=later)  # a job that day: load
    PartnerAssignmentFactory(accepted=True, partner=partners[3], booking=h.booking(start=h.next_weekday_at(10)))
    job = job_for(booking)

    statement, orm = both(job)
    cache.delete(REACH_CACHE_KEY)
    lean = [(c.partner.pk, c.score, c.parts) for c in candidates(job, limit=50, with_users=False, lean=True)]

    assert statement == orm
    assert lean == statement  # checkout's hold reads fewer columns, and ranks the same
    held = candidates(job, limit=1, with_users=False, lean=True)[0].partner  # made from the rows directly
    loaded = {field.attname for field in Partner._meta.concrete_fields} - held.get_deferred_fields()
    assert (loaded, held._state.adding, held._state.db) == (set(ranking._LEAN_COLUMNS), False, "default")
    assert held == Partner.objects.get(pk=held.pk)
    assert len(statement) >= 8
    assert partners[3].pk not in [row[0] for row in statement]  # busy then
    assert partners[12].pk in [row[0] for row in statement]  # by the pincode
    assert any(row[2]["jobs_that_day"] == 1 for row in statement)
    for options in (
        {"exclude_partner_ids": [partners[0].pk, str(partners[2].pk)]},
        {"only_partner_ids": [partners[5].pk]},
        {"only_partner_ids": []},
    ):
        statement, orm = both(job, **options)
        assert statement == orm, options
    two_services = Job(
        category_ids=frozenset({h.category("FACIAL").pk, h.category("WAXING").pk}),
        tiers=frozenset({Tier.MINIMAL, Tier.EXCLUSIVE}),
        start=job.start,
        end=job.end,
        lat=job.lat,
        lng=job.lng,
        pincode=job.pincode,
    )
    statement, orm = both(two_services)
    assert statement == orm
    assert 0 < len(statement) < len(both(job)[0])
    for place in ({"lat": None, "lng": None}, {"lat": None, "lng": None, "pincode": ""}):
        statement, orm = both(Job(**{**job.__dict__, **place}))
        assert statement == orm, place
        assert statement


def test_a_partner_whose_radius_goes_beyond_the_capped_reach_is_found_as_by_the_orm(settings):
    settings.PARTNER_MAX_SERVICE_RADIUS_KM = 5
    lat, lng = h.HOME
    corner = h.partner(at=(lat + Decimal("0.04"), lng + Decimal("0.043")), radius=20)  # about 6 km: a box corner
    job = job_for(h.booking())

    statement, orm = both(job)

    assert statement == orm
    assert [row[0] for row in statement] == [corner.pk]
    assert 5 < statement[0][2]["distance_km"] < 7


def category_ids(partner) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT category_ids FROM partners_partner WHERE id = %s", [partner.pk])
        return cursor.fetchone()[0]


def test_the_category_array_follows_the_categories_table():
    facial, waxing, hair = h.category("FACIAL"), h.category("WAXING"), h.category("HAIR")
    partner = h.partner(categories=("WAXING", "FACIAL"))
    assert category_ids(partner) == sorted([facial.pk, waxing.pk])
    partner.categories.add(hair)
    assert category_ids(partner) == sorted([facial.pk, waxing.pk, hair.pk])
    partner.categories.remove(facial)
    assert category_ids(partner) == sorted([waxing.pk, hair.pk])
    partner.categories.set([facial])
    assert category_ids(partner) == [facial.pk]
    partner.categories.clear()
    assert category_ids(partner) == []
    job = job_for(h.booking())
    assert partner.pk not in [c.partner.pk for c in candidates(job)]


def test_the_place_is_found_through_the_geographic_index():
    h.partner()
    job = job_for(h.booking())
    near = "partner_earth(p.current_lat, p.current_lng) <@ earth_box(ll_to_earth(%s, %s), %s)"
    with CaptureQueriesContext(connection) as queries:
        assert candidates(job, with_users=False)
    assert any("partner_earth(p.current_lat, p.current_lng) <@ earth_box(" in q["sql"] for q in queries)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small is read whole otherwise
        cursor.execute(f"EXPLAIN SELECT p.id FROM partners_partner p WHERE {near}", [job.lat, job.lng, 10000.0])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "partner_earth_gist" in plan


@pytest.mark.parametrize("steps", [(1,), (2, 3), (1, 2, 4)])
def test_the_nearest_first_ranking_never_misses_a_better_partner_farther_away(monkeypatch, steps):
    monkeypatch.setattr(ranking, "NEAREST_STEPS", steps)
    monkeypatch.setattr(ranking, "_partner_rows", lambda: 100_000.0)  # as in a city: the nearest first
    lat, lng = h.HOME
    poor = [
        h.partner(at=(lat + Decimal(i) / 1000, lng), rating=Decimal("4.00"), rating_count=9, acceptance_rate=40)
        for i in range(1, 4)
    ]
    star = h.partner(at=(lat + Decimal("0.05"), lng), radius=20, rating=Decimal("5.00"), rating_count=50)
    good = h.partner(at=(lat + Decimal("0.004"), lng), rating=Decimal("4.90"), rating_count=20)
    job = job_for(h.booking())

    for limit in (1, 2, 5):
        cache.delete(REACH_CACHE_KEY)
        statement, orm = both(job)
        assert statement == orm
        cache.delete(REACH_CACHE_KEY)
        first = [c.partner.pk for c in candidates(job, limit=limit)]
        assert first == [row[0] for row in orm[:limit]]
    assert [row[0] for row in orm[:2]] == [good.pk, star.pk]  # the star is farther than every poor partner
    assert {row[0] for row in orm} == {p.pk for p in [*poor, star, good]}


@pytest.mark.parametrize(("rows", "statements"), [(200.0, 1), (300.0, 2)])
def test_a_table_no_bigger_than_the_second_step_is_ranked_in_one_statement(monkeypatch, rows, statements):
    """Partners all as near (a step cannot prove that nobody farther wins): with at most the second step's
    partners in the whole table, one statement scores them all instead of the first step and then the next."""
    monkeypatch.setattr(ranking, "_partner_rows", lambda: rows)
    for _ in range(3):
        h.partner()  # unrated, at the same place: the first step's bound is never beaten
    monkeypatch.setattr(ranking, "NEAREST_STEPS", (2, 256, 2048))
    job = job_for(h.booking())
    cache.delete(REACH_CACHE_KEY)
    with CaptureQueriesContext(connection) as queries:
        chosen = candidates(job, limit=2, with_users=False)
    assert len(chosen) == 2
    assert sum("AS part_distance" in q["sql"] for q in queries) == statements


def copy_rows(model, template, source: str, params: list, *, where: str = "TRUE", **columns: str) -> None:
    """Rows copied from ``template``'s by PostgreSQL itself, one per row of ``source`` (a FROM item) that
    matches ``where``; the SQL expressions of ``columns`` replace those columns."""
    names = [field.column for field in model._meta.concrete_fields]
    values = ", ".join(columns.get(name, f't."{name}"') for name in names)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {values} FROM {table} t, {source}"
            f" WHERE t.id = %s AND {where}",
            [*params, template.pk],
        )


def test_the_ranking_reads_the_jobs_of_the_partners_found_not_every_job_ever_held():
    """Years of completed jobs: the load and the busy check probe each partner's own rows by index, where a
    scan of the whole table would grow with every job the platform has ever held."""
    from bookings.models import Booking
    from partners.models import PartnerAssignment

    partners = crowd()
    old = h.booking(start=h.next_weekday_at(10))
    done = PartnerAssignmentFactory(accepted=True, partner=partners[1], booking=old)
    PartnerAssignment.objects.filter(pk=done.pk).update(status="completed")
    history = 20_000
    shifted = "t.{} - n * interval '2 hours'"
    copy_rows(
        Booking, old, "generate_series(1, %s) n", [history],
        id="gen_random_uuid()", booking_number="'BK-OLD-' || n",
        scheduled_start=shifted.format("scheduled_start"), scheduled_end=shifted.format("scheduled_end"),
    )  # fmt: skip
    ids = f"ARRAY{[str(p.pk) for p in partners]}"
    copy_rows(
        PartnerAssignment, done, "bookings_booking b", [], where="b.booking_number LIKE 'BK-OLD-%%'",
        id="gen_random_uuid()", booking_id="b.id", busy_from="b.scheduled_start", busy_until="b.scheduled_end",
        partner_id=f"({ids}::uuid[])[1 + mod(abs(hashtext(b.id::text)), {len(partners)})]",  # spread over them
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_partnerassignment")
    assert PartnerAssignment.objects.filter(status="completed").count() > history
    job = job_for(h.booking(start=h.next_weekday_at(10)))

    with CaptureQueriesContext(connection) as queries:
        found = candidates(job, with_users=False)
    statement = next(q["sql"] for q in queries if "partner_earth" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {statement}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert found
    assert "Seq Scan on partners_partnerassignment" not in plan, plan
    statement, orm = both(job)
    assert statement == orm
