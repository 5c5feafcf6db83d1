"""Twenty orders placed at the same moment on PostgreSQL get twenty distinct, gapless order numbers."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, RateCard
from societies.models import ApprovalStatus, Residence
from tests.accounts.test_concurrency import run_together
from tests.conftest import client_for
from tests.orders.helpers import living_in, serving
from tests.societies.helpers import apartment, laundry_services

ORDERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_orders_at_once_get_twenty_distinct_gapless_numbers():
    society = apartment(towers=1, floors=1, flats=1)
    ironing, _ = laundry_services()
    partner = serving(society, "Sparkle", prices={ironing: [("Shirt", "10.00")]})
    user = living_in(society, "A-001", ApprovalStatus.VERIFIED)
    Residence.objects.filter(user=user).update(is_active=True)
    item_id = RateCard.objects.get(partner=partner).published_items[0]["item_id"]
    payload = {
        "vendor_id": str(partner.pk),
        "society_id": society.pk,
        "pickup_datetime": (timezone.now() + timedelta(days=2)).isoformat(),
        "items": [{"service_id": str(ironing.pk), "rate_card_item_id": item_id, "quantity": 2}],
    }
    clients = [client_for(user) for _ in range(ORDERS)]

    def place(index):
        key = str(uuid.uuid4())
        return clients[index].post("/api/v1/orders", payload, format="json", HTTP_X_IDEMPOTENCY_KEY=key).status_code

    statuses = run_together(ORDERS, place)

    assert statuses == [201] * ORDERS
    numbers = sorted(Order.objects.values_list("order_number", flat=True))
    assert len(set(numbers)) == ORDERS
    day = timezone.localdate().strftime("%Y%m%d")
    assert numbers == [f"ORD{day}{n:06d}" for n in range(1, ORDERS + 1)]
