"""Seed 001 7.1 through the API: GET /services/{service_id}/workflow (public) and the default templates."""

from __future__ import annotations

import io
import uuid

import pytest
from rest_framework.test import APIClient

from catalog.demo import seed
from catalog.models import Category, Service, WorkflowStep, WorkflowTemplate
from catalog.workflows import DEFAULTS, ensure_default_workflow
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts

pytestmark = pytest.mark.django_db

SEED_IRONING = [
    # step_key, step_name, order, required, photo, minutes, status on complete (seed 7.1's table)
    ("pickup", "Pickup Items", 1, True, False, 15, "PICKUP_IN_PROGRESS"),
    ("count", "Count Items", 2, True, True, 10, "COUNT_APPROVAL_PENDING"),
    ("iron", "Iron Items", 3, True, False, 60, "PROCESSING_IN_PROGRESS"),
    ("quality_check", "Quality Check", 4, True, False, 10, "READY_FOR_DELIVERY"),
    ("deliver", "Deliver Items", 5, True, True, 15, "DELIVERED"),
]


def laundry(key: str) -> Service:
    return Service.objects.get(service_key=key, category__key="LAUNDRY")


def workflow(service_id):
    return APIClient().get(f"/api/v1/services/{service_id}/workflow")


@pytest.fixture
def demo():
    seed(io.StringIO())


def test_the_seed_ironing_workflow_without_signing_in(demo):
    ironing = laundry("IRONING")

    response = workflow(ironing.pk)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["service"] == {"service_id": str(ironing.pk), "service_name": "Ironing Only", "service_key": "IRONING"}
    flow = data["workflow"]
    template = WorkflowTemplate.objects.get(service=ironing)
    assert (flow["template_id"], flow["template_name"], flow["is_default"]) == (
        template.pk,
        "Standard Ironing Workflow",
        True,
    )
    steps = [
        (
            s["step_key"],
            s["step_name"],
            s["step_order"],
            s["is_required"],
            s["requires_photo"],
            s["estimated_duration_minutes"],
            s["order_status_on_complete"],
        )
        for s in flow["steps"]
    ]
    assert steps == SEED_IRONING
    assert [s["step_id"] for s in flow["steps"]] == list(template.steps.values_list("pk", flat=True))


def test_every_demo_laundry_service_has_a_template_ending_in_a_photo_delivery(demo):
    keys = {}
    for key in ("IRONING", "WASHING_IRONING", "DRY_CLEANING"):
        steps = workflow(laundry(key).pk).json()["data"]["workflow"]["steps"]
        keys[key] = [s["step_key"] for s in steps]
        last = steps[-1]
        assert (last["step_key"], last["requires_photo"], last["order_status_on_complete"]) == (
            "deliver",
            True,
            "DELIVERED",
        )
    assert keys["WASHING_IRONING"] == ["pickup", "count", "wash", "iron", "quality_check", "deliver"]
    assert keys["DRY_CLEANING"][3] == "dry_clean"  # 6.2: "Dry Clean" is step 4
    for spec in DEFAULTS.values():
        assert spec.steps[-1].key == "deliver"
        assert spec.steps[-1].photo


def test_ensure_is_idempotent_and_other_keys_get_the_generic_template(demo):
    ironing = laundry("IRONING")
    assert ensure_default_workflow(ironing) == WorkflowTemplate.objects.get(service=ironing)
    seed(io.StringIO())  # seeding again adds nothing
    assert WorkflowTemplate.objects.filter(service=ironing).count() == 1
    assert WorkflowStep.objects.filter(template__service=ironing).count() == 5

    category = Category.objects.create(key="SHOES", name="Shoes")
    shoes = Service.objects.create(category=category, service_key="SHOE_POLISH", name="Shoe polish", product_cost=5)
    template = ensure_default_workflow(shoes)
    assert template.name == "Standard Workflow"
    assert [s.step_key for s in template.steps.all()] == ["pickup", "count", "process", "quality_check", "deliver"]


def test_an_emptied_default_template_gets_its_steps_again(demo):
    ironing = laundry("IRONING")
    WorkflowStep.objects.filter(template__service=ironing).delete()
    ensure_default_workflow(ironing)
    assert WorkflowStep.objects.filter(template__service=ironing).count() == 5


def test_unknown_service_and_service_without_workflow_are_404(demo):
    assert_error(workflow(uuid.uuid4()), 404, "NOT_FOUND", "service_id")
    facial = Service.objects.filter(service_key="FACIAL").first()
    error = assert_error(workflow(facial.pk), 404, "NOT_FOUND", "service_id")
    assert error["details"]["reason"] == "no_workflow"
    assert not WorkflowTemplate.objects.filter(service=facial).exists()  # reading never creates one


def test_query_count_does_not_depend_on_the_number_of_steps(demo):
    ironing, dry = laundry("IRONING"), laundry("DRY_CLEANING")
    template = WorkflowTemplate.objects.get(service=dry)
    for order in range(7, 20):
        WorkflowStep.objects.create(
            template=template,
            step_key=f"extra_{order}",
            step_name="Extra",
            step_order=order,
            order_status_on_complete="DELIVERED",
        )
    paths = [f"/api/v1/services/{ironing.pk}/workflow", f"/api/v1/services/{dry.pk}/workflow"]
    counts = query_counts(APIClient(), paths)
    assert counts[paths[0]] == counts[paths[1]]
