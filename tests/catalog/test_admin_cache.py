"""Staff catalog writes reach the cached public catalog (seed 000 ``/services/catalog``, seed 001 ``/categories``)."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from catalog.models import Category
from tests.adminpanel.helpers import staff

pytestmark = pytest.mark.django_db(transaction=True)

BODY = {"name": "Gel Manicure", "category": "Nail", "service_type": "Manicure", "product_cost": 500}


def _catalog(api_client) -> dict:
    return api_client.get("/api/v1/services/catalog").json()["data"]


def _categories(api_client) -> dict:
    return {row["category_name"]: row for row in api_client.get("/api/v1/categories").json()["data"]["categories"]}


def test_a_service_in_a_new_category_shows_in_the_cached_catalog(api_client):
    _, client = staff(Role.ADMIN)
    assert _catalog(api_client)["categories"] == {}  # cached empty
    assert _categories(api_client) == {}

    assert client.post("/api/v1/admin/services", BODY, format="json").status_code == 201

    assert [row["name"] for row in _catalog(api_client)["categories"]["Nail"]] == ["Gel Manicure"]
    assert [row["service_name"] for row in _categories(api_client)["Nail"]["subcategories"]] == ["Gel Manicure"]


def test_category_writes_reach_the_cached_lists(api_client):
    _, client = staff(Role.OPS_MANAGER)
    client.post("/api/v1/admin/services", BODY, format="json")
    nail = Category.objects.get(name="Nail")
    url = f"/api/v1/admin/categories/{nail.pk}"
    _catalog(api_client)  # cached
    _categories(api_client)  # cached

    client.post("/api/v1/admin/categories", {"category_name": "Vehicle Services", "is_live": False}, format="json")
    assert _categories(api_client)["Vehicle Services"]["message"] == "Coming Soon"

    client.patch(url, {"category_name": "Nails"}, format="json")
    assert set(_catalog(api_client)["categories"]) == {"Nails"}

    client.delete(url)
    assert _catalog(api_client)["categories"] == {}
    assert _categories(api_client)["Nails"]["message"] == "Coming Soon"

    client.patch(url, {"is_live": True}, format="json")
    assert [row["name"] for row in _catalog(api_client)["categories"]["Nails"]] == ["Gel Manicure"]
