"""The Django admin for societies: the tree on a society's page, roster import from a CSV file, and the
approve/reject actions for residents and vendor access (through the same services as the API)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.roles import Role
from core.models import AuditLog
from societies.models import ApprovalStatus, HierarchyNode, Residence, RosterEntry, ServiceArea, Society, VendorAccess
from societies.services import residents as resident_services
from tests.conftest import make_user
from tests.societies.helpers import apartment, resident, society_admin, unit, vendor

pytestmark = pytest.mark.django_db


def site(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_society_page_shows_its_tree_and_a_link_to_import_its_roster():
    society = apartment(name="Tree Court", towers=1, floors=1, flats=2)

    html = site(make_user(Role.ADMIN)).get(f"/admin/societies/society/{society.pk}/change/").content.decode()

    tree = html.split('<div class="readonly"><ul>', 1)[1].split("</ul></div>", 1)[0]
    assert "<b>Tree Court</b> SOCIETY" in tree
    assert "<b>Tower A</b> TOWER" in tree
    assert "<b>Flat A-001</b> UNIT" in tree
    assert "<b>Flat A-002</b> UNIT" in tree
    assert f"/admin/societies/society/{society.pk}/import-roster/" in html


def test_a_society_added_in_the_admin_gets_its_root_node():
    response = site(make_user(Role.SUPER_ADMIN)).post(
        "/admin/societies/society/add/",
        {
            "name": "Admin Added",
            "society_type": "APARTMENT",
            "city": "Kolkata",
            "pincode": "700001",
            "status": "ACTIVE",
            "has_subscription": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    society = Society.objects.get(name="Admin Added")
    root = HierarchyNode.objects.get(society=society, parent=None)
    assert (root.node_type, root.path) == ("SOCIETY", str(root.pk))


def test_the_roster_is_imported_from_a_csv_file_all_or_none():
    society = apartment(towers=1, floors=1, flats=2)
    client = site(make_user(Role.ADMIN))
    url = f"/admin/societies/society/{society.pk}/import-roster/"
    a1, a2 = unit(society, "A-001").pk, unit(society, "A-002").pk

    bad = (
        f"phone,unit_node_id,suggested_name,is_primary,notes\n9876500011,{a1},Ravi,yes,\n9876500012,{a2 + 999},X,no,\n"
    )
    response = client.post(url, {"file": SimpleUploadedFile("roster.csv", bad.encode())}, follow=True)
    assert "Nothing was imported. Line 3" in response.content.decode()
    assert not RosterEntry.objects.exists()

    good = f"phone,unit_node_id,suggested_name,is_primary,notes\n9876500011,{a1},Ravi,yes,\n9876500012,{a2},Mina,no,\n"
    response = client.post(url, {"file": SimpleUploadedFile("roster.csv", good.encode())}, follow=True)
    assert "Roster imported: 2 added, 0 updated." in response.content.decode()
    assert RosterEntry.objects.filter(society=society).count() == 2


def test_staff_who_may_not_import_rosters_are_turned_away():
    society = apartment(towers=1, floors=1, flats=1)
    response = site(make_user(Role.SUPPORT)).post(
        f"/admin/societies/society/{society.pk}/import-roster/",
        {"file": SimpleUploadedFile("r.csv", f"phone,unit_node_id\n9876500013,{unit(society, 'A-001').pk}\n".encode())},
    )
    assert response.status_code == 302
    assert not RosterEntry.objects.exists()


def test_residents_are_approved_and_rejected_with_admin_actions():
    society = apartment(towers=1, floors=1, flats=2)
    first, second = resident(), resident()
    rows = []
    for person, code in ((first, "A-001"), (second, "A-002")):
        residence, _ = resident_services.residence_register(
            user=person, data={"society_id": society.pk, "unit_node_id": unit(society, code).pk}
        )
        rows.append(residence)
    client = site(make_user(Role.ADMIN))

    client.post(
        "/admin/societies/residence/", {"action": "approve", "_selected_action": [str(rows[0].pk)]}, follow=True
    )
    response = client.post(
        "/admin/societies/residence/", {"action": "reject", "_selected_action": [str(r.pk) for r in rows]}, follow=True
    )

    statuses = dict(Residence.objects.values_list("pk", "verification_status"))
    assert statuses == {rows[0].pk: ApprovalStatus.VERIFIED, rows[1].pk: ApprovalStatus.REJECTED}
    assert "1 residence(s) rejected." in response.content.decode()  # the verified one was not pending any more
    assert Residence.objects.get(pk=rows[1].pk).rejection_reason == "Rejected in the back office"
    assert AuditLog.objects.filter(action="approve_resident", resource_id=str(rows[0].pk)).count() == 1


def test_vendor_access_is_approved_with_an_admin_action():
    society = apartment(towers=1, floors=1, flats=1)
    partner = vendor()
    access = VendorAccess.objects.create(partner=partner, society=society, requested_at=partner.created_at)

    site(make_user(Role.ADMIN)).post(
        "/admin/societies/vendoraccess/", {"action": "approve", "_selected_action": [str(access.pk)]}, follow=True
    )

    access.refresh_from_db()
    assert access.approval_status == ApprovalStatus.APPROVED
    assert ServiceArea.objects.filter(partner=partner, society=society, node=None).count() == 1


def test_a_society_admin_sees_only_their_societies_in_the_django_admin():
    mine, theirs = (
        apartment(name="Mine Court", towers=1, floors=1, flats=1),
        apartment(name="Their Court", towers=1, floors=1, flats=1),
    )
    for society in (mine, theirs):
        resident_services.residence_register(
            user=resident(), data={"society_id": society.pk, "unit_node_id": unit(society, "A-001").pk}
        )
    admin_user = society_admin(mine)
    client = site(admin_user)

    listed = client.get("/admin/societies/society/").content.decode()
    assert "Mine Court" in listed
    assert "Their Court" not in listed
    residences = client.get("/admin/societies/residence/")
    assert [r.society_id for r in residences.context["cl"].result_list] == [mine.pk]
    assert client.get(f"/admin/societies/society/{theirs.pk}/change/").status_code == 302  # not found: back to the list
    assert site(make_user(Role.ADMIN)).get("/admin/societies/residence/").context["cl"].result_count == 2
