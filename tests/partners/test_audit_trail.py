"""Staff writes in the partners app leave audit entries with seed-style names and real before/after values (issue 14
item 10): partners (create, update, verify, availability), payouts (create, start, process, fail, release) and a
manual assignment, which also sends the ``partner.assigned`` webhook."""

from __future__ import annotations

import json

import pytest

from accounts.roles import Role
from core.models import AuditLog
from notifications import webhooks
from notifications.models import Delivery
from partners.models import EarningStatus, Partner, PartnerEarning, PartnerPayout
from partners.services import dispatch, jobs
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db

API = "/api/v1"
PARTNERS = f"{API}/admin/partners"
AADHAR, PAN, BANK = "123456789012", "ABCDE1234F", "1234567890"


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is True, body
    return body["data"]


def staff(role: Role = Role.ADMIN):
    person = make_user(role, full_name=f"{role.label} Person")
    return person, client_for(person)


def entry(action: str) -> AuditLog:
    return AuditLog.objects.get(action=action)


def assert_no_kyc_in_clear(*texts: str) -> None:
    for text in texts:
        for raw in (AADHAR, PAN, BANK):
            assert raw not in text


def earn(partner: Partner, hour: int, *, online: bool = True) -> PartnerEarning:
    booking = h.booking(start=h.next_weekday_at(hour), method="online" if online else "cash", paid=online)
    assert dispatch.dispatch_booking(booking.pk).partner_id == partner.pk
    dispatch.offer_accept(partner=partner, booking_id=booking.pk)
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="in_transit")
    jobs.job_advance(partner=partner, booking_id=booking.pk, status="arrived")
    return jobs.job_complete(partner=partner, booking_id=booking.pk)[1]


# --- partners --------------------------------------------------------------------------------------


def test_creating_a_partner_records_create_partner_with_every_value_and_kyc_masked():
    admin, client = staff()
    h.category("FACIAL")
    body = {
        "name": "Priya Sharma",
        "phone_number": "+919876543210",
        "email": "priya@example.com",
        "aadhar_number": AADHAR,
        "pan_number": PAN,
        "bank_account_number": BANK,
        "ifsc_code": "SBIN0001234",
        "service_categories": ["Facial"],
        "service_tiers": ["Minimal"],
        "working_hours": {"start": "08:00", "end": "20:00", "days": [1, 2]},
    }

    data = ok(client.post(PARTNERS, body, format="json", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="ops/1"), 201)

    created = entry("create_partner")
    assert AuditLog.objects.count() == 1  # the tailored entry, not the middleware's route-and-body fallback
    assert (created.actor, created.resource_type, created.resource_id) == (admin, "partner", data["partner"]["id"])
    assert (created.ip_address, created.user_agent, created.via) == ("10.1.2.3", "ops/1", "api")
    changes = created.changes
    assert changes["name"] == {"old": None, "new": "Priya Sharma"}
    assert changes["phone"] == {"old": None, "new": "+919876543210"}
    assert changes["partner_code"] == {"old": None, "new": data["partner_code"]}
    assert changes["service_categories"] == {"old": None, "new": ["Facial"]}
    assert changes["working_days"] == {"old": None, "new": ["1 08:00-20:00", "2 08:00-20:00"]}
    assert changes["aadhar_number"] == {"old": None, "new": "XXXXXXXX9012"}
    assert changes["pan_number"] == {"old": None, "new": "XXXXXX234F"}
    assert changes["bank_account_number"] == {"old": None, "new": "XXXXXX7890"}
    assert changes["aadhar_encrypted"]["new"].startswith("[secret ")
    assert "aadhar_hash" not in changes
    assert_no_kyc_in_clear(json.dumps(changes))


def test_updating_a_partner_records_what_changed_before_and_after():
    admin, client = staff()
    partner = h.partner()
    h.category("WAXING")
    body = {"name": "Renamed", "is_active": False, "service_categories": ["Waxing"], "pan_number": PAN}

    ok(client.put(f"{PARTNERS}/{partner.pk}", body, format="json"))

    updated = entry("update_partner")
    assert (updated.actor, updated.resource_id) == (admin, str(partner.pk))
    changes = updated.changes
    assert changes["name"] == {"old": partner.name, "new": "Renamed"}
    assert changes["is_active"] == {"old": True, "new": False}
    assert changes["service_categories"] == {"old": ["Facial"], "new": ["Waxing"]}
    assert changes["pan_number"] == {"old": "", "new": "XXXXXX234F"}
    assert changes["pan_encrypted"]["old"] == ""
    assert changes["pan_encrypted"]["new"].startswith("[secret ")
    assert "phone" not in changes  # unchanged fields are not listed
    assert "updated_at" not in changes
    assert_no_kyc_in_clear(json.dumps(changes))


