"""Seed 001 3.1.6-3.1.8 through the API: the tree, adding nodes, finding units; and the platform's set-up
(creating a society, importing its roster as JSON or CSV, appointing a society admin)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from core.models import AuditLog
from societies.models import HierarchyNode, NodeType, RosterEntry, Society, SocietyAdminScope
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user
from tests.societies.helpers import apartment, group, resident, society_admin, unit

pytestmark = pytest.mark.django_db


def test_the_tree_nests_every_node_under_its_parent():
    society = apartment(towers=2, floors=2, flats=2)

    data = client_for(resident()).get(f"/api/v1/societies/{society.pk}/hierarchy").json()["data"]

    root = data["root_node"]
    assert (root["node_type"], root["level_depth"], root["parent_node_id"], root["path"]) == (
        "SOCIETY",
        1,
        None,
        str(root["node_id"]),
    )
    assert [t["node_name"] for t in root["children"]] == ["Tower A", "Tower B"]
    tower = root["children"][0]
    assert tower["path"] == f"{root['node_id']}.{tower['node_id']}"
    assert [f["node_code"] for f in tower["children"]] == ["0", "1"]
    assert [u["node_code"] for u in tower["children"][1]["children"]] == ["A-101", "A-102"]
    assert tower["children"][1]["children"][0]["level_depth"] == 4


def test_filtering_by_node_type_keeps_the_way_to_the_matching_nodes():
    society = apartment(towers=1, floors=1, flats=2)
    HierarchyNode.objects.filter(node_code="A-002").update(is_active=False)

    root = (
        client_for(resident())
        .get(f"/api/v1/societies/{society.pk}/hierarchy", {"node_types": "UNIT"})
        .json()["data"]["root_node"]
    )
    assert [u["node_code"] for u in root["children"][0]["children"][0]["children"]] == ["A-001"]
    with_inactive = (
        client_for(resident())
        .get(f"/api/v1/societies/{society.pk}/hierarchy", {"node_types": "UNIT", "include_inactive": "true"})
        .json()["data"]["root_node"]
    )
    assert [u["node_code"] for u in with_inactive["children"][0]["children"][0]["children"]] == ["A-001", "A-002"]
    assert_error(
        client_for(resident()).get(f"/api/v1/societies/{society.pk}/hierarchy", {"node_types": "STREET"}),
        422,
        "VALIDATION_ERROR",
        "node_types",
    )
    assert_error(client_for(resident()).get("/api/v1/societies/99999/hierarchy"), 404, "SOCIETY_NOT_FOUND")


def test_a_node_is_added_under_its_parent_with_its_depth_and_path():
    society = apartment(towers=1, floors=1, flats=1)
    floor = unit(society, "A-001").parent

    response = client_for(society_admin(society)).post(
        f"/api/v1/societies/{society.pk}/hierarchy/nodes",
        {"parent_node_id": floor.pk, "node_type": "UNIT", "node_code": "A-009", "node_name": "Flat A-009"},
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["level_depth"] == floor.level_depth + 1
    assert data["path"] == f"{floor.path}.{data['node_id']}"
    assert data["society_id"] == society.pk
    assert data["is_active"] is True


def test_bad_nodes_are_refused():
    society, other = apartment(towers=1, floors=1, flats=1), apartment(towers=1, floors=1, flats=1)
    client = client_for(society_admin(society))
    url = f"/api/v1/societies/{society.pk}/hierarchy/nodes"

    assert_error(
        client.post(
            url,
            {"parent_node_id": group(other, "TA").pk, "node_type": "FLOOR", "node_code": "9", "node_name": "Floor 9"},
            format="json",
        ),
        404,
        "NODE_NOT_FOUND",
        "parent_node_id",
    )
    assert_error(
        client.post(
            url,
            {"parent_node_id": group(society, "TA").pk, "node_type": "FLOOR", "node_code": "0", "node_name": "Again"},
            format="json",
        ),
        409,
        "CONFLICT",
        "node_code",
    )
    assert_error(
        client.post(url, {"node_type": "SOCIETY", "node_code": "X", "node_name": "Second root"}, format="json"),
        422,
        "VALIDATION_ERROR",
        "node_type",
    )
    assert_error(
        client.post(url, {"node_type": "STREET", "node_code": "X", "node_name": "X"}, format="json"),
        422,
        "VALIDATION_ERROR",
        "node_type",
    )
    assert_error(
        client_for(resident()).post(url, {"node_type": "TOWER", "node_code": "X", "node_name": "X"}, format="json"),
        403,
        "FORBIDDEN",
    )


def test_units_are_found_by_code_with_their_ancestors_and_full_path():
    society = apartment(name="Green Valley", towers=2, floors=2, flats=2)

    data = client_for(resident()).get(f"/api/v1/societies/{society.pk}/units", {"search": "B-10"}).json()["data"]

    assert [u["node_code"] for u in data["units"]] == ["B-101", "B-102"]
    first = data["units"][0]
    assert first["full_path"] == "Green Valley / Tower B / Floor 1 / Flat B-101"
    assert [a["node_type"] for a in first["ancestors"]] == ["SOCIETY", "TOWER", "FLOOR"]
    assert data["pagination"]["total"] == 2


def test_units_beneath_a_node_and_paging():
    society = apartment(towers=2, floors=2, flats=3)
    client = client_for(resident())

    beneath = client.get(f"/api/v1/societies/{society.pk}/units", {"parent_node_id": group(society, "TA").pk})
    assert {u["node_code"][0] for u in beneath.json()["data"]["units"]} == {"A"}
    assert beneath.json()["data"]["pagination"]["total"] == 6
    page = client.get(f"/api/v1/societies/{society.pk}/units", {"limit": 5, "page": 3}).json()["data"]
    assert len(page["units"]) == 2
    assert page["pagination"]["total_pages"] == 3
    other = apartment(towers=1, floors=1, flats=1)
    assert_error(
        client.get(f"/api/v1/societies/{society.pk}/units", {"parent_node_id": group(other, "TA").pk}),
        404,
        "NODE_NOT_FOUND",
        "parent_node_id",
    )


def test_the_tree_and_the_units_take_the_same_number_of_queries_at_two_sizes():
    small, large = apartment(towers=1, floors=1, flats=2), apartment(towers=4, floors=5, flats=10)
    client = client_for(resident())

    def counts(society):
        found = {}
        for path in (
            f"/api/v1/societies/{society.pk}/hierarchy",
            f"/api/v1/societies/{society.pk}/units?search=0&limit=100",
        ):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, response.content
            found[path.split("/")[-1].split("?")[0]] = len(queries)
        return found

    assert HierarchyNode.objects.filter(society=large, node_type=NodeType.UNIT).count() == 200
    assert counts(small) == counts(large)


# --- the platform sets a society up -----------------------------------------------------------------


def test_staff_create_a_society_with_its_root_node():
    response = client_for(make_user(Role.ADMIN)).post(
        "/api/v1/admin/societies",
        {"name": "Lake Gardens", "society_type": "LAYOUT", "city": "Kolkata", "pincode": "700045"},
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    society = Society.objects.get(pk=data["society_id"])
    assert data["root_node"]["node_type"] == "SOCIETY"
    assert data["root_node"]["path"] == str(data["root_node"]["node_id"])
    assert (data["total_houses"], data["total_flats"]) == (0, None)
    assert HierarchyNode.objects.get(society=society, parent=None).pk == data["root_node"]["node_id"]
    assert AuditLog.objects.filter(action="create_society", resource_id=str(society.pk)).count() == 1
    assert_error(
        client_for(make_user(Role.ADMIN)).post(
            "/api/v1/admin/societies",
            {"name": "X", "society_type": "LAYOUT", "city": "Kolkata", "pincode": "7000"},
            format="json",
        ),
        422,
        "VALIDATION_ERROR",
        "pincode",
    )
    assert_error(
        client_for(society_admin()).post(
            "/api/v1/admin/societies",
            {"name": "Mine", "society_type": "LAYOUT", "city": "Kolkata", "pincode": "700045"},
            format="json",
        ),
        403,
        "FORBIDDEN",
    )


def test_roster_rows_are_imported_all_or_none():
    society = apartment(towers=1, floors=1, flats=2)
    client = client_for(make_user(Role.ADMIN))
    url = f"/api/v1/admin/society/{society.pk}/roster"
    good = {
        "phone": "9876500001",
        "unit_node_id": unit(society, "A-001").pk,
        "suggested_name": "Ravi",
        "is_primary": True,
    }

    bad = {"phone": "12", "unit_node_id": unit(society, "A-002").pk}
    error = assert_error(
        client.post(url, {"rows": [good, bad]}, format="json"), 422, "VALIDATION_ERROR", "rows.1.phone"
    )
    assert error["details"]["context"]["row"] == 1
    assert not RosterEntry.objects.exists()

    response = client.post(url, {"rows": [good]}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["data"] == {"society_id": society.pk, "added": 1, "updated": 0, "total_rows": 1}
    entry = RosterEntry.objects.get()
    assert (entry.phone, entry.suggested_name, entry.is_primary) == ("+919876500001", "Ravi", True)
    again = client.post(url, {"rows": [{**good, "suggested_name": "Ravi K"}]}, format="json").json()["data"]
    assert (again["added"], again["updated"]) == (0, 1)


def test_a_roster_csv_reports_a_bad_row_by_its_line_and_imports_nothing():
    society, other = apartment(towers=1, floors=1, flats=2), apartment(towers=1, floors=1, flats=1)
    client = client_for(make_user(Role.ADMIN))
    url = f"/api/v1/admin/society/{society.pk}/roster"
    a1, a2 = unit(society, "A-001").pk, unit(society, "A-002").pk
    foreign = unit(other, "A-001").pk

    csv = f"phone,unit_node_id,suggested_name,is_primary,notes\n9876500001,{a1},Ravi,yes,\n9876500002,{foreign},X,no,\n"
    error = assert_error(
        client.post(url, {"file": io.BytesIO(csv.encode())}, format="multipart"),
        422,
        "VALIDATION_ERROR",
        "file",
    )
    assert "Line 3" in error["message"]
    assert error["details"]["context"]["field"] == "unit_node_id"
    assert not RosterEntry.objects.exists()

    header = "phone,unit_node_id,suggested_name,is_primary,notes\n"
    csv = f"{header}9876500001,{a1},Ravi,yes,Owner\n9876500002,{a2},Mina,no,\n"
    response = client.post(url, {"file": io.BytesIO(csv.encode())}, format="multipart")
    assert response.status_code == 201, response.content
    assert RosterEntry.objects.filter(society=society).count() == 2
    assert RosterEntry.objects.get(phone="+919876500001").notes == "Owner"


def test_the_import_roster_command(tmp_path):
    society = apartment(towers=1, floors=1, flats=1)
    path = tmp_path / "roster.csv"
    path.write_text(
        f"phone,unit_node_id,suggested_name,is_primary,notes\n9876500003,{unit(society, 'A-001').pk},Om,1,\n"
    )
    out = io.StringIO()

    call_command("import_roster", str(society.pk), str(path), stdout=out)

    assert "1 added" in out.getvalue()
    assert RosterEntry.objects.filter(society=society, phone="+919876500003").exists()
    path.write_text("phone,unit_node_id\nnot-a-phone,1\n")
    with pytest.raises(CommandError, match="Line 2"):
        call_command("import_roster", str(society.pk), str(path))


def test_a_society_admin_is_appointed_through_the_staff_api_with_their_societies():
    first, second = apartment(towers=1, floors=1, flats=1), apartment(towers=1, floors=1, flats=1)
    client = client_for(make_user(Role.SUPER_ADMIN))
    body = {
        "full_name": "Meera Admin",
        "email": "meera@example.com",
        "password": "long-password-1",
        "role": "society_admin",
    }

    assert_error(client.post("/api/v1/admin/staff", body, format="json"), 422, "VALIDATION_ERROR", "society_ids")
    assert_error(
        client.post("/api/v1/admin/staff", {**body, "society_ids": [987654]}, format="json"),
        404,
        "SOCIETY_NOT_FOUND",
        "society_ids",
    )
    response = client.post("/api/v1/admin/staff", {**body, "society_ids": [first.pk]}, format="json")
    assert response.status_code == 201, response.content
    person_id = response.json()["data"]["staff"]["id"]
    assert list(SocietyAdminScope.objects.filter(user_id=person_id).values_list("society_id", flat=True)) == [first.pk]

    client.put(f"/api/v1/admin/staff/{person_id}", {"society_ids": [second.pk]}, format="json")
    assert list(SocietyAdminScope.objects.filter(user_id=person_id).values_list("society_id", flat=True)) == [second.pk]
    assert AuditLog.objects.filter(action="set_society_admin_scope", resource_id=str(person_id)).count() == 2
