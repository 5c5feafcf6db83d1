"""Valid bodies, states and callers for the write endpoints that act on an object in a given state (bookings,
appointments, orders, payments, disputes...) in tests/authz/test_mass_assignment.py. STATE_BODIES is shaped like
BODIES (and merged into it); PREPARE puts the world's object into the state the action needs, inside each case's
savepoint (so it is rolled back with the case); WHO names the caller where it is not the route's owner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.authz.world import World

Body = Callable[[World], dict[str, Any]]
V = "api/v1/"

STATE_BODIES: dict[tuple[str, str], Body] = {}

PREPARE: dict[tuple[str, str], Callable[[World], None]] = {}

WHO: dict[tuple[str, str], str] = {}
