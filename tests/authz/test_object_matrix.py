"""Object-level authorization (issue #21): every /api/v1 route with an object id in its path, every method it
answers, called as the object's owner, another user of the same kind, anonymous, each staff role and a society
admin of another society. The expected answers are docs/object-permissions.md's table; a route without a row
fails, and so does a row whose route is gone.

``AUTHZ_RECORD=/tmp/draft.md pytest tests/authz/record_table.py`` writes the answers the code gives today as table
rows (for a new route: read them, fix what is wrong, paste the row).
"""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from tests.authz.bodies import body_for
from tests.authz.table import NO_OWNER, TABLE, Route, read_table, routes
from tests.authz.world import KINDS, STAFF, World

pytestmark = pytest.mark.django_db  # the test database is set up; each case still runs in its own savepoint

ROUTES = routes()
ROWS = read_table()


def _actor_user(owner: str, actor: str) -> str:
    if actor in ("own", "peer"):
        return KINDS[owner][0 if actor == "own" else 1]
    return actor


def _call(client: APIClient, method: str, url: str, body: dict) -> int:
    key = {"HTTP_X_IDEMPOTENCY_KEY": uuid.uuid4().hex}  # endpoints that take one need it; the others ignore it
    if method == "GET":
        return client.get(url, body).status_code
    if method == "DELETE":
        return client.delete(url, **key).status_code
    multipart = any(hasattr(value, "read") for value in body.values())
    send = getattr(client, method.lower())
    return send(url, body, format="multipart" if multipart else "json", **key).status_code


def observe(world: World, case, route: Route, method: str, owner: str) -> dict[str, int]:
    """The status each actor gets, each call in a savepoint rolled back after it."""
    kind = "" if owner == NO_OWNER else owner
    url = route.url({param: world.value(param, kind) for param in route.params})
    actors = [*(("own", "peer") if owner != NO_OWNER else ()), "anon", *STAFF, "society_admin"]
    answers = {}
    for actor in actors:
        client = world.client(_actor_user(owner, actor))
        answers[actor] = case(lambda: _call(client, method, url, body_for(world, route.path, method)))  # noqa: B023
    return answers


def test_every_route_and_method_has_one_row_and_every_row_a_route():
    found = {(path, method) for path, route in ROUTES.items() for method in route.methods}
    rows = [(row.route, row.method) for row in ROWS]
    twice = sorted({key for key in rows if rows.count(key) > 1})
    missing = sorted(found - set(rows))
    stale = sorted(set(rows) - found)
    assert not missing, f"routes without a row in {TABLE.name} (add them, see its top): {missing}"
    assert not stale, f"rows in {TABLE.name} for routes or methods that no longer exist: {stale}"
    assert not twice, f"routes with two rows in {TABLE.name}: {twice}"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.route}")
def test_each_actor_gets_the_tables_answer(row, world, case):
    route = ROUTES.get(row.route)
    if route is None or row.method not in route.methods:
        pytest.fail(f"{TABLE.name}:{row.line}: {row.method} {row.route} is not in the URL conf")
    answers = observe(world, case, route, row.method, row.owner)
    wrong = {who: f"{answers[who]} (table: {code})" for who, code in row.expected.items() if answers[who] != code}
    assert not wrong, f"{TABLE.name}:{row.line} {row.method} /{row.route}: {wrong}"


# Reads open to anyone (or anyone signed in) by design: nobody's private object.
PUBLIC_READS = {
    "api/v1/services/<uuid:service_id>": "the public catalog",
    "api/v1/clinicians/<uuid:clinician_id>": "public clinician profiles (seed 003)",
    "api/v1/clinicians/<uuid:clinician_id>/availability": "a clinician's public weekly rules (seed 003)",
    "api/v1/societies/<int:society_id>/hierarchy": "the tree a person picks their flat from when registering",
    "api/v1/societies/<int:society_id>/units": "the units a person picks from when registering",
    "api/v1/vendors/<uuid:vendor_id>/rate-cards/<int:society_id>": "a published card (a draft is its vendor's)",
}


def test_no_stranger_gets_a_2xx_on_another_persons_object():
    """Read from the table: another user of the owner's kind and anonymous never succeed, but on public reads."""
    leaks = [
        f"{row.method} {row.route}: {actor} {row.expected[actor]}"
        for row in ROWS
        for actor in ("peer", "anon")
        if actor in row.expected and 200 <= row.expected[actor] < 300
        if not (row.method == "GET" and row.route in PUBLIC_READS)
    ]
    assert not leaks


def guess_owner(path: str) -> str:
    """A first guess at a new route's owner kind (the table's column says; correct it there)."""
    for prefix, kind in GUESSES:
        if path.startswith("api/v1/" + prefix):
            return kind
    return NO_OWNER


GUESSES = [
    ("users/", "customer"),
    ("bookings/<uuid:booking_id>/confirm", "specialist"),
    ("bookings/<uuid:booking_id>/complete", "specialist"),
    ("bookings/<uuid:booking_id>/request_signature", "partner"),
    ("bookings/<uuid:booking_id>/photos", "partner"),
    ("bookings/", "customer"),
    ("payments/", "customer"),
    ("photos/", "partner"),
    ("signatures/", "customer"),
    ("disputes/", "customer"),
    ("reviews/", "customer"),
    ("notifications/", "customer"),
    ("partner/", "partner"),
    ("vendor-applications/", "vendor"),
    ("onboarding/vendor/", "vendor"),
    ("vendors/", "vendor"),
    ("admin/partners/", "partner"),
    ("admin/payouts/", "partner"),
    ("admin/earnings/", "partner"),
    ("admin/bookings/", "customer"),
    ("admin/users/", "customer"),
    ("admin/contact-submissions/", "customer"),
    ("admin/society/", "society_admin"),
    ("admin/platform/vendors/", "vendor"),
    ("internal/bookings/", "customer"),
    ("clinicians/", "clinician"),
    ("appointments/", "clinician"),
    ("booking/", "patient"),
    ("patient/", "patient"),
    ("patients/", "clinician"),
    ("video/", "specialist"),
    ("specialists/", "specialist"),
    ("residents/", "resident"),
    ("societies/<int:society_id>/vendors", "resident"),
    ("societies/", "society_admin"),
    ("orders/<uuid:order_id>/update-count", "vendor"),
    ("orders/<uuid:order_id>/mark-payment-received", "vendor"),
    ("orders/<uuid:order_id>/workflow/", "vendor"),
    ("orders/", "resident"),
    ("society-admin/", "society_admin"),
    ("advanced-dispute-resolution/", "customer"),
]
