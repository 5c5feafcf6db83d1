"""Seed 001 2.2 (vendor onboarding) and 3.2 (platform verification) through the API."""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from catalog.models import Service
from core import crypto
from core.models import AuditLog
from notifications.models import Notification
from partners.models import OnboardingStatus, Partner, PartnerKind, VendorService
from societies.models import ApprovalStatus, SocietyStatus, VendorAccess
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.societies.helpers import apartment, laundry_services, resident, vendor

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/onboarding/vendor/register"
PENDING = "/api/v1/admin/platform/vendors/pending"
AADHAAR = "123456789012"
PAN = "ABCDE1234F"
GST = "22AAAAA0000A1Z5"


def vendor_body(**fields):
    return {
        "full_name": "Ravi Kumar",
        "email": "ravi.laundry@example.com",
        "business_name": "Sparkle Laundry",
        "store_address": "Shop 12, Green Market",
        "id_proof_type": "AADHAAR",
        "id_proof_number": AADHAAR,
        "id_proof_photo_url": "https://files.example.com/id.jpg",
        "store_photo_url": "https://files.example.com/store.jpg",
        "gst_number": GST,
        "pan_number": PAN,
        **fields,
    }


_emails = count(1)


def registered(**fields):
    """A person who signed in by OTP and registered as a vendor: (user, client, vendor_id)."""
    person = resident()
    client = client_for(person)
    fields.setdefault("email", f"vendor{next(_emails)}@example.com")
    response = client.post(REGISTER, vendor_body(**fields), format="json")
    assert response.status_code == 201, response.content
    return person, client, response.json()["data"]["vendor"]["vendor_id"]


def bank_url(vendor_id):
    return f"/api/v1/onboarding/vendor/{vendor_id}/bank-details"


def services_url(vendor_id):
    return f"/api/v1/onboarding/vendor/{vendor_id}/services"


def societies_url(vendor_id):
    return f"/api/v1/onboarding/vendor/{vendor_id}/societies"


def verify_url(vendor_id):
    return f"/api/v1/admin/platform/vendors/{vendor_id}/verify"


BANK = {
    "bank_account_number": "123456783456",
    "bank_ifsc_code": "HDFC0001234",
    "bank_account_holder": "Ravi Kumar",
    "bank_name": "HDFC Bank",
    "branch_name": "Salt Lake",
}


def reviewer(role: Role = Role.ONBOARD_MANAGER):
    return client_for(make_user(role))


# --- register -------------------------------------------------------------------------------------


