"""Seed 001 8.3 through the API: the resident disputes a marked payment, and the society's admin lists and
resolves disputes (payment confirmed: closed; not received: back to DELIVERED with the ledger reversed)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from notifications.models import Notification
from orders.models import DisputeStatus, Order, OrderDispute, OrderStatus, OrderTimeline
from orders.payable import VENDOR_COLLECTED
from payments.models import LedgerEntry, Payment, PaymentStatus
from payments.services.ledger import ledger_balance, ledger_trial_balance
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.orders.builders import DISPUTES, delivered, dispute, disputed, mark, resolve
from tests.societies.helpers import apartment, society_admin

pytestmark = pytest.mark.django_db


# --- raising --------------------------------------------------------------------------------------


def test_the_resident_disputes_a_marked_payment_and_the_close_freezes():
    world = delivered()
    mark(world)
    admin = society_admin(world.society)

    response = dispute(world)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message"] == "Dispute raised successfully. Society admin will review."
    row = OrderDispute.objects.get(order=world.order)
    assert body["data"] == {
        "dispute_id": str(row.pk),
        "order_id": str(world.order.pk),
        "order_status": "DISPUTED",
        "dispute_reason": "PAYMENT_NOT_MADE",
        "dispute_raised_at": timezone.localtime(row.raised_at).isoformat(),
        "auto_close_frozen": True,
        "next_steps": {
            "message": "Society admin will contact both parties to resolve this dispute.",
            "estimated_resolution_time": "24-48 hours",
        },
    }
    assert row.status == DisputeStatus.OPEN
    assert row.raised_by == world.resident
    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.DISPUTED
    assert OrderTimeline.objects.filter(order=world.order, status="DISPUTED").count() == 1
    for person in (world.vendor.user, admin):
        told = Notification.objects.get(user=person, event_type="society_order_disputed")
        assert "payment not made" in told.message


def test_a_dispute_at_or_after_auto_close_at_is_refused(clock_held):
    world = delivered()
    mark(world)
    Order.objects.filter(pk=world.order.pk).update(auto_close_at=clock_held)  # not strictly before: too late

    error = assert_error(dispute(world), 422, "INVALID_ORDER_STATUS")

    assert error["details"]["context"]["current_status"] == "PAYMENT_RECEIVED"
    assert not OrderDispute.objects.exists()


def test_a_dispute_just_before_auto_close_at_is_taken(clock_held):
    world = delivered()
    mark(world)
    Order.objects.filter(pk=world.order.pk).update(auto_close_at=clock_held + timedelta(microseconds=1))

    assert dispute(world).status_code == 201


def test_a_dispute_on_a_closed_order_is_refused():
    world = delivered()
    mark(world)
    Order.objects.filter(pk=world.order.pk).update(status=OrderStatus.CLOSED, closed_at=timezone.now())

    error = assert_error(dispute(world), 422, "INVALID_ORDER_STATUS")

    assert error["details"]["context"]["current_status"] == "CLOSED"


def test_a_dispute_before_the_vendor_marks_the_payment_is_refused():
    world = delivered()

    assert_error(dispute(world), 422, "INVALID_ORDER_STATUS")


def test_a_second_dispute_is_a_conflict():
    world, _ = disputed()

    assert_error(dispute(world, reason="WRONG_AMOUNT"), 409, "DISPUTE_ALREADY_OPEN")

    assert OrderDispute.objects.count() == 1


def test_the_vendor_may_not_dispute():
    world = delivered()
    mark(world)

    assert_error(dispute(world, world.vendor.user), 403, "FORBIDDEN")


def test_an_unknown_reason_is_refused():
    world = delivered()
    mark(world)

    assert_error(dispute(world, reason="TOO_EXPENSIVE"), 422, "VALIDATION_ERROR", "dispute_reason")


# --- resolving ------------------------------------------------------------------------------------


def test_payment_confirmed_closes_the_order_and_settles_the_vendors_record():
    world, dispute_id = disputed()
    admin = society_admin(world.society)

    response = resolve(admin, dispute_id)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["status"] == "RESOLVED"
    assert data["resolution"] == "PAYMENT_CONFIRMED"
    assert data["order_status"] == "CLOSED"
    order = Order.objects.get(pk=world.order.pk)
    assert order.status == OrderStatus.CLOSED
    assert order.closed_at is not None
    assert Payment.objects.get(payable_id=str(order.pk)).status == PaymentStatus.SUCCESS
    assert LedgerEntry.objects.filter(payable_id=str(order.pk)).count() == 2  # no new posting
    assert ledger_balance(VENDOR_COLLECTED) == Decimal("355.00")
    for person in (world.resident, world.vendor.user):
        told = Notification.objects.get(user=person, event_type="society_order_dispute_resolved")
        assert "the payment is confirmed" in told.message


def test_payment_not_received_reopens_the_order_and_reverses_the_ledger_then_a_new_mark_records_again():
    world, dispute_id = disputed()

    response = resolve(society_admin(world.society), dispute_id, "PAYMENT_NOT_RECEIVED")

    assert response.status_code == 200, response.content
    order = Order.objects.get(pk=world.order.pk)
    assert order.status == OrderStatus.DELIVERED
    assert order.payment_method == ""
    assert order.payment_received_at is None
    assert order.auto_close_at is None
    first = Payment.objects.get(payable_id=str(order.pk))
    assert first.status == PaymentStatus.FAILED
    assert ledger_balance(VENDOR_COLLECTED) == Decimal("0.00")
    assert ledger_balance("customer_funds") == Decimal("0.00")
    assert ledger_trial_balance() == Decimal("0.00")
    told = Notification.objects.get(user=world.vendor.user, event_type="society_order_dispute_resolved")
    assert "not received" in told.message

    assert mark(world, payment_method="UPI").status_code == 200

    assert Payment.objects.filter(payable_id=str(order.pk)).count() == 2
    assert ledger_balance(VENDOR_COLLECTED) == Decimal("355.00")
    assert LedgerEntry.objects.filter(payable_id=str(order.pk)).count() == 6


def test_platform_staff_with_the_permission_may_resolve():
    _world, dispute_id = disputed()

    assert resolve(make_user(Role.ADMIN), dispute_id).status_code == 200


@pytest.mark.parametrize("who", ["other_society_admin", "resident", "vendor", "support"])
def test_anyone_else_resolving_is_not_found(who):
    world, dispute_id = disputed()
    user = {
        "other_society_admin": lambda: society_admin(apartment(towers=1, floors=1, flats=1)),
        "resident": lambda: world.resident,
        "vendor": lambda: world.vendor.user,
        "support": lambda: make_user(Role.SUPPORT),  # may read disputes, not resolve them
    }[who]()

    assert_error(resolve(user, dispute_id), 404, "DISPUTE_NOT_FOUND")

    assert OrderDispute.objects.get(pk=dispute_id).status == DisputeStatus.OPEN


def test_an_unknown_dispute_is_not_found():
    world, _ = disputed()

    assert_error(
        resolve(society_admin(world.society), "00000000-0000-4000-8000-000000000000"), 404, "DISPUTE_NOT_FOUND"
    )


def test_resolving_a_resolved_dispute_is_refused():
    world, dispute_id = disputed()
    admin = society_admin(world.society)
    resolve(admin, dispute_id)

    assert_error(resolve(admin, dispute_id, "PAYMENT_NOT_RECEIVED"), 422, "INVALID_DISPUTE_STATUS")

    assert Order.objects.get(pk=world.order.pk).status == OrderStatus.CLOSED


def test_an_unknown_resolution_is_refused():
    world, dispute_id = disputed()

    assert_error(resolve(society_admin(world.society), dispute_id, "SPLIT"), 422, "VALIDATION_ERROR", "resolution")


# --- listing --------------------------------------------------------------------------------------


def test_the_admin_lists_the_disputes_of_their_societies_only():
    world, dispute_id = disputed()
    other, _ = disputed()
    admin = society_admin(world.society)

    response = client_for(admin).get(DISPUTES)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [row["dispute_id"] for row in data["disputes"]] == [dispute_id]
    row = data["disputes"][0]
    assert row["order_number"] == world.order.order_number
    assert row["society_id"] == world.society.pk
    assert row["flat_number"] == "A-001"
    assert row["vendor"]["name"] == world.vendor.business_name
    assert row["final_price"] == 355.0
    assert row["payment_method"] == "CASH"
    assert row["status"] == "OPEN"
    assert row["resolution"] is None
    assert data["pagination"]["total_items"] == 1
    assert_error(client_for(admin).get(DISPUTES, {"society_id": other.society.pk}), 403, "FORBIDDEN")


def test_the_list_filters_by_status():
    world, first = disputed()
    admin = society_admin(world.society)
    _, second = disputed(society=world.society, resident=world.resident)
    resolve(admin, first)

    def ids(**params):
        return [r["dispute_id"] for r in client_for(admin).get(DISPUTES, params).json()["data"]["disputes"]]

    assert ids(status="OPEN") == [second]
    assert ids(status="RESOLVED") == [first]
    assert sorted(ids(society_id=world.society.pk)) == sorted([first, second])


def test_a_person_without_the_permission_may_not_list():
    world, _ = disputed()

    assert_error(client_for(world.resident).get(DISPUTES), 403, "FORBIDDEN")


def test_the_list_takes_as_many_queries_for_five_disputes_as_for_one():
    world, _ = disputed()
    admin = society_admin(world.society)
    one = query_counts(client_for(admin), [DISPUTES])
    for _ in range(4):
        disputed(society=world.society, resident=world.resident)

    five = query_counts(client_for(admin), [DISPUTES])

    assert len(client_for(admin).get(DISPUTES).json()["data"]["disputes"]) == 5
    assert five == one
