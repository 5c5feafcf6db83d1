"""docs/permissions.md "Matrix (societies)", checked row by row and role by role through the API.

Each role acts on a society the society admin runs ("own") and on one they do not: ✅ must not answer
403 on either, ❌ must answer 403 ``FORBIDDEN`` on both, "own" must pass on the first and be 403 on the
second.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from accounts.roles import Role
from societies.models import SocietyAdminScope
from tests.conftest import client_for, make_user
from tests.societies.helpers import apartment

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
MISSING = uuid.uuid4()

# First cell of each row -> requests on society {s} (method, path, body)
REQUESTS = {
    "society: pending residents": [
        ("get", "/api/v1/admin/society/{s}/residents/pending", None),
        ("get", "/api/v1/admin/society/{s}/vendors/pending", None),
        ("get", "/api/v1/admin/society/{s}/groups", None),
        ("get", f"/api/v1/admin/society/{{s}}/vendors/{MISSING}/service-areas", None),
    ],
    "society: approve or reject residents": [
        ("post", f"/api/v1/admin/society/{{s}}/residents/{MISSING}/approve", {"action": "APPROVE"}),
    ],
    "society: approve or reject vendors": [
        ("post", f"/api/v1/admin/society/{{s}}/vendors/{MISSING}/approve", {"action": "APPROVE"}),
    ],
    "society: create groups": [
        ("post", "/api/v1/admin/society/{s}/groups", {"group_name": "X"}),
        ("post", "/api/v1/societies/{s}/hierarchy/nodes", {"node_type": "TOWER"}),
        ("post", f"/api/v1/admin/society/{{s}}/vendors/{MISSING}/service-areas", {"node_id": None}),
    ],
    "societies: create": [
        ("post", "/api/v1/admin/societies", {"name": ""}),
        ("post", "/api/v1/admin/society/{s}/roster", {"rows": []}),
    ],
    "platform vendor review": [
        ("get", "/api/v1/admin/platform/vendors/pending", None),
        ("post", f"/api/v1/admin/platform/vendors/{MISSING}/verify", {"action": "APPROVE"}),
    ],
}


def _matrix() -> tuple[list[str], list[tuple[str, list[str]]]]:
    text = DOC.read_text().split("## Matrix (societies)", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")][1:]
    return header, [
        (cells[0], cells[1:]) for cells in ([c.strip() for c in line.strip("|").split("|")] for line in lines[2:])
    ]


HEADER, ROWS = _matrix()


def _requests_for(label: str):
    return next(requests for prefix, requests in REQUESTS.items() if label.startswith(prefix))


def test_every_row_of_the_document_is_exercised():
    assert len(ROWS) == len(REQUESTS) == 6
    for label, _ in ROWS:
        assert _requests_for(label)


@pytest.mark.parametrize("role", HEADER)
def test_the_societies_matrix_holds_for(role):
    mine, theirs = apartment(towers=1, floors=1, flats=1), apartment(towers=1, floors=1, flats=1)
    person = make_user(Role(role))
    SocietyAdminScope.objects.create(user=person, society=mine)  # only a society admin reads this scope
    client = client_for(person)
    wrong = []
    for label, cells in ROWS:
        cell = cells[HEADER.index(role)]
        for society, expect_allowed in ((mine, cell in ("✅", "own")), (theirs, cell == "✅")):
            for method, path, body in _requests_for(label):
                url = path.format(s=society.pk)
                response = getattr(client, method)(url, body, format="json")
                refused = response.status_code == 403
                if refused == expect_allowed or (refused and response.json()["error"]["code"] != "FORBIDDEN"):
                    wrong.append((label, society == mine, method, url, response.status_code))
    assert not wrong, wrong
