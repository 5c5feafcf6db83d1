from __future__ import annotations

import pytest
from celery import current_app
from celery._state import _set_task_join_will_block
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from accounts.services.roles import user_set_roles
from accounts.services.tokens import tokens_issue
from catalog import cache as catalog_cache
from core import ratelimit
from notifications import sms
from notifications.backends import whatsapp_outbox
from tests.factories import UserFactory

# No log line of a run may hold an email, a phone number or a JWT (issue #21): see tests/logcheck.py.
pytest_plugins = ["tests.logcheck"]


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts with an empty cache, no rate-limit counters and empty outboxes."""
    sms.outbox.clear()
    whatsapp_outbox.clear()
    yield
    cache.clear()
    catalog_cache.forget_local()
    conn = ratelimit.client()
    keys = [*conn.scan_iter(f"{settings.RATELIMIT_KEY_PREFIX}:*"), *conn.scan_iter("presence:*")]
    if keys:
        conn.delete(*keys)
    sms.outbox.clear()
    whatsapp_outbox.clear()
    mail.outbox = []
    # Celery keeps "joins would block" in one process-wide flag that every eager task sets and resets around
    # itself; eager tasks running at once in a real-thread test can interleave so that it stays set, and every
    # later `.apply().get()` then fails. Leave each test with it cleared.
    _set_task_join_will_block(False)


def client_for(user: User) -> APIClient:
    """An API client signed in with a real access token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=user)['access_token']}")
    return client


def make_user(*roles: Role, **fields) -> User:
    user = UserFactory(**fields)
    if roles:
        user_set_roles(user=user, roles=roles)
    return user


@pytest.fixture
def celery_eager():
    """Run tasks queued on commit inline (a countdown runs at once too: the tasks check the time themselves)."""
    conf = current_app.conf
    previous = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = previous


@pytest.fixture
def clock_held(monkeypatch):
    """Django's clock (``timezone.now``, hence ``localdate``) held at the moment the test starts.

    For tests whose answer is "today" as the server reckons it: the rows written and the
    request that counts them fall on one day even when midnight comes in between. Python's
    ``time`` and PostgreSQL's ``now()`` run on.
    """
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.fixture
def customer(db) -> User:
    return make_user(Role.CUSTOMER)


@pytest.fixture
def customer_client(customer) -> APIClient:
    return client_for(customer)


@receiver(connection_created)
def _allow_audit_truncate(sender, connection, **kwargs):
    """Transactional tests empty every table with TRUNCATE; the audit log's trigger allows it only when asked."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET core.audit_allow_truncate = 'on'")
