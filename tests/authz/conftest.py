"""One world per module, built inside a transaction that is rolled back when the module ends; each case runs in a
savepoint of its own that is rolled back too, so no write leaks into the next case or out of the module."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.authz.world import World, build


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def case(world: World, django_db_blocker):
    """Run ``call()`` in a savepoint rolled back afterwards: ``case(lambda: client.get(url))``."""

    def run(call):
        with django_db_blocker.unblock(), transaction.atomic():
            try:
                return call()
            finally:
                transaction.set_rollback(True)

    return run
