"""Disputes in the Django admin (issue #20): staff write in the conversation and resolve with a refund through
the same services as the API; a role without change_dispute cannot resolve."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts.roles import Role
from bookings.models import Dispute, DisputeStatus
from partners.models import EarningStatus
from payments.models import Refund
from tests.bookings.test_disputes_api import opened, paid_job
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def browser_for(role: str) -> Client:
    staff = make_user(role)
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    browser = Client()
    browser.force_login(staff)
    return browser


def change(browser: Client, dispute_id: str, **fields):
    url = f"/admin/bookings/dispute/{dispute_id}/change/"
    page = browser.get(url)
    assert page.status_code == 200, page.status_code
    body = {"resolve_as": "", "refund_amount": "", "notes": "", "message": ""}
    body.update({f"messages-{key}": value for key, value in {"TOTAL_FORMS": "1", "INITIAL_FORMS": "1"}.items()})
    body.update(fields)
    return browser.post(url, body, follow=True)


def test_an_ops_manager_writes_and_resolves_with_a_partial_refund_in_the_admin():
    earning = paid_job(8)
    dispute_id = opened(earning)
    ops = browser_for(Role.OPS_MANAGER)

    listed = ops.get("/admin/bookings/dispute/", {"status__exact": "open"})
    assert listed.status_code == 200
    assert b"Stains left on the sofa" in listed.content
    response = change(
        ops, dispute_id, message="We are on it.", resolve_as="partial_refund", refund_amount="300.00", notes="Fair."
    )

    assert response.status_code == 200
    dispute = Dispute.objects.get(pk=dispute_id)
    assert dispute.status == DisputeStatus.RESOLVED
    assert dispute.resolution_amount == Decimal("300.00")
    assert Refund.objects.get().amount == Decimal("300.00")
    assert dispute.messages.filter(content="We are on it.").exists()
    earning.refresh_from_db()
    assert (earning.status, earning.partner_earning) == (EarningStatus.PENDING, Decimal("522.03"))


def test_support_may_write_but_not_resolve():
    dispute_id = opened(paid_job(8))
    support = browser_for(Role.SUPPORT)

    response = change(support, dispute_id, message="Looking.", resolve_as="no_action", notes="Nothing to do.")

    assert response.status_code == 200
    assert b"Only an ops manager or an admin can do this." in response.content
    dispute = Dispute.objects.get(pk=dispute_id)
    assert dispute.status == DisputeStatus.IN_PROGRESS  # their message took it up
    assert not Refund.objects.exists()
