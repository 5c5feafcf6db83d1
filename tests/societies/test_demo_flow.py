"""Issue 16's "done when", walked on the demo data as a new user would, through the API only.

The demo customer signs in by OTP, finds their flat on the roster, registers and is verified, adds a second
society that waits, the society admin approves it, and the customer switches to it. A new vendor registers,
adds bank details and services, asks for two societies, is approved by the platform and by one society, and
is assigned to one tower.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from societies.models import HierarchyNode, Society
from tests.accounts.helpers import last_sms_code

pytestmark = pytest.mark.django_db(transaction=True)  # one-time codes are sent at commit
PASSWORD = "demo-admin-2026"


def signed_in_by_otp(phone: str) -> tuple[APIClient, dict]:
    client = APIClient()
    assert client.post("/api/v1/auth/send-otp", {"phone": phone}, format="json").status_code == 200
    data = client.post("/api/v1/auth/verify-otp", {"phone": phone, "otp": last_sms_code(phone)}, format="json").json()[
        "data"
    ]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {data['tokens']['access_token']}")
    return client, data


def signed_in_by_password(email: str) -> APIClient:
    client = APIClient()
    data = client.post("/api/v1/auth/login", {"email": email, "password": PASSWORD}, format="json").json()["data"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {data['tokens']['access_token']}")
    return client


def test_the_demo_resident_and_a_new_vendor_go_through_societies_end_to_end():
    call_command("seed_demo", verbosity=0, no_history=True)
    call_command("seed_demo", verbosity=0, no_history=True)  # idempotent
    green = Society.objects.get(name="Green Valley Apartments")
    palm = Society.objects.get(name="Palm Meadows Layout")
    assert HierarchyNode.objects.filter(society=green, node_type="UNIT").count() == 24
    assert HierarchyNode.objects.filter(society=palm, node_type="UNIT").count() == 20

    # the resident
    customer, signed = signed_in_by_otp("+919900000001")
    user_id = signed["user"]["user_id"] if "user_id" in signed["user"] else signed["user"]["id"]
    roster = customer.post("/api/v1/onboarding/resident/check-roster", {}, format="json").json()["data"]
    assert roster["found_in_roster"] is True
    flat = roster["residences"][0]
    assert (flat["society_name"], flat["flat_number"], flat["tower"], flat["floor"]) == (
        "Green Valley Apartments",
        "A-101",
        "Tower A",
        1,
    )
    found = customer.get("/api/v1/societies/search", {"q": "green"}).json()["data"]["societies"]
    assert [s["society_id"] for s in found] == [green.pk]
    registered = customer.post(
        "/api/v1/onboarding/resident/register",
        {"society_id": green.pk, "unit_node_id": flat["unit_node_id"], "from_roster": True},
        format="json",
    )
    assert registered.status_code == 201
    assert registered.json()["data"]["residences"][0]["verification_status"] == "VERIFIED"

    house = customer.get(f"/api/v1/societies/{palm.pk}/units", {"search": "1101"}).json()["data"]["units"][0]
    assert house["full_path"] == "Palm Meadows Layout / Phase 1 / Street 1.1 / House 1101"
    added = customer.post(
        "/api/v1/onboarding/resident/register",
        {"user_id": user_id, "society_id": palm.pk, "unit_node_id": house["node_id"], "is_primary": False},
        format="json",
    )
    assert added.status_code == 200
    pending = next(r for r in added.json()["data"]["residences"] if r["society_id"] == palm.pk)
    assert pending["verification_status"] == "PENDING"
    assert pending["house_number"] == "1101"
    assert pending["street"] == "Street 1.1"
    refused = customer.post(f"/api/v1/residents/{user_id}/switch-society", {"society_id": palm.pk}, format="json")
    assert refused.json()["error"]["code"] == "SOCIETY_NOT_VERIFIED"

    society_admin = signed_in_by_password("society-admin@staff.example.com")
    waiting = society_admin.get(f"/api/v1/admin/society/{palm.pk}/residents/pending").json()["data"]["residents"]
    assert [r["resident_id"] for r in waiting] == [pending["resident_id"]]
    approved = society_admin.post(
        f"/api/v1/admin/society/{palm.pk}/residents/{pending['resident_id']}/approve",
        {"action": "APPROVE"},
        format="json",
    )
    assert approved.json()["data"]["verification_status"] == "VERIFIED"
    switched = customer.post(f"/api/v1/residents/{user_id}/switch-society", {"society_id": palm.pk}, format="json")
    assert switched.status_code == 200
    assert switched.json()["data"]["active_society"]["society_name"] == "Palm Meadows Layout"
    profile = customer.get(f"/api/v1/users/{user_id}/profile").json()["data"]
    assert profile["active_society"]["society_id"] == palm.pk

    # a new vendor
    vendor, _ = signed_in_by_otp("+919811122233")
    created = vendor.post(
        "/api/v1/onboarding/vendor/register",
        {
            "full_name": "Meena Iyer",
            "business_name": "Crisp Press",
            "store_address": "7 Lake Road",
            "id_proof_type": "AADHAAR",
            "id_proof_number": "987698769876",
            "pan_number": "ABCDE1234F",
            "gst_number": "19ABCDE1234F1Z5",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    vendor_id = created.json()["data"]["vendor"]["vendor_id"]
    bank = vendor.put(
        f"/api/v1/onboarding/vendor/{vendor_id}/bank-details",
        {"bank_account_number": "5010012345678", "bank_ifsc_code": "HDFC0001234", "bank_account_holder": "Meena Iyer"},
        format="json",
    )
    assert bank.json()["data"]["bank_details"]["bank_account_number"] == "XXXXXXXXX5678"
    categories = customer.get("/api/v1/categories").json()["data"]
    laundry = next(c for c in categories["categories"] if c["category_key"] == "LAUNDRY")
    ironing = next(s for s in laundry["subcategories"] if s["service_key"] == "IRONING")
    services = vendor.post(
        f"/api/v1/onboarding/vendor/{vendor_id}/services",
        {"services": [{"service_id": ironing["service_id"], "service_key": "IRONING"}]},
        format="json",
    )
    assert [s["turnaround_hours"] for s in services.json()["data"]["services_offered"]] == [24]
    asked = vendor.post(
        f"/api/v1/onboarding/vendor/{vendor_id}/societies", {"society_ids": [green.pk, palm.pk]}, format="json"
    )
    assert [r["approval_status"] for r in asked.json()["data"]["society_requests"]] == ["PENDING", "PENDING"]

    platform = signed_in_by_password("admin@example.com")
    review = platform.get("/api/v1/admin/platform/vendors/pending").json()["data"]["vendors"]
    assert [v["vendor_id"] for v in review] == [vendor_id]
    assert review[0]["societies_requested"] == 2
    verified = platform.post(
        f"/api/v1/admin/platform/vendors/{vendor_id}/verify",
        {"action": "APPROVE", "verified_fields": {"id_proof": True, "bank_details": True}},
        format="json",
    )
    assert verified.json()["data"]["approval_status"] == "APPROVED"
    decided = society_admin.post(
        f"/api/v1/admin/society/{green.pk}/vendors/{vendor_id}/approve", {"action": "APPROVE"}, format="json"
    )
    assert decided.json()["data"]["approval_status"] == "APPROVED"
    groups = society_admin.get(f"/api/v1/admin/society/{green.pk}/groups").json()["data"]["groups"]
    tower_b = next(g for g in groups if g["group_name"] == "Tower B")
    areas = society_admin.post(
        f"/api/v1/admin/society/{green.pk}/vendors/{vendor_id}/service-areas",
        {"node_ids": [tower_b["group_id"]]},
        format="json",
    ).json()["data"]
    assert [(a["assignment_type"], a["group_name"]) for a in areas["assignments"]] == [("GROUP", "Tower B")]
    assert areas["coverage_summary"]["estimated_households"] == 12
