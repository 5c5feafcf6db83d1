"""Two completions of one workflow step at once (real threads on PostgreSQL): one 200, one 422, one completion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from orders.models import OrderService, OrderStep, RateCard, StepStatus
from orders.services.orders import order_create
from societies.models import ApprovalStatus, Residence
from tests.accounts.test_concurrency import run_together
from tests.conftest import client_for
from tests.orders.helpers import living_in, serving
from tests.societies.helpers import apartment, laundry_services


@pytest.mark.django_db(transaction=True)
def test_two_completions_of_one_step_at_once_complete_it_once():
    society = apartment(towers=1, floors=1, flats=1)
    ironing, _ = laundry_services()
    partner = serving(society, "Sparkle", prices={ironing: [("Shirt", "10.00")]})
    resident = living_in(society, "A-001", ApprovalStatus.VERIFIED)
    Residence.objects.filter(user=resident).update(is_active=True)
    item = RateCard.objects.get(partner=partner).published_items[0]["item_id"]
    order = order_create(
        user=resident,
        society=society,
        data={
            "vendor_id": partner.pk,
            "pickup_datetime": timezone.now() + timedelta(days=1),
            "items": [{"service_id": ironing.pk, "rate_card_item_id": item, "quantity": 2}],
        },
    )
    pickup = OrderStep.objects.get(order_service__order=order, step_order=1)
    clients = [client_for(partner.user) for _ in range(2)]
    url = f"/api/v1/orders/{order.pk}/workflow/{ironing.pk}/complete-step"

    responses = run_together(2, lambda i: clients[i].post(url, {"step_id": pickup.pk}, format="json"))

    assert sorted(r.status_code for r in responses) == [200, 422]
    refused = next(r for r in responses if r.status_code == 422).json()["error"]
    assert (refused["code"], refused["details"]["reason"]) == ("INVALID_ORDER_STATUS", "already_completed")
    steps = list(OrderStep.objects.filter(order_service__order=order).order_by("step_order"))
    assert [s.status for s in steps] == [StepStatus.COMPLETED, StepStatus.IN_PROGRESS] + [StepStatus.PENDING] * 3
    assert steps[1].started_at == steps[0].completed_at
    assert OrderService.objects.get(order=order).current_step_order == 2
    assert Notification.objects.filter(user=resident, event_type="society_order_step_completed").count() == 1