def test_registering_answers_the_user_the_pending_vendor_tokens_and_next_steps():
    person = resident()
    response = client_for(person).post(REGISTER, vendor_body(phone=person.phone), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message"] == "Vendor registration submitted successfully"
    data = body["data"]
    assert data["user"] == {
        "user_id": str(person.pk),
        "phone": person.phone,
        "full_name": "Ravi Kumar",
        "user_type": "VENDOR",
        "is_verified": False,
    }
    partner = Partner.objects.get(user=person)
    assert data["vendor"]["vendor_id"] == str(partner.pk)
    assert data["vendor"]["business_name"] == "Sparkle Laundry"
    assert data["vendor"]["store_address"] == "Shop 12, Green Market"
    assert data["vendor"]["approval_status"] == "PENDING"
    assert data["vendor"]["created_at"]
    assert set(data["tokens"]) == {"access_token", "refresh_token", "expires_in"}
    assert data["next_steps"]["required_actions"] == [
        "Add bank account details",
        "Select services offered",
        "Choose societies to serve",
        "Create rate cards",
    ]
    assert partner.kind == PartnerKind.VENDOR
    assert partner.onboarding_status == OnboardingStatus.PENDING
    assert partner.gst_number == GST
    assert partner.id_proof_type == "AADHAAR"
    # the new access token works
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Bearer {data['tokens']['access_token']}")
    assert fresh.put(bank_url(partner.pk), BANK, format="json").status_code == 200


def test_the_id_proof_and_pan_are_stored_encrypted_and_never_answered():
    _person, client, vendor_id = registered(pan_number="abcde1234f")
    partner = Partner.objects.get(pk=vendor_id)

    assert partner.id_proof_encrypted
    assert AADHAAR not in partner.id_proof_encrypted
    assert crypto.decrypt(partner.id_proof_encrypted) == AADHAAR
    assert partner.pan_encrypted
    assert PAN not in partner.pan_encrypted
    assert crypto.decrypt(partner.pan_encrypted) == PAN  # upper-cased
    assert partner.id_proof_last4 == "9012"
    laundry_services()
    society = apartment()
    answers = [
        client.put(bank_url(vendor_id), BANK, format="json"),
        client.post(societies_url(vendor_id), {"society_ids": [society.pk]}, format="json"),
        client.post(REGISTER, vendor_body(), format="json"),  # 409
    ]
    for response in answers:
        text = response.content.decode()
        assert AADHAAR not in text
        assert PAN not in text
        assert BANK["bank_account_number"] not in text
    logged = json.dumps([entry.changes for entry in AuditLog.objects.all()])
    assert AADHAAR not in logged
    assert PAN not in logged


def test_a_second_registration_is_a_conflict():
    person, client, _ = registered()

    response = client.post(REGISTER, vendor_body(business_name="Another Shop"), format="json")

    assert_error(response, 409, "PARTNER_EXISTS")
    assert Partner.objects.filter(user=person).count() == 1


def test_nobody_registers_a_phone_that_is_not_theirs_or_unverified():
    response = client_for(resident()).post(REGISTER, vendor_body(phone="+919812345678"), format="json")
    assert_error(response, 403, "FORBIDDEN", "phone")

    unverified = resident(is_phone_verified=False)
    assert_error(client_for(unverified).post(REGISTER, vendor_body(), format="json"), 403, "FORBIDDEN", "phone")
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pan_number", "ABCD1234F"),
        ("pan_number", "ABCDE12345"),
        ("gst_number", "22AAAAA0000A1Z"),
        ("gst_number", "22AAAAA0000A1X5"),
        ("id_proof_type", "RATION_CARD"),
        ("email", "not-an-email"),
    ],
)
def test_malformed_numbers_are_refused(field, value):
    person = resident()
    response = client_for(person).post(REGISTER, vendor_body(**{field: value}), format="json")

    assert_error(response, 422, "VALIDATION_ERROR", field)
    assert not Partner.objects.exists()


@pytest.mark.parametrize("missing", ["business_name", "store_address", "id_proof_number", "full_name"])
def test_a_missing_field_is_an_invalid_request(missing):
    body = vendor_body()
    del body[missing]
    assert_error(client_for(resident()).post(REGISTER, body, format="json"), 400, "INVALID_REQUEST", missing)
    body[missing] = ""
    assert_error(client_for(resident()).post(REGISTER, body, format="json"), 400, "INVALID_REQUEST", missing)


def test_an_email_of_another_account_is_a_conflict():
    make_user(email="taken@example.com")
    response = client_for(resident()).post(REGISTER, vendor_body(email="taken@example.com"), format="json")

    assert_error(response, 409, "EMAIL_ALREADY_EXISTS", "email")
    assert not Partner.objects.exists()


def test_registering_needs_a_sign_in():
    assert_error(APIClient().post(REGISTER, vendor_body(), format="json"), 401, "UNAUTHORIZED")


# --- bank details ---------------------------------------------------------------------------------


