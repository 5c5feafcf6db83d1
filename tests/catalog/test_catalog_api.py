"""Catalog endpoints (seed 000 services, seed 001 categories): shape, filters, cache and its invalidation."""

import io
from decimal import Decimal

import pytest

from catalog.demo import seed
from catalog.models import Service
from tests.accounts.helpers import assert_error
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_catalog():
    seed(io.StringIO())


def test_catalog_groups_services_by_category(api_client, demo_catalog):
    response = api_client.get("/api/v1/services/catalog")

    assert response.status_code == 200
    data = response.json()["data"]
    assert {"Facial", "Waxing", "Hair", "Nail", "Laundry Services"} <= set(data["categories"])
    assert "Vehicle Services" not in data["categories"]  # not live
    facial = data["categories"]["Facial"]
    assert [row["tier"] for row in facial] == ["Minimal", "Exclusive", "E-Lite"]
    assert facial[0] == facial[0] | {
        "name": "Facial - Minimal",
        "product_cost": 1000.0,
        "market_price": 1200.0,
        "duration_minutes": 60,
        "category": "Facial",
    }
    assert len(data["all_services"]) == sum(len(rows) for rows in data["categories"].values())
    assert data["last_updated"]


@pytest.mark.parametrize(("query", "expected"), [("category=facial", {"Facial"}), ("category=WAXING", {"Waxing"})])
def test_category_filter(api_client, demo_catalog, query, expected):
    data = api_client.get(f"/api/v1/services/catalog?{query}").json()["data"]

    assert set(data["categories"]) == expected


def test_tier_filter(api_client, demo_catalog):
    data = api_client.get("/api/v1/services/catalog?tier=e-lite").json()["data"]

    assert {row["tier"] for row in data["all_services"]} == {"E-Lite"}
    assert len(data["all_services"]) == 4


def test_unknown_tier_is_invalid_request(api_client, demo_catalog):
    assert_error(api_client.get("/api/v1/services/catalog?tier=Gold"), 400, "INVALID_REQUEST", "tier")


def test_catalog_is_cached_and_built_in_a_fixed_number_of_queries(api_client, demo_catalog, django_assert_num_queries):
    # services with their categories + last service update + last category update
    with django_assert_num_queries(3):
        first = api_client.get("/api/v1/services/catalog")
    with django_assert_num_queries(0):
        second = api_client.get("/api/v1/services/catalog")

    assert first.content == second.content


def test_any_change_invalidates_the_cache(api_client, demo_catalog):
    api_client.get("/api/v1/services/catalog")
    service = Service.objects.get(name="Facial - Minimal")
    service.product_cost = Decimal("999.00")
    service.save()
    Service.objects.get(name="Nail - E-Lite").delete()

    data = api_client.get("/api/v1/services/catalog").json()["data"]

    assert data["categories"]["Facial"][0]["product_cost"] == 999.0
    assert "Nail - E-Lite" not in {row["name"] for row in data["all_services"]}


def test_deactivated_services_leave_the_catalog(api_client, demo_catalog):
    api_client.get("/api/v1/services/catalog")
    for service in Service.objects.filter(category__key="HAIR"):
        service.is_active = False
        service.save()

    assert "Hair" not in api_client.get("/api/v1/services/catalog").json()["data"]["categories"]


def test_service_detail(api_client, demo_catalog):
    service = Service.objects.get(name="Facial - Exclusive")

    data = api_client.get(f"/api/v1/services/{service.pk}").json()["data"]

    assert data["id"] == str(service.pk)
    assert data["tier"] == "Exclusive"
    assert data["description"]


def test_inactive_or_unknown_service_is_not_found(api_client, demo_catalog):
    service = Service.objects.get(name="Facial - Exclusive")
    service.is_active = False
    service.save()

    assert_error(api_client.get(f"/api/v1/services/{service.pk}"), 404, "NOT_FOUND")
    assert_error(api_client.get("/api/v1/services/00000000-0000-0000-0000-000000000000"), 404, "NOT_FOUND")


def test_categories_of_seed_001(api_client, demo_catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = api_client.get("/api/v1/categories").json()["data"]["categories"]

    laundry = next(row for row in rows if row["category_key"] == "LAUNDRY")
    vehicle = next(row for row in rows if row["category_key"] == "VEHICLE")
    assert laundry["color_hex"] == "#3B82F6"
    assert [s["service_key"] for s in laundry["subcategories"]] == ["IRONING", "WASHING_IRONING", "DRY_CLEANING"]
    assert laundry["subcategories"][2]["default_turnaround_hours"] == 120
    assert vehicle["is_live"] is False
    assert vehicle["message"] == "Coming Soon"
    assert "subcategories" not in vehicle


def test_categories_is_live_filter(api_client, demo_catalog):
    live = api_client.get("/api/v1/categories?is_live=true").json()["data"]["categories"]
    soon = api_client.get("/api/v1/categories?is_live=false").json()["data"]["categories"]

    assert all(row["is_live"] for row in live)
    assert [row["category_key"] for row in soon] == ["VEHICLE"]


def test_a_providers_own_service_stays_out_of_the_platform_catalogue(api_client, demo_catalog):
    platform = Service.objects.get(name="Facial - Exclusive")
    own = Service.objects.create(
        category=platform.category,
        name="Dr Rao's consultation",
        service_key="CONSULTATION",
        service_type="Consultation",
        product_cost=Decimal("800.00"),
        partner=PartnerFactory(),
    )

    catalogue = api_client.get("/api/v1/services/catalog").json()["data"]
    categories = api_client.get("/api/v1/categories").json()["data"]["categories"]

    assert str(own.pk) not in {row["id"] for row in catalogue["all_services"]}
    assert str(platform.pk) in {row["id"] for row in catalogue["all_services"]}
    listed = {sub["service_id"] for category in categories for sub in category.get("subcategories", [])}
    assert str(own.pk) not in listed
    assert str(platform.pk) in listed
    assert_error(api_client.get(f"/api/v1/services/{own.pk}"), 404, "NOT_FOUND")
