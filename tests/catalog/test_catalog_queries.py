"""The public catalog's cold builds cost a fixed number of queries whatever the number of rows (two sizes)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog import cache
from catalog.models import Category, Service, Tier
from tests.adminpanel.helpers import query_counts

pytestmark = pytest.mark.django_db

# Each built afresh (the cache emptied first), for an anonymous caller: /categories reads the categories and
# their active services (a prefetch); the catalog reads the services with their categories joined and the last
# change of each table (its Last-Modified).
ENDPOINTS = {
    "/api/v1/categories": 2,
    "/api/v1/services/catalog": 3,
}

_made = {"n": 0}


def _grow(size: int) -> None:
    """``size`` live categories with a service in two tiers (one inactive), and one category not yet live."""
    for n in range(size + 1):
        _made["n"] += 1
        key = _made["n"]
        live = n < size
        category = Category.objects.create(key=f"CATEGORY_{key}", name=f"Category {key}", is_live=live)
        for tier, active in ((Tier.MINIMAL, True), (Tier.EXCLUSIVE, False)):
            Service.objects.create(
                category=category,
                name=f"Service {key} {tier}",
                service_key=f"SERVICE_{key}",
                service_type="Facial",
                tier=tier,
                product_cost=Decimal("100.00"),
                is_active=active,
            )


def _cold_counts(client) -> dict[str, int]:
    cache.invalidate()  # a new catalog version: each endpoint builds its answer from the database
    return query_counts(client, ENDPOINTS)


def test_public_catalog_query_counts_are_fixed_whatever_the_size(api_client):
    _grow(1)
    small = _cold_counts(api_client)
    small_rows = api_client.get("/api/v1/categories").json()["data"]["categories"]
    _grow(12)
    large = _cold_counts(api_client)

    assert small == large
    assert large == ENDPOINTS, str(list(large.values()))
    rows = api_client.get("/api/v1/categories").json()["data"]["categories"]
    assert (len(small_rows), len(rows)) == (2, 15)  # the second size really was read
    live = [row for row in rows if row["is_live"]]
    assert len(live) == 13
    assert all(len(row["subcategories"]) == 1 for row in live)  # the active tier only
    catalog = api_client.get("/api/v1/services/catalog").json()["data"]
    assert len(catalog["all_services"]) == 13
