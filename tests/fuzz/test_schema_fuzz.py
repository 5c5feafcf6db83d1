"""Schemathesis over the whole OpenAPI schema, in the test command (issue #21).

Every operation of drf-spectacular's schema (``/api/schema``, built in-process) is one pytest test,
``test_every_operation_as_each_role[<METHOD> <path>]``. Each generated request is sent three times
through the WSGI application (``config.wsgi.application``, no server, on the suite's own test database)
with a real JWT: as a customer, as a partner and as an admin (``tests/fuzz/world.py`` seeds them and the
rows between them). Path parameters take the world's real ids part of the time (a Hypothesis choice per
example), so requests reach real bookings, payments, jobs, orders and societies, not only 404s. Each call
runs in a savepoint that is rolled back, so every request meets the same world.

Checks: ``not_a_server_error`` (no 5xx), ``status_code_conformance`` (the status is documented),
``content_type_conformance`` and ``response_schema_conformance`` (the body matches its own schema). A
failure names the operation (the test id) and prints the reproducing request as a curl command, with
``X-Fuzz-Role`` saying which role sent it (the token itself is filtered out).

Budget: ``MAX_EXAMPLES`` examples per operation (positive and negative data), each sent as the three
roles, a fixed ``SEED`` and Hypothesis' derandomized mode: runs repeat exactly.

Integrations are configured with dummy credentials for the run (Google and Facebook sign-in, the Telegram
bot) and every outbound HTTP call is answered by ``responses`` (Google's certificates: none; Facebook's
``debug_token``: not valid), so those views run their own checks instead of answering 503 "not configured".

Exclusions: no operation. A request whose generated path parameter spells a sibling route's literal segment
(PUT /appointments/{appointment_id} with "availability") reaches another route and is checked for 5xx only.
Every operation of the schema is fuzzed, multipart uploads included (Schemathesis generates
the parts). WebSocket routes are not in the schema. The run prints one line: operations, requests, time.

Last run (2026-11-30, 2-core machine shared with other jobs): 365 operations x 3 roles, 3 examples each,
3,267 requests in 185 s (the module alone; building the test database comes on top). Found and fixed:
- 500: a staff write whose JSON body held a NUL (PUT /patient/profile as admin): the audit fallback's jsonb
  refused it; now escaped (tests/fuzz/test_findings.py).
- Schema violations: every TimeField was ``format: time`` (RFC 3339 needs an offset; we send "10:00:00"):
  GET /bookings, /admin/bookings, /partner/bookings, /partner/dashboard, GET+POST /vendor-availability.
- Undocumented statuses, declared: 400/422 on every GET that reads query parameters by hand (core.schema);
  401 on the sign-ins and token refresh; 409 on /auth/set-password and /vendor-applications; 404 on eight
  writes whose body names a missing object; 400/422 on DELETE /notifications/devices.
- 503 "not configured" on Google/Facebook/Telegram sign-in and the Telegram webhook: right as designed; the
  run configures them (see above) so their own checks are fuzzed.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import responses
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz import world as fuzz_world
from tests.fuzz.world import ROLES, World, build_world

SEED = 21
MAX_EXAMPLES = 3
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    }
)
INTEGRATIONS = {
    "GOOGLE_CLIENT_IDS": ["fuzz-client.apps.googleusercontent.com"],
    "FACEBOOK_APP_ID": "4242",
    "FACEBOOK_APP_SECRET": "fuzz-facebook-secret",
    "TELEGRAM_BOT_TOKEN": "4242:fuzz-bot-token",
    "TELEGRAM_WEBHOOK_SECRET": "fuzz-webhook-secret",
}


def _load_schema() -> Any:
    """The schema ``GET /api/schema`` serves (same generator, same JSON renderer), bound to the WSGI app."""
    from config.wsgi import application

    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document, config=CONFIG)
    loaded.app = application
    return loaded


schema = _load_schema()


@schema.hook("flatmap_path_parameters")
def _real_ids_part_of_the_time(context: Any, path_parameters: dict[str, Any]) -> Any:
    """The world's ids for the parameters it knows, or the generated values: Hypothesis picks per example."""
    current = fuzz_world.current
    if current is None or not path_parameters:
        return st.just(path_parameters)
    known = {name: current.ids[name] for name in path_parameters if name in current.ids}
    if not known:
        return st.just(path_parameters)
    return st.sampled_from([{**path_parameters, **known}, path_parameters])


def _outbound_http() -> responses.RequestsMock:
    """No request leaves the machine: Google has no certificates for the token, Facebook says it is not valid."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.get("https://www.googleapis.com/oauth2/v1/certs", json={})
    mock.get("https://graph.facebook.com/v19.0/debug_token", json={"data": {"is_valid": False}})
    return mock


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """One world for the module, in a transaction rolled back at its end (each test adds a savepoint)."""
    # The real WSGI handler closes "obsolete" connections around each request; the test's open transaction
    # would be lost. Django's test client disconnects the same two receivers.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), override_settings(**INTEGRATIONS), _outbound_http(), transaction.atomic():
            fuzz_world.current = build_world()
            yield fuzz_world.current
            transaction.set_rollback(True)
    finally:
        fuzz_world.current = None
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _reaches_its_own_route(case: Any) -> bool:
    """Whether the request's URL resolves to the operation's own route.

    A generated path parameter can spell a sibling route's literal segment: PUT /appointments/{appointment_id}
    with "availability" is PUT /appointments/availability, another (GET-only) route, which rightly answers 405.
    Such a request is checked only for 5xx: the operation's documented statuses and schemas do not apply to it.
    """
    try:
        match = resolve(case.formatted_path)
    except Resolver404:
        return True  # answered 404 by the URL conf: the operation's own 404 applies
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", match.route) == case.operation.path


@pytest.fixture(scope="module")
def tally() -> Iterator[dict[str, Any]]:
    """Counts operations and requests; tests/fuzz/conftest.py prints them with the time taken at the end."""
    counts: dict[str, Any] = {"operations": set(), "requests": 0, "started": time.monotonic()}
    yield counts
    fuzz_world.summary = (
        f"schema fuzz: {len(counts['operations'])} operations x {len(ROLES)} roles, at most {MAX_EXAMPLES} "
        f"examples each, {counts['requests']} requests in {time.monotonic() - counts['started']:.0f} s"
    )


@pytest.mark.django_db
@schema.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_every_operation_as_each_role(case, world, tally):
    tally["operations"].add(case.operation.label)
    for role in ROLES:
        tally["requests"] += 1
        headers = {**world.headers[role], "X-Fuzz-Role": role}
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        checks = CHECKS if _reaches_its_own_route(case) else [not_a_server_error]
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except Exception as failure:
            failure.add_note(f"Sent as the {role}.")
            raise
