"""A deleted account's personal values leave the audit log too: the entries stay (who did what, when), but the
values their rows' anonymisation blanks are erased from each entry's recorded changes (a staff edit's diff, a
created row, a request body), and the entries the person made lose their name, email, IP address and user agent.
The database still refuses every other change to the log: another column, a delete, an update outside an
erasure."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.roles import Role
from bookings.models import Booking
from bookings.models.disputes import Dispute
from core import audit
from core.models import AuditLog
from tests.adminpanel.helpers import paid_booking
from tests.conftest import client_for, make_user
from tests.privacy.helpers import EMAIL, NAME, NOTE, PHONE, history


def _entries(story):
    """What the log holds about the person before they leave: a staff edit of their profile, a staff-made
    booking's snapshot, a staff request body naming their booking, and the dispute they opened themselves."""
    staff = make_user(Role.SUPPORT, email="support@staff.example.com")
    booking, dispute = Booking.objects.get(pk=story.booking.pk), Dispute.objects.get(booking=story.booking)
    profile = audit.record(
        action="update_user",
        resource_type="user",
        resource_id=story.user.pk,
        actor=staff,
        changes=audit.diff({"phone": "+919800000000", "is_active": True}, {"phone": PHONE, "is_active": True})
        | {"email": {"old": None, "new": EMAIL}},
    )
    created = audit.record_created(booking, action="create_booking", actor=staff)
    body = audit.record(
        action="patch bookings/<uuid:booking_id>",
        resource_type="booking",
        resource_id=booking.pk,
        actor=staff,
        changes={"request": {"contact_phone": PHONE, "customer_notes": NOTE, "status": "confirmed"}, "status": 200},
    )
    opened = AuditLog.objects.create(
        actor=story.user,
        actor_name=NAME,
        actor_email=EMAIL,
        ip_address="10.1.2.3",
        user_agent="Firefox",
        action="open_dispute",
        resource_type="dispute",
        resource_id=str(dispute.pk),
        changes={"description": {"old": None, "new": "A stain on the sofa"}, "status": {"old": None, "new": "open"}},
    )
    return profile, created, body, opened


@pytest.mark.django_db(transaction=True)
def test_deleting_the_account_erases_the_persons_values_from_the_audit_log_and_keeps_the_entries():
    story = history()
    profile, created, body, opened = _entries(story)
    someone_else = paid_booking(make_user(email="other@example.com"))
    theirs = audit.record_created(someone_else, action="create_booking")
    count = AuditLog.objects.count()

    response = client_for(story.user).delete("/api/v1/users/me", {"confirm": "DELETE"}, format="json")

    assert response.status_code == 200, response.content
    assert AuditLog.objects.count() == count + 1  # the deletion's own entry; nothing removed
    profile = AuditLog.objects.get(pk=profile.pk)
    assert profile.changes == {
        "email": {"old": None, "new": audit.ERASED},
        "phone": {"old": audit.ERASED, "new": audit.ERASED},
    }
    assert (profile.action, profile.actor_email) == ("update_user", "support@staff.example.com")
    booking = AuditLog.objects.get(pk=created.pk).changes
    for name in ("contact_phone", "contact_email", "contact_name", "customer_notes", "address_snapshot"):
        assert booking[name] == {"old": None, "new": audit.ERASED}, name
    assert booking["grand_total"] == created.changes["grand_total"]  # the money and the state stay
    assert booking["status"] == created.changes["status"]
    assert AuditLog.objects.get(pk=body.pk).changes == {
        "request": {"contact_phone": audit.ERASED, "customer_notes": audit.ERASED, "status": "confirmed"},
        "status": 200,
    }
    opened = AuditLog.objects.get(pk=opened.pk)
    assert (opened.actor_name, opened.actor_email) == ("Deleted user", "")
    assert (opened.ip_address, opened.user_agent) == (None, "")
    assert opened.changes["description"] == {"old": None, "new": audit.ERASED}
    assert opened.changes["status"] == {"old": None, "new": "open"}
    log = json.dumps(list(AuditLog.objects.values_list("changes", "actor_name", "actor_email")))
    for secret in (EMAIL, PHONE, NAME, NOTE, "A stain on the sofa"):
        assert secret not in log
    assert AuditLog.objects.get(pk=theirs.pk).changes == theirs.changes  # another person's entries untouched


@pytest.mark.django_db
def test_the_database_lets_an_erasure_change_only_the_recorded_values_and_the_actors_contacts():
    entry = AuditLog.objects.create(action="x", resource_type="y", actor_email="a@example.com", changes={"p": 1})
    table = AuditLog._meta.db_table
    refused = [
        (False, f"UPDATE {table} SET changes = '{{}}'"),  # not an erasure
        (True, f"UPDATE {table} SET action = 'changed'"),  # an erasure changes nothing else
        (True, f"UPDATE {table} SET changes = '{{}}', resource_id = 'z'"),
        (True, f"DELETE FROM {table}"),
    ]
    for erasing, sql in refused:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL core.audit_erasure = '{'on' if erasing else 'off'}'")
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL core.audit_erasure = 'on'")
        cursor.execute(f"UPDATE {table} SET changes = '{{}}', actor_email = '', ip_address = NULL")
    entry = AuditLog.objects.get(pk=entry.pk)
    assert (entry.action, entry.changes, entry.actor_email) == ("x", {}, "")


@pytest.mark.django_db
def test_an_erasure_leaves_the_database_refusing_updates_for_the_rest_of_the_transaction():
    entry = AuditLog.objects.create(action="x", resource_type="user", resource_id="u1", changes={"phone": "+91"})

    with transaction.atomic():
        assert audit.erase(resource_type="user", resource_ids=["u1"], fields=["phone"]) == 1
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {AuditLog._meta.db_table} SET changes = '{{}}'")

    assert AuditLog.objects.get(pk=entry.pk).changes == {"phone": audit.ERASED}
