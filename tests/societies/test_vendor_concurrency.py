"""Vendor onboarding races, with real threads on PostgreSQL (each thread its own connection)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection

from accounts.roles import Role
from notifications.models import Notification
from partners.models import OnboardingStatus, Partner
from societies.models import ApprovalStatus, VendorAccess
from tests.accounts.test_concurrency import run_together
from tests.conftest import client_for, make_user
from tests.societies.helpers import apartment, vendor

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_vendor_asking_for_one_society_six_times_at_once_gets_one_request():
    assert connection.vendor == "postgresql"
    society = apartment(towers=1, floors=1, flats=1)
    partner = vendor(verified=False)
    url = f"/api/v1/onboarding/vendor/{partner.pk}/societies"
    clients = [client_for(partner.user) for _ in range(6)]

    responses = run_together(6, lambda i: clients[i].post(url, {"society_ids": [society.pk]}, format="json"))

    assert [r.status_code for r in responses] == [201] * 6, [r.content for r in responses]
    access = VendorAccess.objects.get(partner=partner, society=society)
    assert access.approval_status == ApprovalStatus.PENDING
    answered = {r.json()["data"]["society_requests"][0]["requested_at"] for r in responses}
    assert len(answered) == 1  # every caller was answered the one row


def test_two_reviewers_approving_and_rejecting_one_vendor_at_once_one_wins():
    assert connection.vendor == "postgresql"
    partner = vendor(verified=False)
    url = f"/api/v1/admin/platform/vendors/{partner.pk}/verify"
    bodies = [{"action": "APPROVE"}, {"action": "REJECT", "rejection_reason": "Documents do not match"}]
    clients = [client_for(make_user(Role.ONBOARD_MANAGER)), client_for(make_user(Role.ADMIN))]

    responses = run_together(2, lambda i: clients[i].post(url, bodies[i], format="json"))

    assert Counter(r.status_code for r in responses) == {200: 1, 422: 1}, [r.content for r in responses]
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    loser = responses[1 - winner]
    assert loser.json()["error"]["code"] == "INVALID_APPLICATION_STATUS"
    partner.refresh_from_db()
    user = partner.user
    if bodies[winner]["action"] == "APPROVE":
        assert responses[winner].json()["data"]["approval_status"] == "APPROVED"
        assert partner.onboarding_status == OnboardingStatus.VERIFIED
        assert partner.rejection_reason == ""
        assert user.groups.filter(name=Role.PARTNER).exists()
        assert loser.json()["error"]["details"]["context"]["approval_status"] == "APPROVED"
    else:
        assert responses[winner].json()["data"]["approval_status"] == "REJECTED"
        assert partner.onboarding_status == OnboardingStatus.REJECTED
        assert partner.rejection_reason == "Documents do not match"
        assert partner.verified_at is None
        assert not user.groups.filter(name=Role.PARTNER).exists()
        assert loser.json()["error"]["details"]["context"]["approval_status"] == "REJECTED"
    assert Notification.objects.filter(user=user).count() == 1
    assert Partner.objects.filter(pk=partner.pk).count() == 1
