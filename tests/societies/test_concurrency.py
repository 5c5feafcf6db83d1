"""The societies races, with real threads on PostgreSQL (each thread its own connection, clients built first)."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction

from accounts.roles import Role
from core.models import AuditLog
from notifications.models import Notification
from societies.models import ApprovalStatus, Residence
from societies.services import residents as resident_services
from tests.accounts.test_concurrency import run_together
from tests.conftest import client_for, make_user
from tests.societies.helpers import apartment, resident, society_admin, unit

pytestmark = pytest.mark.django_db(transaction=True)


def _pending(society, code):
    person = resident()
    residence, _ = resident_services.residence_register(
        user=person, data={"society_id": society.pk, "unit_node_id": unit(society, code).pk}
    )
    return residence


def test_two_admins_approving_and_rejecting_one_resident_at_once_one_wins():
    assert connection.vendor == "postgresql"
    society = apartment(towers=1, floors=1, flats=5)
    clients = [client_for(society_admin(society)), client_for(make_user(Role.ADMIN))]
    bodies = [{"action": "APPROVE"}, {"action": "REJECT", "rejection_reason": "Unknown flat"}]

    for round_ in range(5):
        residence = _pending(society, f"A-00{round_ + 1}")
        url = f"/api/v1/admin/society/{society.pk}/residents/{residence.pk}/approve"

        responses = run_together(2, lambda i, url=url: clients[i].post(url, bodies[i], format="json"))

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 422], [r.content for r in responses]
        loser = next(r for r in responses if r.status_code == 422)
        assert loser.json()["error"]["code"] == "INVALID_APPROVAL_STATUS"
        winner = next(r for r in responses if r.status_code == 200).json()["data"]["verification_status"]
        residence.refresh_from_db()
        assert residence.verification_status == winner
        decided = AuditLog.objects.filter(
            resource_id=str(residence.pk), action__in=["approve_resident", "reject_resident"]
        )
        assert decided.count() == 1
        assert Notification.objects.filter(user=residence.user, event_type__startswith="residence_").count() == 1


def blocked_by(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [pid])
        return cursor.fetchone()[0] > 0


def test_a_decision_waits_for_a_resident_row_someone_else_holds():
    society = apartment(towers=1, floors=1, flats=1)
    residence = _pending(society, "A-001")
    client = client_for(society_admin(society))
    url = f"/api/v1/admin/society/{society.pk}/residents/{residence.pk}/approve"
    held, release = threading.Event(), threading.Event()

    holder_pid = []

    def hold():
        try:
            with transaction.atomic():
                Residence.objects.select_for_update().get(pk=residence.pk)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    holder_pid.append(cursor.fetchone()[0])
                held.set()
                release.wait(timeout=30)
                Residence.objects.filter(pk=residence.pk).update(
                    verification_status=ApprovalStatus.REJECTED, rejection_reason="Decided first"
                )
        finally:
            connection.close()

    result = {}

    def decide():
        try:
            result["response"] = client.post(url, {"action": "APPROVE"}, format="json")
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=10)
    decider = threading.Thread(target=decide)
    decider.start()
    # until PostgreSQL shows the decision waiting for the holder's lock (polled; at most 10 s)
    deadline = time.monotonic() + 10
    while decider.is_alive() and not blocked_by(holder_pid[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert decider.is_alive(), "the decision did not wait for the row lock"
    assert blocked_by(holder_pid[0]), "the decision is not waiting for the holder's lock"
    release.set()
    holder.join(timeout=10)
    decider.join(timeout=30)

    assert result["response"].status_code == 422
    assert result["response"].json()["error"]["code"] == "INVALID_APPROVAL_STATUS"
    residence.refresh_from_db()
    assert residence.verification_status == ApprovalStatus.REJECTED


def test_two_registrations_of_one_person_at_once_keep_one_primary_and_one_active_society():
    first, second = apartment(towers=1, floors=1, flats=1), apartment(towers=1, floors=1, flats=1)
    for _ in range(4):
        person = resident()
        client = client_for(person)
        targets = [first, second]

        responses = run_together(
            2,
            lambda i, client=client, targets=targets: client.post(
                "/api/v1/onboarding/resident/register",
                {"society_id": targets[i].pk, "unit_node_id": unit(targets[i], "A-001").pk},
                format="json",
            ),
        )

        assert sorted(r.status_code for r in responses) == [200, 201], [r.content for r in responses]
        rows = Residence.objects.filter(user=person)
        assert rows.count() == 2
        assert rows.filter(is_primary=True).count() == 1
        assert rows.filter(is_active=True).count() == 1
        assert rows.get(is_primary=True).is_active is True


def test_one_person_registering_in_one_society_twice_at_once_gets_one_residence():
    society = apartment(towers=1, floors=1, flats=2)
    person = resident()
    client = client_for(person)

    responses = run_together(
        4,
        lambda i: client.post(
            "/api/v1/onboarding/resident/register",
            {"society_id": society.pk, "unit_node_id": unit(society, f"A-00{1 + i % 2}").pk},
            format="json",
        ),
    )

    assert Counter(r.status_code for r in responses) == {201: 1, 409: 3}
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"ALREADY_REGISTERED"}
    assert Residence.objects.filter(user=person).count() == 1
