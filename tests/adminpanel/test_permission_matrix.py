"""The back-office matrix in docs/permissions.md, checked row by row and role by role through the API.

The table is parsed from the document, so the document and the code cannot
drift apart: a ✅ must not answer 403, a ❌ must answer 403 ``FORBIDDEN``
(401 for nobody: every role here is signed in).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from accounts.roles import Role
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
MISSING = uuid.uuid4()

# First cell of each row -> the requests that exercise it (method, path, body).
REQUESTS = {
    "dashboard": [("get", "/api/v1/admin/dashboard", None), ("get", "/api/v1/admin-dashboard/dashboard/stats", None)],
    "bookings: list, detail": [
        ("get", "/api/v1/admin/bookings", None),
        ("get", f"/api/v1/admin/bookings/{MISSING}", None),
    ],
    "bookings: status update": [
        ("patch", f"/api/v1/admin/bookings/{MISSING}/status", {"status": "confirmed"}),
        ("post", f"/api/v1/admin/bookings/{MISSING}/cancel", {"reason": "asked"}),
    ],
    "refund": [("post", f"/api/v1/admin/bookings/{MISSING}/refund", {"amount": "10.00", "reason": "sorry"})],
    "services: list": [("get", "/api/v1/admin/services", None)],
    "services: create": [
        ("post", "/api/v1/admin/services", {"name": "x"}),
        ("put", f"/api/v1/admin/services/{MISSING}", {"product_cost": "10.00"}),
        ("delete", f"/api/v1/admin/services/{MISSING}", None),
    ],
    "categories: list": [("get", "/api/v1/admin/categories", None), ("get", "/api/v1/admin/categories/999999", None)],
    "categories: create": [
        ("post", "/api/v1/admin/categories", {"category_name": ""}),
        ("put", "/api/v1/admin/categories/999999", {"category_name": "x"}),
        ("delete", "/api/v1/admin/categories/999999", None),
    ],
    "promo codes: list": [("get", "/api/v1/admin/promo-codes", None)],
    "promo codes: create": [
        ("post", "/api/v1/admin/promo-codes", {"code": ""}),
        ("put", f"/api/v1/admin/promo-codes/{MISSING}", {"is_active": False}),
    ],
    "contact submissions": [
        ("get", "/api/v1/admin/contact-submissions", None),
        ("patch", f"/api/v1/admin/contact-submissions/{MISSING}", {"status": "replied"}),
    ],
    "users: list": [("get", "/api/v1/admin/users", None), ("get", f"/api/v1/admin/users/{MISSING}", None)],
    "users: block": [("patch", f"/api/v1/admin/users/{MISSING}/status", {"is_active": False})],
    "staff:": [
        ("get", "/api/v1/admin/staff", None),
        ("post", "/api/v1/admin/staff/front-desk", {}),
        ("patch", f"/api/v1/admin/staff/{MISSING}/toggle-active", None),
        ("delete", f"/api/v1/admin/staff/{MISSING}", None),
    ],
    "analytics": [
        ("get", "/api/v1/admin/analytics/revenue?date_from=2026-01-01&date_to=2026-01-31", None),
        ("get", "/api/v1/admin/analytics/partner-performance?date_from=2026-01-01&date_to=2026-01-31", None),
        ("get", "/api/v1/admin/analytics/service-popularity?date_from=2026-01-01&date_to=2026-01-31", None),
        ("get", "/api/v1/admin/analytics/top-partners", None),
        ("get", "/api/v1/admin/analytics/bookings-by-source", None),
        ("get", "/api/v1/admin/analytics/pincode-demand", None),
        ("get", "/api/v1/admin-dashboard/pincode-scaling/data", None),
        ("get", "/api/v1/admin/analytics/dashboard", None),
    ],
    "system settings: read": [("get", "/api/v1/admin/settings", None)],
    "system settings: change": [("put", "/api/v1/admin/settings", {"free_cancellation_minutes": 5})],
    "audit log": [("get", "/api/v1/admin/audit-logs", None), ("get", "/api/v1/admin-dashboard/edit-history", None)],
    "caches": [("get", "/api/v1/admin/cache", None), ("post", "/api/v1/admin-dashboard/cache", {"cache_type": "nope"})],
    "roles and permission matrix": [("get", "/api/v1/admin/roles", None)],
}


def _matrix() -> tuple[list[str], list[tuple[str, list[str]]]]:
    text = DOC.read_text().split("## Matrix (back office)", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")][1:]
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append((cells[0], cells[1:]))
    return header, rows


HEADER, ROWS = _matrix()


def _requests_for(label: str):
    for prefix, requests in REQUESTS.items():
        if label.startswith(prefix):
            return requests
    raise AssertionError(f"No requests for matrix row {label!r}")


def test_every_row_of_the_document_is_exercised():
    assert len(ROWS) == len(REQUESTS)
    for label, _ in ROWS:
        _requests_for(label)


@pytest.mark.parametrize("role", HEADER)
def test_the_back_office_matrix_holds_for(role):
    person = make_user(Role(role), email=f"{role}@example.com")
    client = client_for(person)
    wrong = []
    for label, cells in ROWS:
        allowed = cells[HEADER.index(role)] == "✅"
        for method, path, body in _requests_for(label):
            response = (
                getattr(client, method)(path, body, format="json")
                if body is not None
                else getattr(client, method)(path)
            )
            if allowed and response.status_code == 403:
                wrong.append(f"{label}: {method.upper()} {path} refused ({response.json()['error']['code']})")
            if not allowed and not (response.status_code == 403 and response.json()["error"]["code"] == "FORBIDDEN"):
                wrong.append(f"{label}: {method.upper()} {path} answered {response.status_code}, expected 403")
            if allowed:
                assert response.status_code < 500, (label, path, response.content)
    assert not wrong, "\n".join(wrong)
