"""Ids in a request body that name someone else's object (issue #21): the write endpoints that take a booking, an
appointment, a society, a node or a person by id in the body, called by a person who may use the endpoint, with
the id of an object that is not theirs. Each must be refused in the error envelope (the route matrix in
docs/object-permissions.md covers ids in the path)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from bookings.models import BOOKING_PAYABLE
from societies.models import HierarchyNode
from tests.accounts.helpers import assert_error
from tests.authz.world import World

pytestmark = pytest.mark.django_db

V = "/api/v1/"


def _theirs(w: World) -> str:
    return str(w.objects["theirs"].pk)


def _visit(w: World) -> str:
    return str(w.objects["their_visit"].pk)


def _their_group(w: World) -> int:
    return HierarchyNode.objects.get(society=w.objects["s2"], level_depth=2).pk


def _their_order(w: World) -> dict[str, Any]:
    line = w.objects["s2"].rate_cards.first().published_items[0]
    return {
        "vendor_id": str(w.objects["v2"].pk),
        "society_id": w.objects["s2"].pk,
        "pickup_datetime": "2099-01-05T10:00:00+05:30",
        "items": [{"service_id": line["service_id"], "rate_card_item_id": line["item_id"], "quantity": 2}],
    }


Case = tuple[str, str, Callable[[World], str], Callable[[World], dict[str, Any]]]

CASES: dict[str, Case] = {
    "review another customer's booking": ("c1", "post", lambda w: V + "reviews", lambda w: {
        "booking_id": _theirs(w), "rating": 1, "comment": "Bad"}),
    "open a dispute on another customer's booking": ("c1", "post", lambda w: V + "disputes", lambda w: {
        "booking_id": _theirs(w), "dispute_type": "quality_issue", "title": "x", "description": "y"}),
    "open one through the seed's path": ("c1", "post", lambda w: V + "disputes/create_dispute", lambda w: {
        "booking_id": _theirs(w), "dispute_type": "quality_issue", "title": "x", "description": "y"}),
    "redeem points on another customer's booking": ("c1", "post", lambda w: V + "loyalty/redeem", lambda w: {
        "booking_id": _theirs(w), "points": 100}),
    "pay for another customer's booking (create-order)": ("c1", "post", lambda w: V + "payments/create-order",
        lambda w: {"booking_id": _theirs(w)}),
    "pay for another customer's booking (orders)": ("c1", "post", lambda w: V + "payments/orders", lambda w: {
        "payable_type": BOOKING_PAYABLE, "payable_id": _theirs(w)}),
    "pay another patient's deposit": ("c1", "post", lambda w: V + "payments/process-deposit", lambda w: {
        "appointment_id": _visit(w)}),
    "pay another patient's appointment in full": ("c1", "post", lambda w: V + "payments/process-full-payment",
        lambda w: {"appointment_id": _visit(w)}),
    "confirm another patient's appointment by message": ("c1", "post",
        lambda w: V + "notifications/appointment-confirmation", lambda w: {"appointment_id": _visit(w)}),
    "note on another clinician's appointment": ("cl1", "post",
        lambda w: f"{V}patients/{w.users['c1'].pk}/notes", lambda w: {"note": "x", "appointment_id": _visit(w)}),
    "a meeting link for another provider's appointment": ("sp1", "post", lambda w: V + "video/generate-meet-link",
        lambda w: {"appointment_id": _visit(w)}),
    "a node under another society's tower": ("sa1", "post",
        lambda w: f"{V}societies/{w.objects['s1'].pk}/hierarchy/nodes", lambda w: {
        "parent_node_id": _their_group(w), "node_type": "FLOOR", "node_code": "7", "node_name": "Floor 7"}),
    "a vendor's area in another society's tower": ("sa1", "put",
        lambda w: f"{V}admin/society/{w.objects['s1'].pk}/vendors/{w.objects['v1'].pk}/service-areas",
        lambda w: {"assignment_type": "GROUP", "group_ids": [_their_group(w)]}),
    "order in a society one does not live in": ("r1", "post", lambda w: V + "orders", _their_order),
    "switch to a society one does not live in": ("r1", "post",
        lambda w: f"{V}residents/{w.users['r1'].pk}/switch-society", lambda w: {"society_id": w.objects["s2"].pk}),
    "a rate card for a society one is not approved in": ("v1", "post",
        lambda w: f"{V}vendors/{w.objects['v1'].pk}/rate-cards", lambda w: {
        "society_id": w.objects["s2"].pk,
        "items": [{"service_id": w.objects["card"].published_items[0]["service_id"],
                   "items": [{"item_name": "Shirt", "price_per_piece": "9.00"}]}]}),
    "a dispute message addressed to a stranger": ("c1", "post",
        lambda w: f"{V}disputes/{w.objects['dispute'].pk}/messages", lambda w: {
        "content": "Hello", "recipient_id": str(w.users["c2"].pk)}),
}  # fmt: skip


# What each answers: the object is not found for them (404), or the action is not theirs (403), or, for a message,
# the recipient is not one of the dispute's people (422).
EXPECTED = {
    "a dispute message addressed to a stranger": (422, "VALIDATION_ERROR"),
    "a meeting link for another provider's appointment": (403, "FORBIDDEN"),
    "a node under another society's tower": (404, "NODE_NOT_FOUND"),
    "a rate card for a society one is not approved in": (403, "VENDOR_NOT_APPROVED"),
    "a vendor's area in another society's tower": (404, "NODE_NOT_FOUND"),
    "confirm another patient's appointment by message": (403, "FORBIDDEN"),
    "note on another clinician's appointment": (404, "BOOKING_NOT_FOUND"),
    "open a dispute on another customer's booking": (404, "BOOKING_NOT_FOUND"),
    "open one through the seed's path": (404, "BOOKING_NOT_FOUND"),
    "order in a society one does not live in": (403, "SOCIETY_NOT_VERIFIED"),
    "pay another patient's appointment in full": (404, "NOT_FOUND"),
    "pay another patient's deposit": (404, "NOT_FOUND"),
    "pay for another customer's booking (create-order)": (404, "NOT_FOUND"),
    "pay for another customer's booking (orders)": (404, "NOT_FOUND"),
    "redeem points on another customer's booking": (404, "BOOKING_NOT_FOUND"),
    "review another customer's booking": (404, "BOOKING_NOT_FOUND"),
    "switch to a society one does not live in": (404, "SOCIETY_NOT_FOUND"),
}


def test_every_case_has_its_answer():
    assert set(EXPECTED) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_id_in_the_body_that_is_not_yours_is_refused(name, world, case):
    who, method, url, body = CASES[name]
    response = case(
        lambda: getattr(world.client(who), method)(
            url(world), body(world), format="json", HTTP_X_IDEMPOTENCY_KEY=uuid.uuid4().hex
        )
    )
    status, code = EXPECTED[name]
    assert response.status_code == status, f"{name}: {response.status_code} {response.content[:300]!r}"
    assert_error(response, status, code)
