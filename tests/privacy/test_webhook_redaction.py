"""Razorpay webhooks hold the payer's email, phone, UPI address and card: their payloads are redacted after
PAYMENT_WEBHOOK_RETENTION_DAYS (beat's retention scan) and at once when the payer deletes their account. A
redacted payload keeps every field processing reads, so a delivery redacted before it was processed is processed
the same; the payer's contacts and instrument are gone from it."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from payments.gateways import get_gateway
from payments.gateways.razorpay_gateway import link_from_entity, payment_from_entity
from payments.models import LedgerEntry, Payment, PaymentStatus, PaymentWebhook, WebhookStatus
from payments.privacy import purge_webhook_payloads, redacted
from payments.services.webhooks import webhook_process, webhook_receive
from tests.conftest import client_for, make_user
from tests.payments.conftest import create_order
from tests.privacy.helpers import EMAIL, PHONE, history

CARD_HOLDER = "ASHA PRIVATE"
VPA = "asha.private@okbank"


def captured(*, order_id: str = "order_A1", payment_id: str = "pay_A1", email: str = EMAIL, phone: str = PHONE):
    """A ``payment.captured`` delivery as Razorpay sends it, the payer's details in it."""
    return {
        "entity": "event",
        "account_id": "acc_X",
        "event": "payment.captured",
        "contains": ["payment"],
        "created_at": 1767225600,
        "payload": {
            "payment": {
                "entity": {
                    "id": payment_id,
                    "entity": "payment",
                    "amount": 118000,
                    "currency": "INR",
                    "status": "captured",
                    "order_id": order_id,
                    "method": "card",
                    "amount_refunded": 0,
                    "captured": True,
                    "description": f"Booking for {CARD_HOLDER}",
                    "card": {"id": "card_1", "name": CARD_HOLDER, "last4": "4242", "network": "Visa"},
                    "bank": None,
                    "wallet": None,
                    "vpa": VPA,
                    "email": email,
                    "contact": phone,
                    "notes": {"address": "12 Lake Road"},
                    "fee": 2360,
                    "tax": 360,
                    "error_code": None,
                    "error_description": None,
                    "acquirer_data": {"rrn": "123456789012", "auth_code": "A1B2C3"},
                    "created_at": 1767225590,
                }
            }
        },
    }


def test_a_redacted_payload_keeps_what_processing_reads_and_none_of_the_payer():
    payment_event = captured()
    link_event = {
        "entity": "event",
        "event": "payment_link.paid",
        "payload": {
            "payment_link": {
                "entity": {
                    "id": "plink_1",
                    "amount": 118000,
                    "amount_paid": 118000,
                    "status": "paid",
                    "short_url": "https://rzp.io/i/abc",
                    "expire_by": 1767312000,
                    "customer": {"name": CARD_HOLDER, "email": EMAIL, "contact": PHONE},
                    "payments": [{"payment_id": "pay_A1", "amount": 118000, "method": "upi", "status": "captured"}],
                    "notes": {"flat": "B-402"},
                }
            },
            "payment": payment_event["payload"]["payment"],
        },
    }

    for event in (payment_event, link_event):
        kept = redacted(event)
        text = json.dumps(kept)
        for secret in (EMAIL, PHONE, CARD_HOLDER, VPA, "4242", "12 Lake Road", "B-402", "123456789012"):
            assert secret not in text
        assert kept["event"] == event["event"]
        assert payment_from_entity(kept["payload"]["payment"]["entity"]) == payment_from_entity(
            event["payload"]["payment"]["entity"]
        )
    assert link_from_entity(redacted(link_event)["payload"]["payment_link"]["entity"]) == link_from_entity(
        link_event["payload"]["payment_link"]["entity"]
    )
    assert redacted(redacted(payment_event)) == redacted(payment_event)


