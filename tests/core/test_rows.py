"""``core.rows``: one row in or out with a statement written once, and the same result the ORM gives."""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.models.functions import Upper
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from accounts.models import Address
from core import rows
from core.models import AuditLog
from notifications.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _notice(user, **fields):
    return Notification(**{"user": user, "event_type": "booking_created", "title": "Booked", "message": "See you",
                            **fields})  # fmt: skip


@contextlib.contextmanager
def _listening(signal, receiver):
    """``receiver`` connected to ``signal`` for notifications while the block runs."""
    signal.connect(receiver, sender=Notification)
    try:
        yield
    finally:
        signal.disconnect(receiver, sender=Notification)


def test_an_inserted_row_reads_back_as_the_orm_saved_it():
    user = make_user()
    notice = _notice(user, data={"booking_id": "b-1", "n": [1, 2]})

    with CaptureQueriesContext(connection) as queries:
        rows.insert_row(notice)

    assert len(queries) == 1
    assert (notice._state.adding, notice._state.db) == (False, "default")
    assert notice.created_at is not None
    assert notice.updated_at is not None
    stored = Notification.objects.get(pk=notice.pk)
    assert (stored.user_id, stored.title, stored.message, stored.is_read, stored.read_at) == (
        user.pk, "Booked", "See you", False, None,
    )  # fmt: skip
    assert stored.data == {"booking_id": "b-1", "n": [1, 2]}
    assert stored.created_at == notice.created_at


def test_an_insert_sends_post_save_to_a_listener_as_save_does():
    user = make_user()
    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.pk, created, kwargs["update_fields"], kwargs["raw"]))

    with _listening(post_save, listener):
        notice = _notice(user)
        rows.insert_row(notice)

    assert heard == [(notice.pk, True, None, False)]


def test_a_pre_save_listener_may_change_the_row_so_save_writes_it():
    user = make_user()

    def shout(sender, instance, **kwargs):
        instance.title = instance.title.upper()

    with _listening(pre_save, shout):
        notice = _notice(user)
        rows.insert_row(notice)

    assert Notification.objects.get(pk=notice.pk).title == "BOOKED"


def test_an_expression_as_a_value_is_left_to_the_orm():
    user = make_user()
    notice = _notice(user)
    notice.title = Upper(Value("booked"))

    rows.insert_row(notice)

    assert Notification.objects.get(pk=notice.pk).title == "BOOKED"


def test_a_model_with_a_save_of_its_own_is_saved_by_it():
    saved = AuditLog(action="probe", resource_type="test")
    rows.insert_row(saved)

    assert AuditLog.objects.filter(pk=saved.pk, action="probe").exists()
    with pytest.raises(PermissionError):  # AuditLog.save's own rule ran: an update is refused
        rows.insert_row(saved)


def test_several_rows_go_in_one_statement_without_signals_as_bulk_create():
    user = make_user()
    heard = []
    notices = [_notice(user, title=f"n{i}") for i in range(3)]

    def listener(sender, **kwargs):
        heard.append(kwargs)

    with _listening(post_save, listener), CaptureQueriesContext(connection) as queries:
        rows.insert_rows(notices)

    assert len(queries) == 1
    assert heard == []
    assert all(not notice._state.adding for notice in notices)
    assert sorted(Notification.objects.filter(user=user).values_list("title", flat=True)) == ["n0", "n1", "n2"]


def test_more_rows_than_a_kept_statement_go_to_bulk_create():
    user = make_user()
    notices = [_notice(user, title=f"n{i}") for i in range(rows.MAX_ROWS + 1)]

    rows.insert_rows(notices)
    rows.insert_rows([])

    assert Notification.objects.filter(user=user).count() == rows.MAX_ROWS + 1


def test_a_row_is_read_by_its_key_and_owner_with_each_column_converted():
    user, other = make_user(), make_user()
    address = Address.objects.create(
        user=user, name="Home", address_line1="1 Park St", city="Kolkata", state="WB", pincode="700016",
        lat=Decimal("22.55000000"), lng=Decimal("88.35000000"),
    )  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        found = rows.get_row(Address, pk=address.pk, user=user)

    assert len(queries) == 1
    assert found == address
    assert found is not address
    assert (found.lat, found.lng, found.created_at) == (address.lat, address.lng, address.created_at)
    assert found.user_id == user.pk
    assert found._state.db == "default"
    assert not found._state.adding
    assert rows.get_row(Address, pk=str(address.pk), user=user.pk) == address  # keys as text or as instances
    assert rows.get_row(Address, pk=address.pk, user=other) is None  # someone else's
    assert rows.get_row(Address, pk=uuid.uuid4(), user=user) is None
    with pytest.raises(ValidationError):
        rows.get_row(Address, pk="not-a-uuid", user=user)


def test_json_columns_read_back_as_the_orm_reads_them():
    user = make_user()
    notice = _notice(user, data={"a": {"b": [1, "2", None]}})
    rows.insert_row(notice)

    assert rows.get_row(Notification, pk=notice.pk).data == Notification.objects.get(pk=notice.pk).data


def test_a_failed_insert_in_a_transaction_marks_it_for_rollback_as_save_does():
    user = make_user()
    notice = _notice(user)
    rows.insert_row(notice)
    again = _notice(user)
    again.pk = notice.pk  # the same key: the INSERT fails

    with transaction.atomic():
        with pytest.raises(IntegrityError):
            rows.insert_row(again)
        assert transaction.get_rollback()  # the block cannot go on as if nothing failed


def test_none_matches_nothing():
    user = make_user()
    Notification.objects.create(user=user, event_type="booking_created", title="t", message="m")

    assert rows.get_row(Notification, user=user, read_at=None) is None
