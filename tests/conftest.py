from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (the suite's Redis is shared by all tests)."""
    yield
    cache.clear()
