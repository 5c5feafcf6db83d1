"""Staff catalog API: services as seed 000 writes them (category by name, keys from names) and seed 001's
categories (list, create, update, deactivate), with permissions, audit entries and errors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from accounts.roles import Role
from catalog.models import Category, Service, Tier
from core.models import AuditLog
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import staff
from tests.conftest import client_for, make_user
from tests.partners import helpers as partners

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/admin/services"
CATEGORIES = "/api/v1/admin/categories"


def _service(name: str, category: str = "Facial", tier: str = "Minimal", **fields) -> dict:
    return {
        "name": name,
        "category": category,
        "service_type": "Facial",
        "tier": tier,
        "product_cost": 1000.00,
        "market_price": 1200.00,
        "duration_minutes": 60,
        **fields,
    }


# --- services: the category by name ---------------------------------------------------------


def test_a_service_naming_a_new_category_creates_it_live_and_last():
    _, client = staff(Role.OPS_MANAGER)
    partners.category("FACIAL")
    Category.objects.filter(key="FACIAL").update(display_order=7)

    response = client.post(SERVICES, _service("Gel Manicure", category="Nail"), format="json")

    assert response.status_code == 201, response.content
    service = response.json()["data"]["service"]
    nail = Category.objects.get(name="Nail")
    assert (service["category"], service["category_key"], service["category_id"]) == ("Nail", "NAIL", nail.pk)
    assert nail.is_live is True
    assert nail.display_order == 8
    created = AuditLog.objects.get(action="create_category")
    assert created.resource_id == str(nail.pk)
    assert created.changes["name"] == {"old": None, "new": "Nail"}
    assert AuditLog.objects.get(action="create_service").changes["category"] == {"old": None, "new": nail.pk}


def test_a_service_names_an_existing_category_by_name_or_key_in_any_case():
    _, client = staff(Role.ADMIN)
    laundry = Category.objects.create(key="LAUNDRY", name="Laundry Services")

    by_name = client.post(SERVICES, _service("Ironing", category="laundry services"), format="json")
    by_key = client.post(SERVICES, _service("Dry Cleaning", category="Laundry"), format="json")

    assert by_name.json()["data"]["service"]["category_id"] == laundry.pk
    assert by_key.json()["data"]["service"]["category_id"] == laundry.pk
    assert Category.objects.count() == 1
    assert not AuditLog.objects.filter(action="create_category").exists()


def test_a_role_that_may_not_manage_categories_cannot_create_one_through_a_service():
    person = make_user(Role.SUPPORT, email="writer@example.com")
    person.user_permissions.add(Permission.objects.get(codename="add_service", content_type__app_label="catalog"))
    client = client_for(person)

    response = client.post(SERVICES, _service("Gel Manicure", category="Nail"), format="json")

    assert_error(response, 403, "FORBIDDEN", "category")
    assert not Category.objects.exists()


# --- services: keys from names ---------------------------------------------------------------


def test_services_of_one_type_and_tier_get_keys_from_their_names():
    _, client = staff(Role.ADMIN)

    first = client.post(SERVICES, _service("Facial - Minimal"), format="json")
    second = client.post(SERVICES, _service("Gold Facial"), format="json")

    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert first.json()["data"]["service"]["service_key"] == "FACIAL_MINIMAL"
    assert second.json()["data"]["service"]["service_key"] == "GOLD_FACIAL"


def test_a_taken_name_key_gets_the_next_suffix_whatever_the_tier():
    _, client = staff(Role.ADMIN)

    keys = [
        client.post(SERVICES, _service("Gold Facial", tier=tier), format="json").json()["data"]["service"][
            "service_key"
        ]
        for tier in ("Minimal", "Minimal", "Exclusive")
    ]

    assert keys == ["GOLD_FACIAL", "GOLD_FACIAL_2", "GOLD_FACIAL_3"]
    assert Service.objects.filter(category__name="Facial").count() == 3


def test_the_same_name_in_two_categories_keeps_its_plain_key():
    _, client = staff(Role.ADMIN)

    facial = client.post(SERVICES, _service("Deluxe Care", category="Facial"), format="json")
    hair = client.post(SERVICES, _service("Deluxe Care", category="Hair"), format="json")

    assert facial.json()["data"]["service"]["service_key"] == "DELUXE_CARE"
    assert hair.json()["data"]["service"]["service_key"] == "DELUXE_CARE"


@pytest.mark.parametrize(
    ("name", "key"),
    [("Café Crème Facial", "CAFE_CREME_FACIAL"), ("24 Carat Gold", "S_24_CARAT_GOLD"), ("फेशियल", "SERVICE")],
)
def test_a_derived_key_is_upper_snake_case_ascii(name, key):
    _, client = staff(Role.ADMIN)

    response = client.post(SERVICES, _service(name, category="Spa"), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["service"]["service_key"] == key


def test_a_long_name_key_keeps_its_suffix_within_fifty_characters():
    _, client = staff(Role.ADMIN)
    name = "Extra Long Relaxing Aromatherapy Facial With Gold Mask"

    keys = [
        client.post(SERVICES, _service(name, category="Spa"), format="json").json()["data"]["service"]["service_key"]
        for _ in range(2)
    ]

    assert keys[0] == "EXTRA_LONG_RELAXING_AROMATHERAPY_FACIAL_WITH_GOLD"
    assert keys[1] == "EXTRA_LONG_RELAXING_AROMATHERAPY_FACIAL_WITH_GOL_2"
    assert all(len(key) <= 50 for key in keys)


def test_an_explicit_duplicate_service_key_is_a_conflict():
    _, client = staff(Role.ADMIN)
    first = client.post(SERVICES, _service("Gel Manicure", category="Nail", service_key="GEL"), format="json")

    again = client.post(SERVICES, _service("Gel Polish", category="Nail", service_key="GEL"), format="json")
    other_tier = client.post(
        SERVICES, _service("Gel Polish", category="Nail", service_key="GEL", tier="Exclusive"), format="json"
    )

    assert first.status_code == 201, first.content
    error = assert_error(again, 409, "CONFLICT", "service_key")
    assert error["details"]["context"] == {"service_key": "GEL", "tier": "Minimal"}
    assert other_tier.status_code == 201  # seed 001 keeps one key per tier
    assert Service.objects.filter(service_key="GEL").count() == 2


def test_an_update_onto_a_taken_key_and_tier_is_a_conflict_not_a_crash():
    _, client = staff(Role.ADMIN)
    client.post(SERVICES, _service("Gel Manicure", category="Nail", service_key="GEL"), format="json")
    other = client.post(
        SERVICES, _service("Gel Polish", category="Nail", service_key="GEL", tier="Exclusive"), format="json"
    ).json()["data"]["service"]

    response = client.put(f"{SERVICES}/{other['id']}", {"tier": "minimal"}, format="json")

    assert_error(response, 409, "CONFLICT", "service_key")
    assert Service.objects.get(pk=other["id"]).tier == Tier.EXCLUSIVE


def test_moving_a_service_to_a_new_category_creates_it():
    _, client = staff(Role.OPS_MANAGER)
    created = client.post(SERVICES, _service("Gel Manicure", category="Facial"), format="json").json()["data"]

    response = client.patch(f"{SERVICES}/{created['service']['id']}", {"category": "Nail"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["service"]["category"] == "Nail"
    assert AuditLog.objects.filter(action="create_category").count() == 2  # Facial, then Nail
    moved = AuditLog.objects.get(action="update_service")
    assert moved.changes["category"]["new"] == Category.objects.get(name="Nail").pk


def test_a_service_detail_and_its_deactivation():
    _, client = staff(Role.ADMIN)
    created = client.post(
        SERVICES, _service("Ironing", category="Laundry", default_turnaround_hours=24), format="json"
    ).json()["data"]["service"]

    detail = client.get(f"{SERVICES}/{created['id']}").json()["data"]["service"]
    deleted = client.delete(f"{SERVICES}/{created['id']}")

    assert detail["default_turnaround_hours"] == 24
    assert deleted.json()["message"] == "Service deleted successfully"
    assert deleted.json()["data"]["service"]["is_active"] is False
    assert_error(client.get(f"{SERVICES}/00000000-0000-0000-0000-000000000000"), 404, "NOT_FOUND", "id")


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"category": ""}, 400, "INVALID_REQUEST", "category"),
        ({"name": None}, 400, "INVALID_REQUEST", "name"),
        ({"default_turnaround_hours": 0}, 422, "VALIDATION_ERROR", "default_turnaround_hours"),
        ({"image_url": "not a url"}, 422, "VALIDATION_ERROR", "image_url"),
    ],
)
def test_bad_service_input_in_a_new_category_creates_nothing(body, status, code, field):
    _, client = staff(Role.ADMIN)

    response = client.post(SERVICES, {**_service("Gel Manicure", category="Nail"), **body}, format="json")

    assert_error(response, status, code, field)
    assert not Category.objects.exists()
    assert client.post(SERVICES, _service("Gel Manicure", category="Nail"), format="json").status_code == 201
    assert Category.objects.get().name == "Nail"


def test_a_refused_service_leaves_no_new_category_behind():
    _, client = staff(Role.ADMIN)

    response = client.post(
        SERVICES, _service("Gel Manicure", category="Nail", product_cost=1000, market_price=900), format="json"
    )

    assert_error(response, 422, "VALIDATION_ERROR", "market_price")
    assert not Category.objects.filter(name="Nail").exists()


def test_the_service_list_filters_by_category_id():
    _, client = staff(Role.SUPPORT)
    partners.service("FACIAL")
    waxing = partners.service("WAXING")

    rows = client.get(f"{SERVICES}?category_id={waxing.category_id}").json()["data"]["services"]

    assert [row["id"] for row in rows] == [str(waxing.pk)]


# --- categories ------------------------------------------------------------------------------


def test_create_a_category_with_seed_001_fields():
    _, client = staff(Role.ADMIN)
    Category.objects.create(key="FACIAL", name="Facial", display_order=3)

    response = client.post(
        CATEGORIES,
        {
            "category_name": "Laundry Services",
            "description": "Professional laundry and garment care services",
            "icon_url": "https://cdn.example.com/laundry.png",
            "color_hex": "#3b82f6",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["message"] == "Category created"
    category = response.json()["data"]["category"]
    assert category == category | {
        "category_key": "LAUNDRY_SERVICES",
        "category_name": "Laundry Services",
        "description": "Professional laundry and garment care services",
        "icon_url": "https://cdn.example.com/laundry.png",
        "color_hex": "#3B82F6",
        "is_live": True,
        "display_order": 4,
        "services_count": 0,
        "active_services_count": 0,
    }
    entry = AuditLog.objects.get(action="create_category")
    assert entry.resource_type == "category"
    assert entry.changes["key"] == {"old": None, "new": "LAUNDRY_SERVICES"}


def test_a_category_keeps_the_key_and_place_it_is_given():
    _, client = staff(Role.OPS_MANAGER)

    response = client.post(
        CATEGORIES,
        {"category_name": "Vehicle Services", "category_key": "VEHICLE", "is_live": False, "display_order": 2},
        format="json",
    )

    category = response.json()["data"]["category"]
    assert (category["category_key"], category["is_live"], category["display_order"]) == ("VEHICLE", False, 2)
    assert (category["icon_url"], category["color_hex"]) == (None, None)


def test_a_category_name_is_read_as_a_service_names_it():
    _, client = staff(Role.ADMIN)

    created = client.post(CATEGORIES, {"category_name": "  Nail   Art "}, format="json").json()["data"]["category"]
    service = client.post(SERVICES, _service("Gel Art", category="nail  art"), format="json").json()["data"]

    assert created["category_name"] == "Nail Art"
    assert service["service"]["category_id"] == created["category_id"]
    assert Category.objects.count() == 1


def test_a_derived_category_key_another_category_has_gets_a_suffix():
    _, client = staff(Role.ADMIN)
    Category.objects.create(key="NAIL_ART", name="Nail-Art Studio")

    response = client.post(CATEGORIES, {"category_name": "Nail Art"}, format="json")

    assert response.json()["data"]["category"]["category_key"] == "NAIL_ART_2"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category_name": "facial"}, "category_name"),
        ({"category_name": "Face", "category_key": "FACIAL"}, "category_key"),
    ],
)
def test_a_taken_category_name_or_key_is_a_conflict(body, field):
    _, client = staff(Role.ADMIN)
    facial = Category.objects.create(key="FACIAL", name="Facial")

    error = assert_error(client.post(CATEGORIES, body, format="json"), 409, "CONFLICT", field)

    assert Category.objects.get() == facial
    if field == "category_name":
        assert error["details"]["context"] == {"category_id": facial.pk}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({}, 400, "INVALID_REQUEST", "category_name"),
        ({"category_name": "  "}, 400, "INVALID_REQUEST", "category_name"),
        ({"category_name": "N" * 101}, 422, "VALIDATION_ERROR", "category_name"),
        ({"category_name": "Nail", "category_key": "nail"}, 422, "VALIDATION_ERROR", "category_key"),
        ({"category_name": "Nail", "color_hex": "blue"}, 422, "VALIDATION_ERROR", "color_hex"),
        ({"category_name": "Nail", "icon_url": "ftp//x"}, 422, "VALIDATION_ERROR", "icon_url"),
        ({"category_name": "Nail", "display_order": -1}, 422, "VALIDATION_ERROR", "display_order"),
        ({"category_name": "Nail", "is_live": "maybe"}, 422, "VALIDATION_ERROR", "is_live"),
    ],
)
def test_bad_category_input(body, status, code, field):
    _, client = staff(Role.ADMIN)

    assert_error(client.post(CATEGORIES, body, format="json"), status, code, field)
    assert not Category.objects.exists()


def test_list_and_read_categories_with_their_service_counts():
    _, client = staff(Role.FRONT_DESK)
    partners.service("FACIAL")
    partners.service("FACIAL", tier=Tier.EXCLUSIVE)
    Service.objects.filter(tier=Tier.EXCLUSIVE).update(is_active=False)
    partners.category("WAXING")
    Category.objects.create(key="VEHICLE", name="Vehicle Services", is_live=False, display_order=9)

    listed = client.get(f"{CATEGORIES}?limit=2").json()["data"]
    soon = client.get(f"{CATEGORIES}?is_live=false").json()["data"]["categories"]
    found = client.get(f"{CATEGORIES}?search=wax").json()["data"]["categories"]
    facial = Category.objects.get(key="FACIAL")
    detail = client.get(f"{CATEGORIES}/{facial.pk}").json()["data"]["category"]

    assert listed["pagination"] == {"page": 1, "limit": 2, "total": 3, "total_pages": 2}
    assert [row["category_key"] for row in listed["categories"]] == ["FACIAL", "WAXING"]
    assert [row["category_key"] for row in soon] == ["VEHICLE"]
    assert [row["category_key"] for row in found] == ["WAXING"]
    assert (detail["services_count"], detail["active_services_count"]) == (2, 1)
    assert_error(client.get(f"{CATEGORIES}/999999"), 404, "NOT_FOUND", "id")
    assert_error(client.get(f"{CATEGORIES}?is_live=maybe"), 422, "VALIDATION_ERROR", "is_live")


def test_update_a_category_records_before_and_after():
    _, client = staff(Role.ADMIN)
    facial = Category.objects.create(key="FACIAL", name="Facial", description="Old")

    response = client.patch(
        f"{CATEGORIES}/{facial.pk}",
        {"category_name": "Facials", "description": "At home", "display_order": 5, "icon_url": None},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Category updated"
    category = response.json()["data"]["category"]
    assert (category["category_name"], category["category_key"], category["display_order"]) == ("Facials", "FACIAL", 5)
    entry = AuditLog.objects.get(action="update_category")
    assert entry.changes == {
        "name": {"old": "Facial", "new": "Facials"},
        "description": {"old": "Old", "new": "At home"},
        "display_order": {"old": 0, "new": 5},
    }


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"category_name": "WAXING"}, 409, "CONFLICT", "category_name"),
        ({"category_key": "WAXING"}, 409, "CONFLICT", "category_key"),
        ({"category_name": None}, 400, "INVALID_REQUEST", "category_name"),
        ({"color_hex": "#12345"}, 422, "VALIDATION_ERROR", "color_hex"),
    ],
)
def test_bad_category_update(body, status, code, field):
    _, client = staff(Role.ADMIN)
    facial = Category.objects.create(key="FACIAL", name="Facial")
    Category.objects.create(key="WAXING", name="Waxing")

    assert_error(client.put(f"{CATEGORIES}/{facial.pk}", body, format="json"), status, code, field)
    assert Category.objects.get(pk=facial.pk).name == "Facial"
    assert not AuditLog.objects.filter(action="update_category").exists()


def test_deactivate_a_category():
    _, client = staff(Role.OPS_MANAGER)
    service = partners.service("FACIAL")

    response = client.delete(f"{CATEGORIES}/{service.category_id}")
    again = client.delete(f"{CATEGORIES}/{service.category_id}")

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Category deactivated"
    assert response.json()["data"]["category"]["is_live"] is False
    assert again.status_code == 200
    assert Category.objects.get(pk=service.category_id).is_live is False
    assert Service.objects.get(pk=service.pk).is_active is True  # comes back with the category
    assert AuditLog.objects.get(action="deactivate_category").changes == {"is_live": {"old": True, "new": False}}
    assert_error(client.delete(f"{CATEGORIES}/999999"), 404, "NOT_FOUND", "id")


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.FINANCE, Role.CENTRE_MANAGER, Role.CARE_COORDINATOR])
def test_roles_that_read_the_catalog_cannot_change_categories(role):
    _, client = staff(role)
    facial = Category.objects.create(key="FACIAL", name="Facial")

    assert client.get(CATEGORIES).status_code == 200
    assert client.get(f"{CATEGORIES}/{facial.pk}").status_code == 200
    assert_error(client.post(CATEGORIES, {"category_name": "Nail"}, format="json"), 403, "FORBIDDEN")
    assert_error(client.put(f"{CATEGORIES}/{facial.pk}", {"is_live": False}, format="json"), 403, "FORBIDDEN")
    assert_error(client.delete(f"{CATEGORIES}/{facial.pk}"), 403, "FORBIDDEN")
    assert Category.objects.get().is_live is True


def test_people_outside_the_back_office_cannot_see_categories(api_client):
    customer = client_for(make_user(Role.CUSTOMER))
    onboarding = staff(Role.ONBOARD_MANAGER)[1]

    assert_error(customer.get(CATEGORIES), 403, "FORBIDDEN")
    assert_error(onboarding.post(CATEGORIES, {"category_name": "Nail"}, format="json"), 403, "FORBIDDEN")
    assert_error(api_client.get(CATEGORIES), 401, "UNAUTHORIZED")


# --- schema ----------------------------------------------------------------------------------


def test_the_schema_types_the_category_and_service_endpoints(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    listed = schema["paths"]["/api/v1/admin/categories"]["get"]["responses"]["200"]["content"]["application/json"]
    created = schema["paths"]["/api/v1/admin/services"]["post"]["responses"]

    assert listed["schema"]["allOf"][1]["properties"]["data"] == {"$ref": "#/components/schemas/AdminCategoryList"}
    assert set(components["AdminCategoryList"]["properties"]) == {"categories", "pagination"}
    assert components["AdminCategoryInputRequest"]["required"] == ["category_name"]
    assert "required" not in components["AdminCategoryUpdateInputRequest"]
    assert {"201", "400", "403", "409", "422"} <= set(created)
    assert "category_id" in components["AdminServiceOutput"]["properties"]