def test_bank_details_are_answered_masked_and_unverified():
    _, client, vendor_id = registered()

    response = client.put(bank_url(vendor_id), BANK, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Bank details updated successfully"
    data = response.json()["data"]
    assert data["vendor_id"] == vendor_id
    details = data["bank_details"]
    assert details["bank_account_number"] == "XXXXXXXX3456"
    assert (details["bank_ifsc_code"], details["bank_account_holder"], details["bank_name"]) == (
        "HDFC0001234",
        "Ravi Kumar",
        "HDFC Bank",
    )
    assert details["verified"] is False
    partner = Partner.objects.get(pk=vendor_id)
    assert crypto.decrypt(partner.bank_account_encrypted) == "123456783456"
    assert "123456783456" not in partner.bank_account_encrypted


def test_a_malformed_ifsc_is_refused():
    _, client, vendor_id = registered()

    for ifsc in ("HDFC1001234", "HDF00001234", "HDFC000123"):
        response = client.put(bank_url(vendor_id), {**BANK, "bank_ifsc_code": ifsc}, format="json")
        assert_error(response, 422, "VALIDATION_ERROR", "bank_ifsc_code")
    assert Partner.objects.get(pk=vendor_id).bank_account_encrypted == ""


def test_nobody_sets_bank_details_of_another_persons_vendor():
    _, _, vendor_id = registered()

    response = client_for(resident()).put(bank_url(vendor_id), BANK, format="json")

    assert_error(response, 404, "PARTNER_NOT_FOUND", "vendor_id")
    assert Partner.objects.get(pk=vendor_id).bank_account_encrypted == ""


def test_changing_verified_bank_details_makes_them_unverified():
    _, client, vendor_id = registered()
    client.put(bank_url(vendor_id), BANK, format="json")
    Partner.objects.filter(pk=vendor_id).update(bank_verified=True)

    response = client.put(bank_url(vendor_id), {**BANK, "bank_account_number": "9876543210"}, format="json")

    assert response.json()["data"]["bank_details"]["verified"] is False
    assert response.json()["data"]["bank_details"]["bank_account_number"] == "XXXXXX3210"
    assert Partner.objects.get(pk=vendor_id).bank_verified is False


# --- services -------------------------------------------------------------------------------------


def test_services_are_upserted_and_the_answer_lists_the_full_set():
    ironing, washing = laundry_services()
    _, client, vendor_id = registered()

    first = client.post(
        services_url(vendor_id),
        {"services": [{"service_id": str(ironing.pk), "service_key": "IRONING", "turnaround_hours": 12}]},
        format="json",
    )
    assert first.status_code == 200, first.content
    second = client.post(
        services_url(vendor_id),
        {"services": [{"service_id": str(washing.pk), "service_key": "WASHING_IRONING"}]},
        format="json",
    )
    assert second.status_code == 200, second.content
    assert second.json()["message"] == "Services updated successfully"
    data = second.json()["data"]
    assert data["vendor_id"] == vendor_id
    assert data["services_offered"] == [
        {
            "service_id": str(ironing.pk),
            "service_name": "Ironing Only",
            "service_key": "IRONING",
            "category": "LAUNDRY",
            "turnaround_hours": 12,
            "is_active": True,
        },
        {
            "service_id": str(washing.pk),
            "service_name": "Washing + Ironing",
            "service_key": "WASHING_IRONING",
            "category": "LAUNDRY",
            "turnaround_hours": 48,  # the service's default_turnaround_hours
            "is_active": True,
        },
    ]

    third = client.post(
        services_url(vendor_id),
        {"services": [{"service_id": str(ironing.pk), "turnaround_hours": 6, "is_active": False}]},
        format="json",
    )
    rows = {row["service_key"]: row for row in third.json()["data"]["services_offered"]}
    assert (rows["IRONING"]["turnaround_hours"], rows["IRONING"]["is_active"]) == (6, False)
    assert rows["WASHING_IRONING"]["turnaround_hours"] == 48
    assert VendorService.objects.filter(partner_id=vendor_id).count() == 2


def test_a_service_key_that_is_not_the_services_is_refused():
    ironing, _washing = laundry_services()
    _, client, vendor_id = registered()

    response = client.post(
        services_url(vendor_id),
        {"services": [{"service_id": str(ironing.pk), "service_key": "WASHING_IRONING"}]},
        format="json",
    )

    assert_error(response, 422, "VALIDATION_ERROR", "services.0.service_key")
    assert not VendorService.objects.exists()


def test_an_unknown_service_is_not_found_and_nothing_is_saved():
    ironing, _ = laundry_services()
    _, client, vendor_id = registered()

    response = client.post(
        services_url(vendor_id),
        {
            "services": [
                {"service_id": str(ironing.pk)},
                {"service_id": "00000000-0000-0000-0000-000000000001"},
            ]
        },
        format="json",
    )

    assert_error(response, 404, "NOT_FOUND", "services.1.service_id")
    assert not VendorService.objects.exists()


def test_a_turnaround_of_zero_hours_is_refused():
    ironing, _ = laundry_services()
    _, client, vendor_id = registered()

    response = client.post(
        services_url(vendor_id), {"services": [{"service_id": str(ironing.pk), "turnaround_hours": 0}]}, format="json"
    )

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert "turnaround_hours" in error["details"]["field"]
    assert not VendorService.objects.exists()


def test_a_service_without_a_default_turnaround_needs_one():
    ironing, _ = laundry_services()
    Service.objects.filter(pk=ironing.pk).update(default_turnaround_hours=None)
    _, client, vendor_id = registered()

    response = client.post(services_url(vendor_id), {"services": [{"service_id": str(ironing.pk)}]}, format="json")
    assert_error(response, 422, "VALIDATION_ERROR", "services.0.turnaround_hours")

    response = client.post(
        services_url(vendor_id), {"services": [{"service_id": str(ironing.pk), "turnaround_hours": 3}]}, format="json"
    )
    assert response.json()["data"]["services_offered"][0]["turnaround_hours"] == 3


def test_nobody_sets_the_services_of_another_persons_vendor():
    ironing, _ = laundry_services()
    _, _, vendor_id = registered()
    stranger = client_for(resident())

    for row in (
        {"service_id": str(ironing.pk)},
        {"service_id": str(ironing.pk), "service_key": "WRONG"},  # the vendor is checked before the services
        {"service_id": "00000000-0000-0000-0000-000000000001"},
    ):
        response = stranger.post(services_url(vendor_id), {"services": [row]}, format="json")
        assert_error(response, 404, "PARTNER_NOT_FOUND", "vendor_id")
    assert not VendorService.objects.exists()


# --- societies ------------------------------------------------------------------------------------


def test_asking_for_societies_answers_one_pending_request_per_id_even_before_platform_approval():
    first, second, third = apartment(name="Green Valley"), apartment(name="Lake View"), apartment(name="Pine")
    _, client, vendor_id = registered()  # the platform has not decided yet

    response = client.post(societies_url(vendor_id), {"society_ids": [first.pk, second.pk, third.pk]}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["message"] == "Society access requests submitted"
    data = response.json()["data"]
    assert data["vendor_id"] == vendor_id
    assert [(r["society_id"], r["society_name"]) for r in data["society_requests"]] == [
        (first.pk, "Green Valley"),
        (second.pk, "Lake View"),
        (third.pk, "Pine"),
    ]
    for row in data["society_requests"]:
        assert row["approval_status"] == "PENDING"
        assert row["estimated_approval_time"] == "24-48 hours"
        assert row["requested_at"]
    assert VendorAccess.objects.filter(partner_id=vendor_id, approval_status=ApprovalStatus.PENDING).count() == 3


def test_asking_again_is_idempotent():
    first, second = apartment(), apartment()
    _, client, vendor_id = registered()
    before = client.post(societies_url(vendor_id), {"society_ids": [first.pk]}, format="json").json()["data"]

    again = client.post(societies_url(vendor_id), {"society_ids": [first.pk, second.pk, first.pk]}, format="json")

    assert again.status_code == 201, again.content
    rows = again.json()["data"]["society_requests"]
    assert [r["society_id"] for r in rows] == [first.pk, second.pk]
    assert rows[0]["requested_at"] == before["society_requests"][0]["requested_at"]
    assert VendorAccess.objects.filter(partner_id=vendor_id).count() == 2


def test_an_approved_society_asked_again_stays_approved():
    society = apartment()
    partner = vendor()
    VendorAccess.objects.create(
        partner=partner, society=society, approval_status=ApprovalStatus.APPROVED, requested_at=timezone.now()
    )

    response = client_for(partner.user).post(societies_url(partner.pk), {"society_ids": [society.pk]}, format="json")

    [row] = response.json()["data"]["society_requests"]
    assert row["approval_status"] == "APPROVED"
    assert VendorAccess.objects.get().approval_status == ApprovalStatus.APPROVED


def test_an_unknown_or_inactive_society_is_not_found_and_nothing_is_asked():
    known = apartment()
    hidden = apartment(status=SocietyStatus.INACTIVE)
    _, client, vendor_id = registered()

    for ids in ([known.pk, 999_999], [hidden.pk]):
        response = client.post(societies_url(vendor_id), {"society_ids": ids}, format="json")
        assert_error(response, 404, "SOCIETY_NOT_FOUND", "society_ids")
    assert not VendorAccess.objects.exists()


def test_a_vendor_the_platform_rejected_may_not_ask():
    society = apartment()
    _, client, vendor_id = registered()
    Partner.objects.filter(pk=vendor_id).update(onboarding_status=OnboardingStatus.REJECTED)

    response = client.post(societies_url(vendor_id), {"society_ids": [society.pk]}, format="json")

    assert_error(response, 403, "VENDOR_NOT_APPROVED")
    assert not VendorAccess.objects.exists()


def test_a_rejected_society_request_asked_again_goes_back_to_pending():
    society = apartment()
    partner = vendor()
    VendorAccess.objects.create(
        partner=partner,
        society=society,
        approval_status=ApprovalStatus.REJECTED,
        requested_at=timezone.now() - timedelta(days=3),
        rejected_at=timezone.now() - timedelta(days=2),
        rejection_reason="Not now",
    )

    response = client_for(partner.user).post(societies_url(partner.pk), {"society_ids": [society.pk]}, format="json")

    assert response.status_code == 201, response.content
    [row] = response.json()["data"]["society_requests"]
    assert row["approval_status"] == "PENDING"
    assert row["estimated_approval_time"] == "24-48 hours"
    access = VendorAccess.objects.get()
    assert access.approval_status == ApprovalStatus.PENDING
    assert access.rejection_reason == ""
    assert access.rejected_at is None
    assert access.requested_at > timezone.now() - timedelta(minutes=1)


def test_nobody_asks_for_societies_for_another_persons_vendor():
    society = apartment()
    _, _, vendor_id = registered()

    response = client_for(resident()).post(societies_url(vendor_id), {"society_ids": [society.pk]}, format="json")

    assert_error(response, 404, "PARTNER_NOT_FOUND", "vendor_id")
    assert not VendorAccess.objects.exists()
    assert_error(
        APIClient().post(societies_url(vendor_id), {"society_ids": [society.pk]}, format="json"), 401, "UNAUTHORIZED"
    )


# --- platform: pending vendors --------------------------------------------------------------------


def test_platform_verifiers_see_pending_vendors_in_full_and_the_read_is_audited():
    ironing, washing = laundry_services()
    first, second = apartment(), apartment()
    person, client, vendor_id = registered(email="ravi.laundry@example.com")
    client.put(bank_url(vendor_id), BANK, format="json")
    client.post(
        services_url(vendor_id),
        {"services": [{"service_id": str(ironing.pk)}, {"service_id": str(washing.pk), "is_active": False}]},
        format="json",
    )
    client.post(societies_url(vendor_id), {"society_ids": [first.pk, second.pk]}, format="json")
    Partner.objects.filter(pk=vendor_id).update(created_at=timezone.now() - timedelta(days=3, hours=1))
    vendor(verified=True)  # decided: not listed
    rejected = vendor(verified=False)
    Partner.objects.filter(pk=rejected.pk).update(onboarding_status=OnboardingStatus.REJECTED)
    verifier = make_user(Role.ADMIN)

    response = client_for(verifier).get(PENDING)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    [row] = data["vendors"]
    assert row["vendor_id"] == vendor_id
    assert (row["business_name"], row["full_name"], row["phone"], row["email"]) == (
        "Sparkle Laundry",
        "Ravi Kumar",
        person.phone,
        "ravi.laundry@example.com",
    )
    assert row["store_address"] == "Shop 12, Green Market"
    assert (row["id_proof_type"], row["id_proof_number"], row["pan_number"], row["gst_number"]) == (
        "AADHAAR",
        AADHAAR,
        PAN,
        GST,
    )
    assert row["id_proof_photo_url"] == "https://files.example.com/id.jpg"
    assert row["store_photo_url"] == "https://files.example.com/store.jpg"
    assert (row["bank_account_number"], row["bank_ifsc_code"]) == ("XXXXXXXX3456", "HDFC0001234")
    assert row["services_offered"] == ["IRONING"]  # the inactive one is not offered
    assert row["societies_requested"] == 2
    assert row["approval_status"] == "PENDING"
    assert row["days_pending"] == 3
    pagination = data["pagination"]
    for key in ("page", "limit", "total", "total_pages", "current_page", "total_items", "items_per_page"):
        assert key in pagination, key
    assert (pagination["total"], pagination["total_items"], pagination["current_page"]) == (1, 1, 1)
    [entry] = AuditLog.objects.filter(action="read_vendor_kyc")
    assert entry.actor_id == verifier.pk
    assert entry.changes["vendor_ids"] == [vendor_id]


def test_an_onboarding_manager_pages_through_pending_vendors():
    ids = [str(vendor(verified=False, business_name=f"Shop {n}").pk) for n in range(3)]

    response = reviewer().get(PENDING, {"page": 2, "limit": 2})

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [row["vendor_id"] for row in data["vendors"]] == ids[2:]
    assert data["pagination"]["total_items"] == 3
    assert data["pagination"]["total_pages"] == 2
    assert data["pagination"]["current_page"] == 2
    assert data["pagination"]["items_per_page"] == 2


def test_the_pending_list_is_for_platform_verifiers_only():
    vendor(verified=False)
    for role in (Role.CUSTOMER, Role.SUPPORT, Role.PARTNER):
        assert_error(client_for(make_user(role)).get(PENDING), 403, "FORBIDDEN")
    assert_error(APIClient().get(PENDING), 401, "UNAUTHORIZED")
    assert not AuditLog.objects.filter(action="read_vendor_kyc").exists()


def test_the_pending_list_takes_as_many_queries_for_four_vendors_as_for_one():
    ironing, washing = laundry_services()
    society = apartment()
    client = reviewer(Role.ADMIN)

    def add_vendor():
        _, own, vendor_id = registered()
        own.put(bank_url(vendor_id), BANK, format="json")
        own.post(
            services_url(vendor_id),
            {"services": [{"service_id": str(ironing.pk)}, {"service_id": str(washing.pk)}]},
            format="json",
        )
        own.post(societies_url(vendor_id), {"society_ids": [society.pk]}, format="json")

    add_vendor()
    one = query_counts(client, [PENDING])[PENDING]
    for _ in range(3):
        add_vendor()
    four = query_counts(client, [PENDING])[PENDING]

    assert len(client.get(PENDING).json()["data"]["vendors"]) == 4
    assert one == four


# --- platform: verify -----------------------------------------------------------------------------


def test_approving_a_vendor_verifies_them_grants_the_partner_role_and_tells_them():
    person, _client, vendor_id = registered()
    verifier = make_user(Role.ONBOARD_MANAGER, full_name="Priya Verifier")

    response = client_for(verifier).post(
        verify_url(vendor_id),
        {
            "action": "APPROVE",
            "verification_notes": "All documents verified",
            "verified_fields": {"id_proof": True, "business_registration": True, "bank_details": True, "gst_pan": True},
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Vendor verified successfully"
    data = response.json()["data"]
    assert data["vendor_id"] == vendor_id
    assert data["business_name"] == "Sparkle Laundry"
    assert data["approval_status"] == "APPROVED"
    assert data["is_verified"] is True
    assert data["approved_at"]
    assert data["approved_by"]
    assert data["notification_sent"] is True
    assert data["next_steps"] == {"message": "Vendor can now request access to societies and create rate cards"}
    partner = Partner.objects.get(pk=vendor_id)
    assert partner.onboarding_status == OnboardingStatus.VERIFIED
    assert partner.verified_by_id == verifier.pk
    assert partner.onboarding_notes == "All documents verified"
    assert partner.verified_fields["gst_pan"] is True
    assert partner.bank_verified is True
    person.refresh_from_db()
    assert person.groups.filter(name=Role.PARTNER).exists()
    assert Notification.objects.filter(user=person, event_type="vendor_verified").count() == 1
    assert AuditLog.objects.filter(action="verify_vendor", resource_id=vendor_id, actor=verifier).exists()


def test_approving_without_checking_the_bank_leaves_it_unverified():
    _, client, vendor_id = registered()
    client.put(bank_url(vendor_id), BANK, format="json")

    response = reviewer().post(verify_url(vendor_id), {"action": "APPROVE"}, format="json")

    assert response.status_code == 200, response.content
    assert Partner.objects.get(pk=vendor_id).bank_verified is False


def test_a_rejection_needs_a_reason():
    person, _, vendor_id = registered()
    client = reviewer()

    for body in ({"action": "REJECT"}, {"action": "REJECT", "rejection_reason": "   "}):
        assert_error(
            client.post(verify_url(vendor_id), body, format="json"), 422, "VALIDATION_ERROR", "rejection_reason"
        )
    assert Partner.objects.get(pk=vendor_id).onboarding_status == OnboardingStatus.PENDING
    assert not Notification.objects.filter(user=person).exists()


def test_rejecting_a_vendor_keeps_the_reason_and_tells_them():
    person, own, vendor_id = registered()

    response = reviewer().post(
        verify_url(vendor_id), {"action": "REJECT", "rejection_reason": "Blurry id proof"}, format="json"
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["approval_status"] == "REJECTED"
    assert data["is_verified"] is False
    assert data["rejection_reason"] == "Blurry id proof"
    partner = Partner.objects.get(pk=vendor_id)
    assert partner.onboarding_status == OnboardingStatus.REJECTED
    assert partner.rejection_reason == "Blurry id proof"
    assert not person.groups.filter(name=Role.PARTNER).exists()
    assert Notification.objects.filter(user=person, event_type="vendor_rejected").count() == 1
    assert AuditLog.objects.filter(action="reject_vendor", resource_id=vendor_id).exists()
    # and the rejected vendor may no longer ask for societies
    society = apartment()
    assert_error(
        own.post(societies_url(vendor_id), {"society_ids": [society.pk]}, format="json"), 403, "VENDOR_NOT_APPROVED"
    )


@pytest.mark.parametrize("first", ["APPROVE", "REJECT"])
def test_a_decided_vendor_cannot_be_decided_again(first):
    person, _, vendor_id = registered()
    client = reviewer()
    decide = {"APPROVE": {"action": "APPROVE"}, "REJECT": {"action": "REJECT", "rejection_reason": "No"}}
    assert client.post(verify_url(vendor_id), decide[first], format="json").status_code == 200
    state = Partner.objects.get(pk=vendor_id).onboarding_status

    for body in decide.values():
        response = client.post(verify_url(vendor_id), body, format="json")
        error = assert_error(response, 422, "INVALID_APPLICATION_STATUS")
        assert error["details"]["context"]["approval_status"] == ("APPROVED" if first == "APPROVE" else "REJECTED")
    assert Partner.objects.get(pk=vendor_id).onboarding_status == state
    assert Notification.objects.filter(user=person).count() == 1


def test_verifying_an_unknown_vendor_or_a_technician_is_not_found():
    technician = vendor(verified=False)
    Partner.objects.filter(pk=technician.pk).update(kind=PartnerKind.TECHNICIAN)
    client = reviewer()

    for vendor_id in ("00000000-0000-0000-0000-000000000001", technician.pk):
        response = client.post(verify_url(vendor_id), {"action": "APPROVE"}, format="json")
        assert_error(response, 404, "PARTNER_NOT_FOUND", "vendor_id")


def test_only_platform_verifiers_decide():
    _person, own, vendor_id = registered()

    for client in (own, client_for(make_user(Role.SUPPORT))):
        assert_error(client.post(verify_url(vendor_id), {"action": "APPROVE"}, format="json"), 403, "FORBIDDEN")
    assert Partner.objects.get(pk=vendor_id).onboarding_status == OnboardingStatus.PENDING
