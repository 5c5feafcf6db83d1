"""Mass assignment (issue #21): on every write endpoint under /api/v1 (POST, PUT, PATCH, from the URL conf), the
fields a caller must not set (status, is_verified, role, partner, user, prices and amounts, commission,
is_staff/is_superuser, society) are ignored or refused.

Two checks. The schema: a write endpoint whose request schema takes such a field must say why the caller may
(tests/authz/settable.py). The behaviour: each endpoint is called twice by the person who would call it (the
owner of the route's object, by docs/object-permissions.md), once with its valid body (tests/authz/bodies.py) and
once with the same body plus every forbidden field it does not legitimately take, each call in a savepoint rolled
back after it. After each call the protected columns of the world's rows are read (owners, statuses, prices,
roles, verification flags...). The second call must leave them as the first did (the fields were ignored), or be
refused with the error envelope and leave them as they were. An endpoint whose valid call does not succeed is
listed in UNREACHED (its body is missing or the world's object is not in a state that allows it), so a new write
endpoint fails until it gets a valid body here or a line there.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.test import APIClient

from accounts.models import Address, User
from bookings.models import Booking, Dispute, DisputeMessage, Review
from catalog.models import Service
from notifications.models import Notification
from orders.models import Order, OrderRating, RateCardItem
from partners.models import Partner, PartnerApplication, PartnerAssignment, PartnerEarning, PartnerPayout
from payments.models import Payment, Refund
from societies.models import Residence, VendorAccess
from tests.accounts.helpers import assert_error
from tests.authz.bodies import BODIES, body_for
from tests.authz.bodies_auth import providers
from tests.authz.bodies_state import PREPARE, WHO
from tests.authz.settable import FORBIDDEN_NAME, SETTABLE
from tests.authz.table import NO_OWNER, PARAM, WRITES, read_table, routes
from tests.authz.unreached import UNREACHED
from tests.authz.world import KINDS, World

pytestmark = pytest.mark.django_db

WRITE_ROUTES = routes(with_id=False)
OPS = sorted((method, path) for path, route in WRITE_ROUTES.items() for method in route.methods if method in WRITES)
OWNERS = {(row.route, row.method): row.owner for row in read_table()}

# Who calls a write: staff for the staff actions; else the owner of the route's object (the table's owner
# column); else the first prefix of CALLERS that matches; else a customer.
STAFF_ACTIONS = [
    ("admin", "SA"),
    ("disputes/<uuid:dispute_id>/resolve", "AD"),
    ("disputes/<uuid:dispute_id>/assign", "AD"),
    ("disputes/<uuid:dispute_id>/escalate", "AD"),
    ("disputes/<uuid:dispute_id>/close", "AD"),
    ("payments/<uuid:payment_id>/", "FI"),
    ("internal/", "SA"),
]
CALLERS = [
    ("society-admin/", "sa1"),
    ("partner/", "p1"),
    ("photos", "p1"),
    ("specialists/", "sp1"),
    ("vendor-availability", "v1"),
    ("onboarding/vendor/register", "c2"),  # someone who is no vendor yet
    ("onboarding/vendor/", "v1"),
    ("vendors/", "v1"),
    ("orders", "r1"),
    ("onboarding/resident/", "c2"),  # someone who lives nowhere yet
    ("appointments", "AD"),
    ("clinicians", "AD"),
    ("centres", "AD"),
    ("patients", "AD"),
    ("booking/front-desk", "FD"),
    ("payments/cash", "FI"),
    ("payments/refund", "FI"),
    ("payments/links", "FD"),
    ("payments/create-link", "FD"),
    ("video/", "AD"),
    ("notifications/appointment-", "AD"),
]

# The columns a caller must not move by naming them, per model (reading every row of the small world).
PROTECTED: list[tuple[Any, tuple[str, ...]]] = [
    (User, ("id", "is_staff", "is_superuser", "is_active", "is_phone_verified", "is_email_verified")),
    (User.groups.through, ("user_id", "group_id")),
    (Address, ("id", "user_id")),
    (Booking, ("id", "user_id", "status", "payment_status", "total_price", "tax", "grand_total", "discount")),
    (Review, ("booking_id", "customer_id", "partner_id", "is_hidden")),
    (Dispute, ("booking_id", "customer_id", "status", "resolution_amount")),
    (DisputeMessage, ("dispute_id", "sender_id")),
    (Payment, ("payable_id", "user_id", "amount", "status", "amount_refunded")),
    (Partner, ("id", "user_id", "onboarding_status", "bank_verified", "is_active", "consultation_fee")),
    (PartnerAssignment, ("booking_id", "partner_id", "status", "partner_earning", "commission_percentage")),
    (PartnerEarning, ("booking_id", "partner_id", "partner_earning", "platform_commission", "status")),
    (PartnerApplication, ("partner_id", "status")),
    (PartnerPayout, ("partner_id", "status", "total_amount", "net_amount")),
    (Refund, ("payment_id", "amount", "status")),
    (Service, ("service_key", "partner_id", "product_cost", "market_price")),
    (Order, ("id", "partner_id", "residence_id", "society_id", "status", "estimated_price", "final_price")),
    (OrderRating, ("order_id", "user_id", "partner_id")),
    (RateCardItem, ("rate_card_id", "price_per_piece")),
    (Residence, ("user_id", "society_id", "verification_status")),
    (VendorAccess, ("partner_id", "society_id", "approval_status")),
    (Notification, ("user_id",)),
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {model._meta.label: list(model.objects.values_list(*fields)) for model, fields in PROTECTED}


def known_ids(rows: dict[str, list[tuple[Any, ...]]]) -> dict[tuple[str, int], set[Any]]:
    """The ids each column holds before the call, column by column (sequences are not rolled back)."""
    known: dict[tuple[str, int], set[Any]] = {}
    for label, table in rows.items():
        for row in table:
            for i, value in enumerate(row):
                known.setdefault((label, i), set()).add(value)
    return known


def _uuid_text(v: Any) -> bool:
    try:
        return isinstance(v, str) and uuid.UUID(v).hex == v.replace("-", "").lower()
    except ValueError:
        return False


def normal(rows: dict[str, list[tuple[Any, ...]]], known: dict[tuple[str, int], set[Any]]) -> dict[str, list[str]]:
    """The rows, sorted, with the ids of rows made by the call written "new" (two calls make different ids); an
    id kept as text (a payment's ``payable_id``) counts too."""

    def value(label: str, i: int, v: Any) -> Any:
        is_id = isinstance(v, uuid.UUID) or (isinstance(v, int) and not isinstance(v, bool)) or _uuid_text(v)
        return "new" if is_id and v not in known.get((label, i), ()) else v

    return {
        label: sorted(repr(tuple(value(label, i, v) for i, v in enumerate(row))) for row in table)
        for label, table in rows.items()
    }


def extras(world: World) -> dict[str, Any]:
    """The fields nobody may set on their own behalf, each with a value that would matter if it were taken."""
    other_partner = str(Partner.objects.get(user=world.users["p2"]).pk)
    other_user = str(world.users["c2"].pk)
    society = world.ids[("s2", "")]
    money = "1.00"
    return {
        "status": "completed",
        "payment_status": "paid",
        "onboarding_status": "verified",
        "verification_status": "VERIFIED",
        "approval_status": "APPROVED",
        "is_verified": True,
        "role": "super_admin",
        "roles": ["super_admin"],
        "is_staff": True,
        "is_superuser": True,
        "partner": other_partner,
        "partner_id": other_partner,
        "user": other_user,
        "user_id": other_user,
        "customer": other_user,
        "customer_id": other_user,
        "society": society,
        "society_id": society,
        "price": money,
        "amount": money,
        "total": money,
        "total_price": money,
        "grand_total": money,
        "final_price": money,
        "partner_earning": money,
        "commission": "0",
        "commission_percentage": "0",
        "platform_commission": "0",
    }


def caller(path: str, method: str) -> str:
    if (path, method) in WHO:
        return WHO[(path, method)]
    tail = path.removeprefix("api/v1/")
    staff = next((who for prefix, who in STAFF_ACTIONS if tail.startswith(prefix)), None)
    owner = OWNERS.get((path, method))
    if staff is None and owner is not None and owner != NO_OWNER:
        return KINDS[owner][0]
    return staff or next((who for prefix, who in CALLERS if tail.startswith(prefix)), "AD" if owner else "c1")


def url_of(world: World, path: str, method: str, given: dict[str, Any] | None = None) -> str:
    """The route's URL on the world's objects (``given``: ids a prepare hook made, by path parameter)."""
    owner = OWNERS.get((path, method), NO_OWNER)
    kind = "" if owner == NO_OWNER else owner
    values = {m.group("name"): world.value(m.group("name"), kind) for m in PARAM.finditer(path)}
    return WRITE_ROUTES[path].url({**values, **(given or {})})


def send(world: World, who: str, method: str, url: str, body: dict[str, Any]):
    """A body's ``HTTP_*`` keys are headers; its ``HTTP_AUTHORIZATION`` replaces the caller's own token."""
    headers = {name: body.pop(name) for name in list(body) if name.startswith("HTTP_")}
    client = APIClient() if "HTTP_AUTHORIZATION" in headers else world.client(who)
    multipart = any(hasattr(value, "read") for value in body.values())
    return getattr(client, method.lower())(
        url, body, format="multipart" if multipart else "json", HTTP_X_IDEMPOTENCY_KEY=uuid.uuid4().hex, **headers
    )


@pytest.fixture(autouse=True)
def _outside_services(settings):
    """The internal API's token, the Telegram bot, Google and Facebook sign-in on (their HTTP calls faked)."""
    with providers(settings):
        yield


def schema_path(path: str) -> str:
    return "/" + PARAM.sub(lambda m: "{" + m.group("name") + "}", path)


def _schema() -> dict[str, Any]:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def _fields(schema: dict[str, Any], node: dict[str, Any]) -> set[str]:
    if "$ref" in node:
        return _fields(schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]])
    found = set(node.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in node.get(key, []):
            found |= _fields(schema, part)
    return found


def test_every_write_endpoint_takes_only_fields_it_may():
    schema = _schema()
    missing, unjustified = [], []
    for method, path in OPS:
        operation = schema["paths"].get(schema_path(path), {}).get(method.lower())
        if operation is None:
            missing.append(f"{method} /{path}")
            continue
        content = operation.get("requestBody", {}).get("content", {})
        fields = set().union(*(_fields(schema, media.get("schema", {})) for media in content.values()))
        allowed = SETTABLE.get((method, schema_path(path)), {})
        unjustified += [
            f"{method} /{path}: {name}" for name in sorted(fields) if FORBIDDEN_NAME.match(name) and name not in allowed
        ]
    stale = sorted(set(SETTABLE) - {(method, schema_path(path)) for method, path in OPS})
    assert not missing, f"write endpoints missing from the OpenAPI schema: {missing}"
    assert not unjustified, f"forbidden-looking fields taken without a reason in tests/authz/settable.py: {unjustified}"
    assert not stale, f"settable.py names endpoints that are gone: {stale}"


def test_bodies_and_unreached_name_existing_endpoints():
    known = {(path, method) for method, path in OPS}
    assert not {key for key in BODIES if key[1] in WRITES} - known
    assert not UNREACHED - known


@pytest.mark.parametrize(("method", "path"), OPS, ids=lambda value: value)
def test_forbidden_fields_are_ignored_or_refused(method, path, world, case):
    who = caller(path, method)
    taken = set(SETTABLE.get((method, schema_path(path)), {}))
    prepare = PREPARE.get((path, method), lambda w: None)  # the state the action needs, in each case's savepoint

    def call(forbidden: bool):
        url = url_of(world, path, method, prepare(world))
        body = body_for(world, path, method)
        if forbidden:
            body.update({k: v for k, v in extras(world).items() if k not in taken and k not in body})
        return send(world, who, method, url, body), snapshot()

    known = known_ids(case(snapshot))
    before = normal(case(lambda: (prepare(world), snapshot())[1]), known)
    plain, after_plain = case(lambda: call(False))
    loaded, after_loaded = case(lambda: call(True))
    after_plain, after_loaded = normal(after_plain, known), normal(after_loaded, known)

    reached = 200 <= plain.status_code < 300
    if (path, method) in UNREACHED:
        assert not reached, f"{method} /{path} succeeds now ({plain.status_code}): drop it from UNREACHED"
    else:
        assert reached, (
            f"{method} /{path} as {who}: the valid call answers {plain.status_code} {plain.content[:300]!r}; "
            "add a valid body to tests/authz/bodies.py or list the endpoint in tests/authz/unreached.py"
        )
    if 200 <= loaded.status_code < 300:
        changed = {k: v for k, v in after_loaded.items() if after_plain[k] != v}
        assert not changed, f"{method} /{path} as {who} took a forbidden field: {sorted(changed)}"
    else:
        assert_error(loaded, loaded.status_code, loaded.json()["error"]["code"])
        changed = {k: v for k, v in after_loaded.items() if before[k] != v}
        assert not changed, f"{method} /{path} as {who} refused the call but wrote: {sorted(changed)}"


# Fields an endpoint does take (settable.py) but only with the caller's own value: another value is refused.
OWN_VALUES = {
    "payments/create-order amount": ("c1", "payments/create-order", "POST", {"amount": "1.00"}, 422, "amount"),
    "payments/orders amount": ("c1", "payments/orders", "POST", {"amount": "1.00"}, 422, "amount"),
    "chat/query user_id": ("c1", "chat/query", "POST", {"user_id": "c2"}, 403, "user_id"),
    "chat/query role": ("c1", "chat/query", "POST", {"role": "super_admin"}, 403, "role"),
    "onboarding/resident/register user_id": (
        "c2", "onboarding/resident/register", "POST", {"user_id": "c1"}, 403, "user_id"),
    "bookings PATCH status": ("c1", "bookings/<uuid:booking_id>", "PATCH", {"status": "completed"}, 422, "status"),
    "partner job status": (
        "p1", "partner/bookings/<uuid:booking_id>/status", "PATCH", {"status": "completed"}, 422, "status"),
}  # fmt: skip
CODES = {422: ("INVALID_PAYMENT_AMOUNT", "VALIDATION_ERROR"), 403: ("FORBIDDEN",)}


@pytest.mark.parametrize("name", sorted(OWN_VALUES))
def test_a_field_it_takes_refuses_a_value_that_is_not_the_callers(name, world, case):
    who, path, method, extra, status, field = OWN_VALUES[name]
    path = "api/v1/" + path
    body = {**body_for(world, path, method), **extra}
    if body.get("user_id") in ("c1", "c2"):
        body["user_id"] = str(world.users[body["user_id"]].pk)
    if path.endswith("payments/orders"):
        body["booking_id"] = str(world.objects["unpaid"].pk)
    response = case(lambda: send(world, who, method, url_of(world, path, method), body))
    error = assert_error(response, status, response.json()["error"]["code"], field)
    assert error["code"] in CODES[status]