def test_a_refused_update_records_nothing():
    _, client = staff()
    partner = h.partner()

    response = client.put(f"{PARTNERS}/{partner.pk}", {"service_categories": ["Nope"]}, format="json")

    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "service_categories"
    assert not AuditLog.objects.exists()


def test_verifying_a_partner_records_verify_partner():
    admin, client = staff()
    partner = h.partner(verified=False)

    ok(client.post(f"{PARTNERS}/{partner.pk}/verify", {"onboarding_status": "verified", "notes": "ok"}, format="json"))

    verified = entry("verify_partner")
    assert (verified.actor, verified.resource_type, verified.resource_id) == (admin, "partner", str(partner.pk))
    assert verified.changes["onboarding_status"] == {"old": "pending", "new": "verified"}
    assert verified.changes["onboarding_notes"] == {"old": "", "new": "ok"}
    assert verified.changes["verified_by"] == {"old": None, "new": str(admin.pk)}
    assert verified.changes["verified_at"]["old"] is None
    assert AuditLog.objects.count() == 1


def test_setting_a_partners_availability_records_the_switch_and_the_hours():
    admin, client = staff()
    partner = h.partner(days=[1, 2, 3])
    body = {"is_available": False, "working_hours": {"start": "09:00", "end": "17:00", "days": [1, 2]}}

    ok(client.patch(f"{PARTNERS}/{partner.pk}/availability", body, format="json"))

    changed = entry("update_partner_availability")
    assert (changed.actor, changed.resource_id) == (admin, str(partner.pk))
    assert changed.changes["is_available"] == {"old": True, "new": False}
    assert changed.changes["working_days"] == {
        "old": ["1 08:00-20:00", "2 08:00-20:00", "3 08:00-20:00"],
        "new": ["1 09:00-17:00", "2 09:00-17:00"],
    }
    assert "last_seen_at" not in changed.changes  # staff switching a partner is not the partner being seen
    assert AuditLog.objects.count() == 1


def test_the_django_admins_verify_action_records_each_partner_once(client):
    admin = make_user(Role.SUPER_ADMIN, email="root@example.com")
    client.force_login(admin)
    first, second = h.partner(verified=False), h.partner(verified=False)

    response = client.post(
        "/admin/partners/partner/", {"action": "verify", "_selected_action": [str(first.pk), str(second.pk)]}
    )

    assert response.status_code == 302
    entries = AuditLog.objects.all()
    assert sorted(e.resource_id for e in entries) == sorted([str(first.pk), str(second.pk)])
    assert {(e.action, e.via) for e in entries} == {("verify_partner", "admin_site")}


# --- payouts ---------------------------------------------------------------------------------------


def test_a_payouts_life_is_recorded_create_start_process():
    finance, client = staff(Role.FINANCE)
    partner = h.partner()
    earnings = [earn(partner, 8), earn(partner, 10)]

    created = ok(client.post(f"{API}/admin/payouts", {"partner_id": str(partner.pk)}, format="json"), 201)
    payout_id = created["payout"]["id"]
    ok(client.post(f"{API}/admin/payouts/{payout_id}/start", {}, format="json"))
    ok(client.post(f"{API}/admin/payouts/{payout_id}/process", {"bank_transaction_id": "UTR123"}, format="json"))

    create = entry("create_payout")
    assert (create.actor, create.resource_type, create.resource_id) == (finance, "partnerpayout", payout_id)
    assert create.changes["status"] == {"old": None, "new": "pending"}
    assert create.changes["net_amount"] == {"old": None, "new": "1400.00"}
    assert sorted(create.changes["earning_ids"]) == sorted(str(e.pk) for e in earnings)
    start = entry("start_payout")
    assert start.changes["status"] == {"old": "pending", "new": "processing"}
    assert start.changes["processed_by"] == {"old": None, "new": str(finance.pk)}
    process = entry("process_payout")
    assert process.changes["status"] == {"old": "processing", "new": "completed"}
    assert process.changes["bank_transaction_id"] == {"old": "", "new": "UTR123"}
    assert process.changes["processed_at"]["old"] is None
    assert sorted(process.changes["earnings_paid"]) == sorted(str(e.pk) for e in earnings)
    assert AuditLog.objects.filter(resource_type="partnerpayout").count() == 3


def test_a_failed_payout_records_the_reason_and_the_earnings_returned():
    finance, client = staff(Role.FINANCE)
    partner = h.partner()
    earning = earn(partner, 8)
    payout_id = ok(client.post(f"{API}/admin/payouts", {"partner_id": str(partner.pk)}, format="json"), 201)["payout"][
        "id"
    ]

    ok(client.post(f"{API}/admin/payouts/{payout_id}/fail", {"failure_reason": "IFSC wrong"}, format="json"))

    failed = entry("fail_payout")
    assert (failed.actor, failed.resource_id) == (finance, payout_id)
    assert failed.changes["status"] == {"old": "pending", "new": "failed"}
    assert failed.changes["failure_reason"] == {"old": "", "new": "IFSC wrong"}
    assert failed.changes["earnings_returned"] == [str(earning.pk)]