@pytest.mark.django_db
def test_a_delivery_redacted_before_it_was_processed_is_processed_the_same(invoices):
    payer = make_user(email=EMAIL, phone=PHONE, full_name="Asha Private")
    order = create_order(client_for(payer), invoices.add(payer, amount="1180.00")).json()["data"]
    body = json.dumps(captured(order_id=order["order_id"], payment_id="pay_R1")).encode()
    webhook = webhook_receive(body=body, signature=get_gateway().webhook_signature(body), event_id="evt_R1")
    old = timezone.now() - timedelta(days=settings.PAYMENT_WEBHOOK_RETENTION_DAYS + 1)
    PaymentWebhook.objects.filter(pk=webhook.pk).update(created_at=old)

    assert purge_webhook_payloads() == 1
    assert webhook_process(webhook_pk=webhook.pk) == WebhookStatus.PROCESSED

    payment = Payment.objects.get(pk=order["payment_id"])
    assert (payment.status, payment.gateway_payment_id) == (PaymentStatus.SUCCESS, "pay_R1")
    assert payment.fee == Decimal("23.60")
    assert LedgerEntry.objects.filter(payment=payment, memo__startswith="Captured").count() == 2
    stored = PaymentWebhook.objects.get(pk=webhook.pk)
    assert stored.payload_redacted_at is not None
    for secret in (EMAIL, PHONE, CARD_HOLDER, VPA):
        assert secret not in json.dumps(stored.payload)


@pytest.mark.django_db(transaction=True)
def test_deleting_the_account_redacts_the_webhooks_that_name_the_payer_at_once():
    story = history()
    payment = Payment.objects.filter(user=story.user).first()
    Payment.objects.filter(pk=payment.pk).update(gateway_order_id="order_asha", gateway_payment_id="pay_asha")

    def stored(payload, **ids):
        return PaymentWebhook.objects.create(
            event_type="payment.captured", payload=payload, is_verified=True, status=WebhookStatus.PROCESSED, **ids
        )

    theirs = stored(captured(order_id="order_asha", payment_id="pay_asha"), gateway_payment_id="pay_asha")
    by_order = stored(captured(order_id="order_asha", payment_id="pay_asha2"), gateway_order_id="order_asha")
    unknown = stored(captured(order_id="order_elsewhere", payment_id="pay_x", email="x@example.com"))  # their phone
    other = stored(captured(order_id="order_b", payment_id="pay_b", email="b@example.com", phone="+919800000999"))

    response = client_for(story.user).delete("/api/v1/users/me", {"confirm": "DELETE"}, format="json")

    assert response.status_code == 200, response.content
    for webhook in (theirs, by_order, unknown):
        row = PaymentWebhook.objects.get(pk=webhook.pk)
        text = json.dumps(row.payload)
        assert row.payload_redacted_at is not None
        for secret in (EMAIL, PHONE, CARD_HOLDER, VPA):
            assert secret not in text
        assert row.payload["payload"]["payment"]["entity"]["amount"] == 118000  # the evidence of the amount stays
    untouched = PaymentWebhook.objects.get(pk=other.pk)
    assert untouched.payload_redacted_at is None
    assert untouched.payload["payload"]["payment"]["entity"]["email"] == "b@example.com"


@pytest.mark.django_db(transaction=True)
def test_a_deletion_waits_for_a_webhook_being_processed_and_redacts_it_too():
    story = history()
    held = PaymentWebhook.objects.create(
        event_type="payment.captured", payload=captured(), is_verified=True, status=WebhookStatus.RECEIVED
    )
    locked, release = threading.Event(), threading.Event()

    def processing():  # another worker holds the row, as webhook_process does
        try:
            with transaction.atomic():
                PaymentWebhook.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=processing)
    worker.start()
    assert locked.wait(10)
    threading.Timer(1.0, release.set).start()

    response = client_for(story.user).delete("/api/v1/users/me", {"confirm": "DELETE"}, format="json")
    worker.join(10)

    assert response.status_code == 200, response.content
    row = PaymentWebhook.objects.get(pk=held.pk)
    assert row.payload_redacted_at is not None
    assert PHONE not in json.dumps(row.payload)
