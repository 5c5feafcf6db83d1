"""A small payable of the tests' own (an invoice kept in memory), and helpers for the payments tests."""

from __future__ import annotations

import json
import threading
import uuid
from decimal import Decimal

import pytest

from payments import registry
from payments.gateways import get_gateway
from tests.conftest import client_for, make_user

INVOICE = "tests.invoice"


class Invoices(registry.PayableAdapter):
    def __init__(self) -> None:
        self.items: dict[str, registry.Payable] = {}
        self.events: list[registry.PaymentEvent] = []
        self._lock = threading.Lock()

    def add(self, owner, amount="1180.00", deposit=None) -> registry.Payable:
        payable_id = uuid.uuid4().hex[:12]
        payable = registry.Payable(
            type=INVOICE,
            id=payable_id,
            amount_due=Decimal(amount),
            owner_id=owner.pk,
            reference=f"INV-{payable_id[:6].upper()}",
            description="Deep cleaning, 2 hours",
            deposit_amount=Decimal(deposit) if deposit is not None else None,
            prefill={"name": owner.full_name, "email": owner.email or "", "contact": owner.phone or ""},
        )
        self.items[payable_id] = payable
        return payable

    def describe(self, payable_id: str) -> registry.Payable | None:
        return self.items.get(payable_id)

    def on_payment_event(self, event: registry.PaymentEvent) -> None:
        with self._lock:
            self.events.append(event)

    def events_for(self, payable_id: str) -> list[tuple[str, str]]:
        return [(e.old_status, e.new_status) for e in self.events if e.payable_id == payable_id]


@pytest.fixture
def invoices():
    adapter = Invoices()
    registry.register(INVOICE, adapter)
    yield adapter
    registry.unregister(INVOICE)


@pytest.fixture
def payer(db):
    return make_user(email="payer@example.com", phone="+919800000101", full_name="Pia Payer")


@pytest.fixture
def payer_client(payer):
    return client_for(payer)


def order_body(payable, **extra):
    return {"payable_type": payable.type, "payable_id": payable.id, **extra}


def create_order(client, payable, key=None, **extra):
    return client.post(
        "/api/v1/payments/orders",
        order_body(payable, **extra),
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
    )


def webhook_body(event, *, order_id="", payment_id="", amount_paise=118000, status=None, refund=None, fee=2360):
    payload = {
        "payment": {
            "entity": {
                "id": payment_id,
                "order_id": order_id,
                "amount": amount_paise,
                "currency": "INR",
                "status": status or ("captured" if event in ("payment.captured", "order.paid") else "failed"),
                "method": "upi",
                "fee": fee,
                "error_description": "Bank declined" if event == "payment.failed" else None,
            }
        }
    }
    if refund:
        payload["refund"] = {"entity": refund}
    return json.dumps({"entity": "event", "event": event, "payload": payload}).encode()


def post_webhook(client, body: bytes, *, event_id=None, signature=None):
    signature = signature if signature is not None else get_gateway().webhook_signature(body)
    return client.generic(
        "POST",
        "/api/v1/payments/webhook",
        body,
        content_type="application/json",
        HTTP_X_RAZORPAY_SIGNATURE=signature,
        HTTP_X_RAZORPAY_EVENT_ID=event_id or uuid.uuid4().hex,
    )
