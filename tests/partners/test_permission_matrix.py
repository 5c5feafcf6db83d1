"""docs/permissions.md "Matrix (partners)", read rows, role by role through the API."""

import pytest

from accounts.roles import Role
from tests.conftest import client_for, make_user
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db

STAFF = [
    Role.ADMIN,
    Role.SUPPORT,
    Role.FINANCE,
    Role.OPS_MANAGER,
    Role.ONBOARD_MANAGER,
    Role.CENTRE_MANAGER,
    Role.CARE_COORDINATOR,
    Role.FRONT_DESK,
    Role.SOCIETY_ADMIN,
    Role.CUSTOMER,
    Role.PARTNER,
]
# role -> (list/detail, a partner's jobs, a partner's earnings, payouts list), as the matrix says
ALLOWED = {
    Role.ADMIN: (True, True, True, True),
    Role.SUPPORT: (True, True, False, False),
    Role.FINANCE: (True, True, True, True),
    Role.OPS_MANAGER: (True, True, True, True),
    Role.ONBOARD_MANAGER: (True, False, False, False),
    Role.CENTRE_MANAGER: (True, True, False, False),
}


@pytest.mark.parametrize("role", STAFF, ids=[r.value for r in STAFF])
def test_partner_reads_follow_the_matrix(role):
    partner = h.partner()
    client = client_for(make_user(role))
    paths = [
        f"/api/v1/admin/partners/{partner.pk}",
        f"/api/v1/admin/partners/{partner.pk}/bookings",
        f"/api/v1/admin/partners/{partner.pk}/earnings",
        "/api/v1/admin/payouts",
    ]
    expected = ALLOWED.get(role, (False, False, False, False))
    got = tuple(client.get(path).status_code == 200 for path in paths)
    assert got == expected
    if not all(got):
        refused = client.get(paths[got.index(False)])
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "FORBIDDEN"
    assert (client.get("/api/v1/admin/partners").status_code == 200) == expected[0]
