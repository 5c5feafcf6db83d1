"""What the schema fuzzer (tests/fuzz/test_schema_fuzz.py) found, each pinned by a plain test of its own."""

from __future__ import annotations

import json

import pytest

from accounts.roles import Role
from core.models import AuditLog
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_staff_write_whose_body_holds_a_nul_or_a_lone_surrogate_is_audited_not_a_500():
    """PUT /patient/profile as staff answered 500: the audit fallback stored the raw body, and jsonb refuses NUL."""
    admin = make_user(Role.ADMIN)
    body = '{"note": "a\\u0000b", "odd": "\\ud800", "k\\u0000": 1}'

    response = client_for(admin).put("/api/v1/patient/profile", body, content_type="application/json")

    assert response.status_code < 500
    entry = AuditLog.objects.filter(action="put patient/profile").latest("created_at")
    assert entry.changes["request"]["note"] == "a\\u0000b"
    assert entry.changes["request"]["odd"] == "\\ud800"
    assert json.dumps(entry.changes)  # what was stored reads back as JSON
