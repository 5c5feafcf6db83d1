"""An earning's release date (issue #20, seed 002 E): completion day + EARNING_RELEASE_DAYS, payouts skip an
earning before it, releasing one early is 422 naming the date, and the earnings list takes seed 002's statuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from partners.models import EarningStatus, PartnerEarning
from partners.services import payouts
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.partners import helpers as h
from tests.partners.test_payouts_api import earn

pytestmark = pytest.mark.django_db

PAYOUTS = "/api/v1/admin/payouts"
EARNINGS = "/api/v1/partner/earnings"


@pytest.fixture
def finance():
    return client_for(make_user(Role.FINANCE))


def test_the_release_date_is_the_completion_day_by_default_and_shown(settings):
    partner = h.partner()
    earning = earn(partner, 9, online=True)

    assert earning.release_date == timezone.localdate()
    rows = client_for(partner.user).get(EARNINGS).json()["data"]["earnings"]
    assert rows[0]["release_date"] == timezone.localdate().isoformat()
    assert rows[0]["hold_reason"] == ""


def test_payouts_leave_earnings_not_yet_due(settings, finance):
    settings.EARNING_RELEASE_DAYS = 3
    partner = h.partner()
    due = earn(partner, 8, online=True)
    later = earn(partner, 10, online=True)
    due_day = timezone.localdate() + timedelta(days=3)
    assert later.release_date == due_day
    PartnerEarning.objects.filter(pk=due.pk).update(release_date=timezone.localdate())  # completed days ago

    paid = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")

    assert paid.status_code == 201, paid.content
    assert paid.json()["data"]["payout"]["net_amount"] == 700.0
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (EarningStatus.IN_PAYOUT, EarningStatus.PENDING)
    nothing = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")
    assert_error(nothing, 422, "NO_PENDING_EARNINGS")
    listed = finance.post(PAYOUTS, {"partner_id": str(partner.pk), "earnings_ids": [str(later.pk)]}, format="json")
    assert_error(listed, 422, "EARNING_ON_HOLD", "release_date")
    assert due_day.isoformat() in listed.json()["error"]["message"]


def test_releasing_one_earning_before_its_date_is_422_naming_it(settings):
    settings.EARNING_RELEASE_DAYS = 2
    partner = h.partner()
    earning = earn(partner, 9, online=True)
    ops = client_for(make_user(Role.OPS_MANAGER))

    early = ops.post(f"/api/v1/admin/earnings/{earning.pk}/release", {}, format="json")

    assert_error(early, 422, "EARNING_ON_HOLD", "release_date")
    assert early.json()["error"]["details"]["context"]["release_date"] == earning.release_date.isoformat()
    earning.refresh_from_db()
    assert earning.status == EarningStatus.PENDING
    PartnerEarning.objects.filter(pk=earning.pk).update(release_date=timezone.localdate())
    released = ops.post(f"/api/v1/admin/earnings/{earning.pk}/release", {}, format="json")
    assert released.status_code == 200, released.content


def test_older_earnings_without_a_date_stay_payable(finance):
    partner = h.partner()
    earning = earn(partner, 9, online=True)
    PartnerEarning.objects.filter(pk=earning.pk).update(release_date=None)

    paid = finance.post(PAYOUTS, {"partner_id": str(partner.pk)}, format="json")

    assert paid.status_code == 201, paid.content


def test_the_earnings_list_takes_seed_statuses(settings):
    partner = h.partner()
    pending, paid, held = earn(partner, 8, online=True), earn(partner, 10, online=True), earn(partner, 12, online=True)
    payouts.payout_create(partner_id=partner.pk, earning_ids=[paid.pk])
    PartnerEarning.objects.filter(pk=held.pk).update(status=EarningStatus.ON_HOLD, hold_reason="dispute")
    client = client_for(partner.user)

    def ids(status: str) -> set[str]:
        response = client.get(EARNINGS, {"status": status})
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["data"]["earnings"]}

    assert ids("pending") == {str(pending.pk)}
    assert ids("released") == {str(paid.pk)}  # in a payout (or paid)
    assert ids("on_hold") == {str(held.pk)}
    assert ids("in_payout") == {str(paid.pk)}
    rows = client.get(EARNINGS, {"status": "on_hold"}).json()["data"]["earnings"]
    assert rows[0]["hold_reason"] == "dispute"
    assert_error(client.get(EARNINGS, {"status": "frozen"}), 400, "INVALID_REQUEST", "status")


def test_the_earnings_list_costs_the_same_for_1_or_3_rows_with_a_status():
    partner = h.partner()
    client = client_for(partner.user)
    paths = [EARNINGS, f"{EARNINGS}?status=released", f"{EARNINGS}?status=pending"]
    earn(partner, 8, online=True)
    few = query_counts(client, paths)
    earn(partner, 10, online=True)
    earn(partner, 12, online=True)

    assert query_counts(client, paths) == few
