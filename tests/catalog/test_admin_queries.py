"""The staff catalog lists cost a fixed number of queries whatever the number of rows (asserted at two sizes)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.roles import Role
from catalog.models import Category, Service, Tier
from tests.adminpanel.helpers import query_counts, staff

pytestmark = pytest.mark.django_db

# For a signed-in super admin: the user, then the list's count and its page (services with their category
# joined; categories with their service counts in the same query).
ENDPOINTS = {
    "/api/v1/admin/services?limit=100": 3,
    "/api/v1/admin/categories?limit=100": 3,
}

_made = {"n": 0}


def _grow(size: int) -> None:
    """``size`` categories, each with a service in two tiers (one inactive)."""
    for _ in range(size):
        _made["n"] += 1
        n = _made["n"]
        category = Category.objects.create(key=f"CATEGORY_{n}", name=f"Category {n}", display_order=n)
        for tier, active in ((Tier.MINIMAL, True), (Tier.EXCLUSIVE, False)):
            Service.objects.create(
                category=category,
                name=f"Service {n} {tier}",
                service_key=f"SERVICE_{n}",
                service_type="Facial",
                tier=tier,
                product_cost=Decimal("100.00"),
                is_active=active,
            )


def test_staff_catalog_query_counts_are_fixed_whatever_the_size():
    _, client = staff(Role.SUPER_ADMIN)
    _grow(2)
    small = query_counts(client, ENDPOINTS)
    _grow(15)
    large = query_counts(client, ENDPOINTS)

    assert small == large
    assert large == ENDPOINTS, str(list(large.values()))
    listed = client.get("/api/v1/admin/categories?limit=100").json()["data"]["categories"]
    assert {(row["services_count"], row["active_services_count"]) for row in listed} == {(2, 1)}
