"""Seed 001 3.1 through the API: a society admin decides residents and vendors, runs groups and service areas,
only in the societies they run."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from core.models import AuditLog
from notifications.models import Notification
from orders.models import RateCard
from orders.services import rate_cards
from partners.models import VendorService
from societies.models import ApprovalStatus, AssignmentType, Residence, ServiceArea, VendorAccess
from societies.services import residents as resident_services
from societies.services import vendors as vendor_services
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.orders.helpers import card
from tests.societies.helpers import apartment, group, laundry_services, resident, society_admin, unit, vendor

pytestmark = pytest.mark.django_db


def pending_resident(society, code="A-001"):
    person = resident()
    residence, _ = resident_services.residence_register(
        user=person, data={"society_id": society.pk, "unit_node_id": unit(society, code).pk}
    )
    return residence


def vendor_asking(society, **fields):
    partner = vendor(**fields)
    VendorAccess.objects.create(partner=partner, society=society, requested_at=partner.created_at)
    return partner


def approved_vendor(society):
    partner = vendor_asking(society)
    vendor_services.access_decide(society=society, vendor_id=partner.pk, action="APPROVE", by=make_user(Role.ADMIN))
    return partner


def base(society):
    return f"/api/v1/admin/society/{society.pk}"


# --- residents --------------------------------------------------------------------------------------


def test_pending_residents_list_with_flat_and_days_pending():
    society = apartment()
    residence = pending_resident(society, "B-101")
    pending_resident(apartment())  # another society's

    data = client_for(society_admin(society)).get(f"{base(society)}/residents/pending").json()["data"]

    [row] = data["residents"]
    assert row["resident_id"] == str(residence.pk)
    assert row["user_id"] == str(residence.user_id)
    assert (row["flat_number"], row["tower"], row["floor"], row["days_pending"]) == ("B-101", "Tower B", 1, 0)
    assert data["pagination"] == {
        "page": 1,
        "limit": 20,
        "total": 1,
        "total_pages": 1,
        "current_page": 1,
        "total_items": 1,
        "items_per_page": 20,
    }


def test_approving_a_resident_verifies_notifies_and_audits():
    society = apartment()
    residence = pending_resident(society)
    admin = society_admin(society)

    response = client_for(admin).post(
        f"{base(society)}/residents/{residence.pk}/approve", {"action": "APPROVE", "notes": "Known"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Resident approved successfully"
    data = response.json()["data"]
    assert (data["verification_status"], data["flat_number"], data["notification_sent"]) == ("VERIFIED", "A-001", True)
    assert data["approved_by"] == admin.full_name
    assert data["approved_at"]
    residence.refresh_from_db()
    assert residence.verification_status == ApprovalStatus.VERIFIED
    assert residence.approved_by == admin
    assert Notification.objects.filter(user=residence.user, event_type="residence_verified").count() == 1
    entry = AuditLog.objects.get(action="approve_resident", resource_id=str(residence.pk))
    assert entry.actor == admin
    assert entry.changes["verification_status"] == {"old": "PENDING", "new": "VERIFIED"}


def test_rejecting_needs_a_reason_and_records_it():
    society = apartment()
    residence = pending_resident(society)
    client = client_for(society_admin(society))
    url = f"{base(society)}/residents/{residence.pk}/approve"

    assert_error(client.post(url, {"action": "REJECT"}, format="json"), 422, "VALIDATION_ERROR", "rejection_reason")
    assert_error(client.post(url, {"action": "MAYBE"}, format="json"), 422, "VALIDATION_ERROR", "action")
    response = client.post(url, {"action": "REJECT", "rejection_reason": "Not on our list"}, format="json")

    assert response.json()["data"]["verification_status"] == "REJECTED"
    assert response.json()["data"]["rejection_reason"] == "Not on our list"
    assert Notification.objects.filter(user=residence.user, event_type="residence_rejected").count() == 1
    listed = client_for(residence.user).get(f"/api/v1/residents/{residence.user_id}/residences").json()["data"]
    assert listed["residences"][0]["rejection_reason"] == "Not on our list"


def test_a_decided_resident_cannot_be_decided_again():
    society = apartment()
    residence = pending_resident(society)
    client = client_for(society_admin(society))
    url = f"{base(society)}/residents/{residence.pk}/approve"
    client.post(url, {"action": "APPROVE"}, format="json")

    error = assert_error(
        client.post(url, {"action": "REJECT", "rejection_reason": "Changed my mind"}, format="json"),
        422,
        "INVALID_APPROVAL_STATUS",
    )
    assert error["details"]["context"] == {"status": "VERIFIED", "requested": "REJECTED"}


def test_a_resident_of_another_society_is_not_found_here():
    society, other = apartment(), apartment()
    residence = pending_resident(other)

    assert_error(
        client_for(society_admin(society)).post(
            f"{base(society)}/residents/{residence.pk}/approve", {"action": "APPROVE"}, format="json"
        ),
        404,
        "RESIDENT_NOT_FOUND",
        "resident_id",
    )


def test_approving_the_only_residence_of_someone_whose_first_was_rejected_makes_it_active():
    first, second = apartment(), apartment()
    residence = pending_resident(first)
    Residence.objects.filter(pk=residence.pk).update(
        verification_status=ApprovalStatus.REJECTED, is_active=False, is_primary=False
    )
    later, _ = resident_services.residence_register(
        user=residence.user, data={"society_id": second.pk, "unit_node_id": unit(second, "A-001").pk}
    )
    assert later.is_active is False

    client_for(society_admin(second)).post(
        f"{base(second)}/residents/{later.pk}/approve", {"action": "APPROVE"}, format="json"
    )

    later.refresh_from_db()
    assert (later.is_active, later.is_primary) == (True, True)


# --- scope ------------------------------------------------------------------------------------------


SCOPED = [
    ("get", "/residents/pending", None),
    ("post", "/residents/{resident}/approve", {"action": "APPROVE"}),
    ("get", "/vendors/pending", None),
    ("post", "/vendors/{vendor}/approve", {"action": "APPROVE"}),
    ("get", "/groups", None),
    ("post", "/groups", {"group_name": "Tower Z", "group_code": "TZ", "group_type": "TOWER"}),
    ("get", "/vendors/{vendor}/service-areas", None),
    ("post", "/vendors/{vendor}/service-areas", {"node_id": None}),
    ("put", "/vendors/{vendor}/service-areas", {"assignment_type": "SOCIETY"}),
    ("delete", "/vendors/{vendor}/service-areas/1", None),
    ("post", "/roster", {"rows": [{"phone": "+919876500001", "unit_node_id": 1}]}),
]


@pytest.mark.parametrize(("method", "path", "body"), SCOPED)
def test_a_society_admin_acts_only_on_their_own_societies(method, path, body):
    mine, theirs = apartment(), apartment()
    residence, partner = pending_resident(theirs), vendor_asking(theirs)
    url = f"{base(theirs)}{path}".format(resident=residence.pk, vendor=partner.pk)

    response = getattr(client_for(society_admin(mine)), method)(url, body, format="json")

    assert_error(response, 403, "FORBIDDEN")
    residence.refresh_from_db()
    assert residence.verification_status == ApprovalStatus.PENDING
    assert VendorAccess.objects.get(partner=partner).approval_status == ApprovalStatus.PENDING


@pytest.mark.parametrize(("method", "path", "body"), SCOPED[:6])
def test_platform_staff_act_on_every_society_and_customers_on_none(method, path, body):
    society = apartment()
    residence, partner = pending_resident(society), vendor_asking(society)
    url = f"{base(society)}{path}".format(resident=residence.pk, vendor=partner.pk)

    assert getattr(client_for(make_user(Role.ADMIN)), method)(url, body, format="json").status_code in (200, 201)
    assert_error(getattr(client_for(resident()), method)(url, body, format="json"), 403, "FORBIDDEN")


def test_an_unknown_society_is_not_found_for_everyone():
    for user in (make_user(Role.ADMIN), society_admin(apartment())):
        assert_error(client_for(user).get("/api/v1/admin/society/987654/residents/pending"), 404, "SOCIETY_NOT_FOUND")


# --- vendors ----------------------------------------------------------------------------------------


def test_pending_vendors_show_services_and_platform_status():
    society = apartment()
    partner = vendor_asking(society, verified=False, business_name="Fresh Fold")

    data = client_for(society_admin(society)).get(f"{base(society)}/vendors/pending").json()["data"]

    [row] = data["vendors"]
    assert (row["vendor_id"], row["business_name"], row["approval_status"]) == (
        str(partner.pk),
        "Fresh Fold",
        "PENDING",
    )
    assert row["platform_approval_status"] == "PENDING"
    assert row["has_rate_card"] is False
    assert data["pagination"]["total_items"] == 1


def test_approving_a_vendor_makes_it_serve_the_whole_society():
    society = apartment()
    partner = vendor_asking(society)
    admin = society_admin(society)

    response = client_for(admin).post(
        f"{base(society)}/vendors/{partner.pk}/approve", {"action": "APPROVE"}, format="json"
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["approval_status"], data["society_id"]) == ("APPROVED", society.pk)
    assert data["next_steps"]["has_rate_card"] is False
    [area] = ServiceArea.objects.filter(partner=partner, society=society)
    assert (area.assignment_type, area.node) == (AssignmentType.SOCIETY, None)
    assert Notification.objects.filter(user=partner.user, event_type="vendor_society_approved").count() == 1
    assert AuditLog.objects.filter(action="approve_vendor_for_society", actor=admin).count() == 1


def test_rejecting_a_vendor_and_deciding_twice():
    society = apartment()
    partner = vendor_asking(society)
    client = client_for(society_admin(society))
    url = f"{base(society)}/vendors/{partner.pk}/approve"

    response = client.post(url, {"action": "REJECT", "rejection_reason": "No laundry needed"}, format="json")

    assert response.json()["data"]["approval_status"] == "REJECTED"
    assert response.json()["data"]["rejection_reason"] == "No laundry needed"
    assert not ServiceArea.objects.filter(partner=partner).exists()
    assert_error(client.post(url, {"action": "APPROVE"}, format="json"), 422, "INVALID_APPROVAL_STATUS")
    assert_error(
        client.post(f"{base(society)}/vendors/{vendor().pk}/approve", {"action": "APPROVE"}, format="json"),
        404,
        "VENDOR_NOT_FOUND",
        "vendor_id",
    )


# --- groups -----------------------------------------------------------------------------------------


def test_groups_are_created_and_listed_by_type():
    society = apartment(towers=1)
    client = client_for(society_admin(society))

    response = client.post(
        f"{base(society)}/groups",
        {"group_name": "Block C", "group_code": "BC", "group_type": "BLOCK", "total_floors": 4, "total_units": 16},
        format="json",
    )

    assert response.status_code == 201, response.content
    created = response.json()["data"]
    assert (created["group_type"], created["total_units"], created["society_id"]) == ("BLOCK", 16, society.pk)
    listed = client.get(f"{base(society)}/groups").json()["data"]
    assert sorted(g["group_code"] for g in listed["groups"]) == ["BC", "TA"]
    blocks = client.get(f"{base(society)}/groups", {"group_type": "BLOCK"}).json()["data"]["groups"]
    assert [g["group_id"] for g in blocks] == [created["group_id"]]


def test_a_group_code_is_unique_in_its_society_and_the_type_must_be_a_group_type():
    society = apartment(towers=1)
    client = client_for(society_admin(society))

    assert_error(
        client.post(
            f"{base(society)}/groups", {"group_name": "Again", "group_code": "TA", "group_type": "TOWER"}, format="json"
        ),
        409,
        "CONFLICT",
        "node_code",
    )
    assert_error(
        client.post(
            f"{base(society)}/groups", {"group_name": "Floor", "group_code": "F9", "group_type": "FLOOR"}, format="json"
        ),
        422,
        "VALIDATION_ERROR",
        "group_type",
    )


# --- service areas ----------------------------------------------------------------------------------


def test_assigning_groups_narrows_a_vendor_from_the_whole_society():
    society = apartment(towers=3, floors=1, flats=2)
    partner = approved_vendor(society)
    client = client_for(society_admin(society))
    url = f"{base(society)}/vendors/{partner.pk}/service-areas"

    response = client.post(url, {"node_ids": [group(society, "TA").pk, group(society, "TB").pk]}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [a["group_name"] for a in data["assignments"]] == ["Tower A", "Tower B"]
    assert {a["assignment_type"] for a in data["assignments"]} == {"GROUP"}
    assert data["coverage_summary"]["covers_entire_society"] is False
    assert data["coverage_summary"]["groups_assigned"] == 2
    assert data["coverage_summary"]["total_groups_in_society"] == 3
    assert data["coverage_summary"]["estimated_households"] == 4
    got = client.get(url).json()["data"]["coverage_summary"]
    assert got["groups_assigned"] == ["Tower A", "Tower B"]
    assert got["coverage_percentage"] == 67
    assert got["assignment_level"] == "GROUP"

    again = client.post(url, {"node_id": group(society, "TA").pk}, format="json").json()["data"]
    assert len(again["assignments"]) == 2  # idempotent
    whole = client.post(url, {"node_id": None}, format="json").json()["data"]
    assert [a["assignment_type"] for a in whole["assignments"]] == ["SOCIETY"]
    assert whole["coverage_summary"]["estimated_households"] == 6


def test_a_service_area_is_only_the_society_or_one_of_its_groups():
    society, other = apartment(), apartment()
    partner = approved_vendor(society)
    client = client_for(society_admin(society))
    url = f"{base(society)}/vendors/{partner.pk}/service-areas"

    floor = unit(society, "A-001").parent
    assert_error(client.post(url, {"node_ids": [floor.pk]}, format="json"), 422, "VALIDATION_ERROR", "node_ids")
    assert_error(
        client.post(url, {"node_ids": [unit(society, "A-001").pk]}, format="json"), 422, "VALIDATION_ERROR", "node_ids"
    )
    assert_error(
        client.post(url, {"node_ids": [group(other, "TA").pk]}, format="json"), 404, "NODE_NOT_FOUND", "node_ids"
    )
    assert_error(client.put(url, {"assignment_type": "GROUP"}, format="json"), 422, "VALIDATION_ERROR", "group_ids")
    [area] = ServiceArea.objects.filter(partner=partner)
    assert area.assignment_type == AssignmentType.SOCIETY  # nothing changed


def test_areas_need_a_vendor_approved_in_this_society():
    society = apartment()
    pending = vendor_asking(society)

    error = assert_error(
        client_for(society_admin(society)).post(
            f"{base(society)}/vendors/{pending.pk}/service-areas", {"node_id": None}, format="json"
        ),
        403,
        "VENDOR_NOT_APPROVED",
        "vendor_id",
    )
    assert error["details"]["context"]["vendor_approval_status"] == "PENDING"


def test_replacing_and_deleting_areas():
    society = apartment(towers=3, floors=1, flats=1)
    partner = approved_vendor(society)
    client = client_for(society_admin(society))
    url = f"{base(society)}/vendors/{partner.pk}/service-areas"

    response = client.put(
        url,
        {"assignment_type": "GROUP", "group_ids": [group(society, "TB").pk, group(society, "TC").pk]},
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["previous_assignments"] == [{"assignment_type": "SOCIETY", "covers_entire_society": True}]
    assert data["new_assignments"] == [
        {"assignment_type": "GROUP", "covers_entire_society": False, "groups": ["Tower B", "Tower C"]}
    ]
    areas = list(ServiceArea.objects.filter(partner=partner).order_by("pk"))
    first = areas[0]
    deleted = client.delete(f"{url}/{first.pk}")
    assert deleted.json()["data"] == {
        "assignment_id": first.pk,
        "vendor_id": str(partner.pk),
        "remaining_assignments": 1,
    }
    client.delete(f"{url}/{areas[1].pk}")
    assert client.get(url).json()["data"]["assignments"] == []  # covers nothing, not silently everything
    assert_error(client.delete(f"{url}/{areas[1].pk}"), 404, "ASSIGNMENT_NOT_FOUND", "assignment_id")
    assert AuditLog.objects.filter(action="replace_service_areas").count() == 1
    assert AuditLog.objects.filter(action="delete_service_area").count() == 2


def test_a_resident_sees_how_many_vendors_with_a_published_card_serve_their_flat():
    society = apartment(towers=2, floors=1, flats=1)
    partner = approved_vendor(society)
    client_for(make_user(Role.ADMIN)).put(
        f"{base(society)}/vendors/{partner.pk}/service-areas",
        {"assignment_type": "GROUP", "group_ids": [group(society, "TB").pk]},
        format="json",
    )
    in_a, in_b = resident(), resident()
    for person, code in ((in_a, "A-001"), (in_b, "B-001")):
        residence, _ = resident_services.residence_register(
            user=person, data={"society_id": society.pk, "unit_node_id": unit(society, code).pk}
        )
        Residence.objects.filter(pk=residence.pk).update(verification_status=ApprovalStatus.VERIFIED)

    def vendors_for(person):
        response = client_for(person).post(
            f"/api/v1/residents/{person.pk}/switch-society", {"society_id": society.pk}, format="json"
        )
        return response.json()["data"]["available_vendors"]

    assert (vendors_for(in_a), vendors_for(in_b)) == (0, 0)  # no published rate card: nothing to order yet

    ironing, _ = laundry_services()
    card(partner, society, {ironing: [("Shirt", "10.00")]}, publish=False)
    assert (vendors_for(in_a), vendors_for(in_b)) == (0, 0)  # a draft is not enough
    rate_card = RateCard.objects.get(partner=partner, society=society)
    rate_cards.rate_card_publish(user=partner.user, vendor_id=partner.pk, rate_card_id=rate_card.pk)
    assert (vendors_for(in_a), vendors_for(in_b)) == (0, 1)


def test_the_society_admins_lists_take_the_same_queries_at_two_sizes():

    services = laundry_services()

    def society_of(size):
        society = apartment(towers=size, floors=1, flats=size)
        for n in range(size):
            pending_resident(society, f"A-00{n + 1}")
            partner = vendor_asking(society)
            for service in services:
                VendorService.objects.create(partner=partner, service=service, turnaround_hours=24)
        partner = approved_vendor(society)
        vendor_services.areas_assign(
            society=society,
            vendor_id=partner.pk,
            node_ids=[group(society, f"T{'ABCDE'[n]}").pk for n in range(size)],
            by=make_user(Role.ADMIN),
        )
        return society, partner

    def counts(society, partner):
        admin = client_for(society_admin(society))
        found = query_counts(
            admin,
            [
                f"{base(society)}/residents/pending",
                f"{base(society)}/vendors/pending",
                f"{base(society)}/groups",
                f"{base(society)}/vendors/{partner.pk}/service-areas",
            ],
        )
        return list(found.values())

    small, large = society_of(1), society_of(5)
    assert (
        len(client_for(society_admin(large[0])).get(f"{base(large[0])}/vendors/pending").json()["data"]["vendors"]) == 5
    )
    assert counts(*small) == counts(*large)


def test_my_residences_take_the_same_queries_for_one_and_three():

    one, three = resident(), resident()
    for person, count in ((one, 1), (three, 3)):
        for _ in range(count):
            society = apartment(towers=1, floors=1, flats=1)
            resident_services.residence_register(
                user=person, data={"society_id": society.pk, "unit_node_id": unit(society, "A-001").pk}
            )

    def count(person):
        return list(query_counts(client_for(person), [f"/api/v1/residents/{person.pk}/residences"]).values())

    assert count(one) == count(three)