def test_an_illegal_payout_move_records_nothing():
    _, client = staff(Role.FINANCE)
    partner = h.partner()
    earn(partner, 8)
    payout_id = ok(client.post(f"{API}/admin/payouts", {"partner_id": str(partner.pk)}, format="json"), 201)["payout"][
        "id"
    ]
    ok(client.post(f"{API}/admin/payouts/{payout_id}/process", {}, format="json"))

    again = client.post(f"{API}/admin/payouts/{payout_id}/fail", {"failure_reason": "late"}, format="json")

    assert again.status_code == 422
    assert again.json()["error"]["code"] == "INVALID_PAYOUT_STATUS"
    assert not AuditLog.objects.filter(action="fail_payout").exists()


def test_releasing_one_earning_records_the_release_and_its_payout():
    ops, client = staff(Role.OPS_MANAGER)
    partner = h.partner()
    earning = earn(partner, 8)

    data = ok(client.post(f"{API}/admin/earnings/{earning.pk}/release", {}, format="json"))

    payout = PartnerPayout.objects.get(payout_number=data["payout_number"])
    released = entry("release_earning")
    assert (released.actor, released.resource_type, released.resource_id) == (ops, "partnerearning", str(earning.pk))
    assert released.changes["status"] == {"old": EarningStatus.PENDING, "new": EarningStatus.PAID}
    assert released.changes["payout"] == {"old": None, "new": str(payout.pk)}
    assert released.changes["payout_number"] == payout.payout_number
    assert {e.action for e in AuditLog.objects.filter(resource_id=str(payout.pk))} == {
        "create_payout",
        "process_payout",
    }


# --- manual assignment -----------------------------------------------------------------------------


def test_a_manual_assignment_records_assign_partner_and_sends_the_partner_assigned_webhook(
    customer, django_capture_on_commit_callbacks
):
    webhooks.endpoint_create(url="https://hooks.example.com/in", events=["partner.assigned"])
    first, second = h.partner(at=h.NEAR), h.partner(at=h.MID)
    booking = h.booking(customer)
    ops, client = staff(Role.OPS_MANAGER)
    url = f"{API}/admin/bookings/{booking.pk}/assign-partner"

    with django_capture_on_commit_callbacks(execute=True):
        data = ok(client.post(url, {"partner_id": str(first.pk)}, format="json"))

    assigned = entry("assign_partner")
    assert (assigned.actor, assigned.resource_type, assigned.resource_id) == (ops, "booking", str(booking.pk))
    assert assigned.changes["status"] == {"old": "pending", "new": "confirmed"}
    assert assigned.changes["partner"] == {
        "old": None,
        "new": {
            "id": str(first.pk),
            "partner_code": first.partner_code,
            "assignment_id": data["assignment"]["id"],
            "assignment_status": "accepted",
        },
    }
    assert assigned.changes["forced"] is False
    [delivery] = Delivery.objects.filter(channel="webhook", event_type="partner.assigned")
    sent = json.loads(delivery.body)
    assert (sent["event"], sent["data"]["booking_id"], sent["data"]["status"]) == (
        "partner.assigned",
        str(booking.pk),
        "confirmed",
    )
    assert sent["data"]["partner"]["id"] == str(first.pk)
    confirmed = customer.notifications.get(event_type="booking_confirmed")
    assert first.name in confirmed.message  # the customer hears who is coming, as after a partner's accept

    with django_capture_on_commit_callbacks(execute=True):
        ok(client.post(url, {"partner_id": str(second.pk)}, format="json"))

    moved = AuditLog.objects.filter(action="assign_partner").order_by("-created_at").first()
    assert moved.changes["partner"]["old"]["partner_code"] == first.partner_code
    assert moved.changes["partner"]["old"]["assignment_status"] == "accepted"
    assert moved.changes["partner"]["new"]["partner_code"] == second.partner_code
    assert Delivery.objects.filter(channel="webhook", event_type="partner.assigned").count() == 2


def test_a_refused_manual_assignment_records_nothing_and_sends_no_webhook(customer):
    webhooks.endpoint_create(url="https://hooks.example.com/in", events=[])
    misfit = h.partner(categories=("WAXING",))
    booking = h.booking(customer)
    _, client = staff(Role.OPS_MANAGER)

    response = client.post(
        f"{API}/admin/bookings/{booking.pk}/assign-partner", {"partner_id": str(misfit.pk)}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "NO_PARTNER_AVAILABLE"
    assert not AuditLog.objects.filter(resource_type="booking").exists()
    assert not Delivery.objects.filter(channel="webhook").exists()
    assert Partner.objects.get(pk=misfit.pk).total_bookings == 0
