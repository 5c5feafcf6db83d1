"""Races in the staff catalog API, with real threads on PostgreSQL (each thread its own connection)."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from accounts.roles import Role
from catalog import services as catalog_services
from catalog.models import Category, Service, Tier
from core.models import AuditLog
from tests.accounts.test_concurrency import run_together
from tests.adminpanel.helpers import staff
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)

SERVICES = "/api/v1/admin/services"


def _body(tier: str) -> dict:
    return {"name": "Gold Facial", "category": "Spa", "service_type": "Facial", "tier": tier, "product_cost": 900}


def test_simultaneous_services_of_one_name_in_a_new_category_make_one_category_and_distinct_keys():
    assert connection.vendor == "postgresql"
    person, _ = staff(Role.ADMIN)
    tiers = ["Minimal", "Exclusive", "Minimal", "E-Lite", "Exclusive", "Minimal"]
    clients = [client_for(person) for _ in tiers]

    responses = run_together(len(tiers), lambda i: clients[i].post(SERVICES, _body(tiers[i]), format="json"))

    assert [r.status_code for r in responses] == [201] * len(tiers), [r.content for r in responses]
    spa = Category.objects.get(name="Spa")
    keys = sorted(Service.objects.filter(category=spa).values_list("service_key", flat=True))
    assert keys == sorted(["GOLD_FACIAL", *(f"GOLD_FACIAL_{n}" for n in range(2, len(tiers) + 1))])
    assert {r.json()["data"]["service"]["category_id"] for r in responses} == {spa.pk}
    assert AuditLog.objects.filter(action="create_category").count() == 1


def test_simultaneous_creates_of_one_category_name_make_one_category():
    assert connection.vendor == "postgresql"
    person, _ = staff(Role.OPS_MANAGER)
    names = ["Spa", "SPA", "spa", "Spa", "sPa", "Spa"]
    clients = [client_for(person) for _ in names]

    responses = run_together(
        len(names),
        lambda i: clients[i].post("/api/v1/admin/categories", {"category_name": names[i]}, format="json"),
    )

    assert Counter(r.status_code for r in responses) == {201: 1, 409: len(names) - 1}
    refused = [r.json()["error"] for r in responses if r.status_code == 409]
    assert {(e["code"], e["details"]["field"]) for e in refused} == {("CONFLICT", "category_name")}
    assert Category.objects.count() == 1
    assert AuditLog.objects.filter(action="create_category").count() == 1


def test_a_key_taken_by_a_writer_that_does_not_lock_moves_on_to_the_next_suffix(monkeypatch):
    """The Django admin inserts without the category lock: its committed row makes our insert fail once."""
    _, client = staff(Role.ADMIN)
    spa = Category.objects.create(key="SPA", name="Spa")
    free_key, competed = catalog_services._free_key, []

    def competitor(key: str) -> None:
        try:
            Service.objects.create(
                category=spa,
                name="Gold Facial (admin site)",
                service_key=key,
                service_type="Facial",
                tier=Tier.MINIMAL,
                product_cost=Decimal("900.00"),
            )
        finally:
            connection.close()

    def free_key_then_compete(base: str, taken: set[str]) -> str:
        key = free_key(base, taken)
        if not competed:  # between choosing the key and inserting it, another connection commits it
            competed.append(key)
            thread = threading.Thread(target=competitor, args=(key,))
            thread.start()
            thread.join(timeout=10)
        return key

    monkeypatch.setattr(catalog_services, "_free_key", free_key_then_compete)

    response = client.post(SERVICES, _body("Minimal"), format="json")

    assert response.status_code == 201, response.content
    assert competed == ["GOLD_FACIAL"]
    assert response.json()["data"]["service"]["service_key"] == "GOLD_FACIAL_2"
    assert sorted(Service.objects.values_list("service_key", flat=True)) == ["GOLD_FACIAL", "GOLD_FACIAL_2"]
