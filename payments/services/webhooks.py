"""Razorpay webhooks (seed 000 "Payment Webhook Handler", DESIGN.md section 6).

Receiving is quick and does no gateway work: the signature over the raw body
is checked, every delivery is stored, and duplicates are recognised by unique
keys (``evt:<X-Razorpay-Event-Id>`` and ``<object id>:<event>``) inserted in
the same transaction, so ten simultaneous deliveries of one event leave one
to process. Processing runs in a Celery task after commit, retried with
exponential backoff three times, then flagged for manual review. An event for
an order we do not know is stored, acknowledged and flagged. Events: payment.
captured, payment.failed, order.paid, refund.processed, refund.failed,
payment.refunded, payment_link.paid; others are stored and ignored.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import DomainError, ErrorCode
from core.jobs import enqueue
from core.types import Id
from payments.errors import PaymentErrorCode
from payments.gateways import get_gateway
from payments.gateways.base import GatewayPayment, from_paise
from payments.gateways.razorpay_gateway import payment_from_entity
from payments.models import (
    Payment,
    PaymentLink,
    PaymentLinkStatus,
    PaymentWebhook,
    Refund,
    WebhookDedupKey,
    WebhookStatus,
)
from payments.services.payable_sync import payable_sync_after_commit
from payments.services.payments import payment_apply_gateway_state
from payments.services.refunds import refund_mark_failed, refund_mark_processed, refund_record_external

PROCESS_TASK = "payments.tasks.process_webhook"
PAYMENT_EVENTS = {"payment.captured", "payment.failed", "order.paid", "payment.authorized"}
REFUND_EVENTS = {"refund.processed", "refund.failed", "payment.refunded", "refund.created"}
LINK_EVENTS = {"payment_link.paid"}

logger = logging.getLogger(__name__)


def _entity(payload: dict[str, Any], name: str) -> dict[str, Any]:
    return ((payload.get("payload") or {}).get(name) or {}).get("entity") or {}


def _ids(payload: dict[str, Any]) -> dict[str, str]:
    payment = _entity(payload, "payment")
    order = _entity(payload, "order")
    refund = _entity(payload, "refund")
    return {
        "gateway_payment_id": payment.get("id") or refund.get("payment_id") or "",
        "gateway_order_id": payment.get("order_id") or order.get("id") or "",
        "gateway_refund_id": refund.get("id") or "",
    }


def _dedup_keys(event_id: str, event_type: str, ids: dict[str, str]) -> list[str]:
    keys = [f"evt:{event_id}"] if event_id else []
    subject = ids["gateway_refund_id"] or ids["gateway_payment_id"] or ids["gateway_order_id"]
    if subject:
        keys.append(f"{subject}:{event_type}")
    return keys


def webhook_receive(*, body: bytes, signature: str, event_id: str) -> PaymentWebhook:
    """Store and deduplicate one delivery; raise ``INVALID_SIGNATURE`` (after storing it) if it is not Razorpay's."""
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError("not an object")
    except ValueError as exc:
        raise DomainError("The webhook body is not a JSON object.", code=ErrorCode.INVALID_REQUEST) from exc
    event_type = str(payload.get("event") or "")[:64]
    ids = _ids(payload)
    verified = get_gateway().verify_webhook_signature(body, signature)
    with transaction.atomic():
        webhook = PaymentWebhook.objects.create(
            event_id=event_id[:64],
            event_type=event_type,
            payload=payload,
            signature=signature[:128],
            is_verified=verified,
            status=WebhookStatus.RECEIVED if verified else WebhookStatus.IGNORED,
            processing_error="" if verified else "bad signature",
            **ids,
        )
        if verified:
            try:
                with transaction.atomic():
                    WebhookDedupKey.objects.bulk_create(
                        [WebhookDedupKey(key=key, webhook=webhook) for key in _dedup_keys(event_id, event_type, ids)]
                    )
            except IntegrityError:
                webhook.status = WebhookStatus.DUPLICATE
                webhook.save(update_fields=["status", "updated_at"])
            else:
                webhook_pk = str(webhook.pk)
                transaction.on_commit(lambda: _queue_processing(webhook_pk))
    if not verified:
        raise DomainError(
            "The webhook signature does not match. Nothing was processed.",
            code=PaymentErrorCode.INVALID_SIGNATURE,
            field="X-Razorpay-Signature",
            reason="bad_signature",
        )
    return webhook


def _queue_processing(webhook_pk: str) -> None:
    """Hand a stored delivery to the worker. If the broker cannot take it, the delivery stays ``received``
    and ``sweep_unprocessed_webhooks`` queues it again; Razorpay is still answered 200, since its retry
    would only be recognised as a duplicate."""
    try:
        enqueue(PROCESS_TASK, webhook_pk)
    except Exception:
        logger.exception("Could not queue webhook %s for processing; the sweep will requeue it", webhook_pk)


def _finish(webhook: PaymentWebhook, status: str, error: str = "") -> None:
    webhook.status, webhook.processing_error, webhook.processed_at = status, error, timezone.now()
    webhook.save(update_fields=["status", "processing_error", "processed_at", "updated_at"])


def _gateway_payment(webhook: PaymentWebhook) -> GatewayPayment | None:
    entity = _entity(webhook.payload, "payment")
    if entity.get("id"):
        gateway_payment = payment_from_entity(entity)
        if webhook.event_type == "order.paid" and gateway_payment.status != "captured":
            return None
        return gateway_payment
    return None


def _process_payment_event(webhook: PaymentWebhook) -> str:
    payment = Payment.objects.filter(gateway_order_id=webhook.gateway_order_id).first()
    if payment is None:
        return WebhookStatus.UNKNOWN_ORDER
    gateway_payment = _gateway_payment(webhook)
    if gateway_payment is None or webhook.event_type == "payment.authorized":
        return WebhookStatus.IGNORED
    payment_apply_gateway_state(payment_pk=payment.pk, gateway_payment=gateway_payment)
    return WebhookStatus.PROCESSED


def _process_refund_event(webhook: PaymentWebhook) -> str:
    entity = _entity(webhook.payload, "refund")
    if not webhook.gateway_refund_id:
        return WebhookStatus.IGNORED  # payment.refunded without its refund: the refund's own event carries it
    refund = Refund.objects.filter(gateway_refund_id=webhook.gateway_refund_id).first()
    if webhook.event_type == "refund.failed":
        if refund is not None:
            refund_mark_failed(refund_pk=refund.pk, reason=entity.get("error_description") or "refund failed")
        return WebhookStatus.PROCESSED
    if webhook.event_type == "refund.created" or entity.get("status") not in ("processed", None):
        return WebhookStatus.IGNORED
    if refund is not None:
        refund_mark_processed(refund_pk=refund.pk)
        return WebhookStatus.PROCESSED
    payment = Payment.objects.filter(gateway_payment_id=webhook.gateway_payment_id).first()
    if payment is None:
        return WebhookStatus.UNKNOWN_ORDER
    refund_record_external(
        payment=payment, gateway_refund_id=webhook.gateway_refund_id, amount=from_paise(int(entity.get("amount") or 0))
    )
    return WebhookStatus.PROCESSED


def _process_link_event(webhook: PaymentWebhook) -> str:
    link_entity = _entity(webhook.payload, "payment_link")
    link = PaymentLink.objects.filter(gateway_link_id=link_entity.get("id", "")).first()
    if link is None:
        return WebhookStatus.UNKNOWN_ORDER
    PaymentLink.objects.filter(pk=link.pk).update(
        status=PaymentLinkStatus.PAID, amount_paid=from_paise(int(link_entity.get("amount_paid") or 0))
    )
    gateway_payment = _gateway_payment(webhook)
    if gateway_payment is not None:
        payment_apply_gateway_state(payment_pk=link.payment_id, gateway_payment=gateway_payment)
    return WebhookStatus.PROCESSED


def _payable_catch_up(webhook: PaymentWebhook) -> None:
    """A processed delivery's task ran again: its worker died after the commit, before the on-commit callback
    told the payable (the message, never acknowledged, came back). Tell it now; ``payable_sync`` tells only
    what the payable has not heard, so a payable that did hear is not told twice."""
    ids = Q(gateway_order_id=webhook.gateway_order_id) if webhook.gateway_order_id else Q(pk__in=[])
    if webhook.gateway_payment_id:
        ids |= Q(gateway_payment_id=webhook.gateway_payment_id)
    for payment_pk in Payment.objects.filter(ids).values_list("pk", flat=True):
        payable_sync_after_commit(payment_pk)


def webhook_process(*, webhook_pk: Id) -> str:
    """Apply one stored delivery; safe to run again (the payment and refund transitions are idempotent)."""
    with transaction.atomic():
        webhook = PaymentWebhook.objects.select_for_update().get(pk=webhook_pk)
        if webhook.status not in (WebhookStatus.RECEIVED, WebhookStatus.FAILED, WebhookStatus.MANUAL_REVIEW):
            if webhook.status == WebhookStatus.PROCESSED:  # this task again, after its commit: see _payable_catch_up
                transaction.on_commit(lambda: _payable_catch_up(webhook))
            return webhook.status
        if webhook.event_type in PAYMENT_EVENTS:
            status = _process_payment_event(webhook)
        elif webhook.event_type in REFUND_EVENTS:
            status = _process_refund_event(webhook)
        elif webhook.event_type in LINK_EVENTS:
            status = _process_link_event(webhook)
        else:
            status = WebhookStatus.IGNORED
        error = "No payment here has this order; flagged for review." if status == WebhookStatus.UNKNOWN_ORDER else ""
        _finish(webhook, status, error)
        return status


def webhook_record_failure(*, webhook_pk: Id, error: str, attempts: int) -> str:
    """After a failed attempt: ``failed`` (to be retried) or, past the retries, ``manual_review``."""
    final = attempts > settings.WEBHOOK_MAX_RETRIES
    status = WebhookStatus.MANUAL_REVIEW if final else WebhookStatus.FAILED
    PaymentWebhook.objects.filter(pk=webhook_pk).update(
        status=status, retry_count=attempts, processing_error=error[:2000], updated_at=timezone.now()
    )
    return status


def webhook_reprocess(*, webhook_pk: Id) -> str:
    """Staff's "reprocess" (Django admin): run a flagged or failed delivery again."""
    PaymentWebhook.objects.filter(
        pk=webhook_pk, status__in=[WebhookStatus.MANUAL_REVIEW, WebhookStatus.FAILED, WebhookStatus.UNKNOWN_ORDER]
    ).update(status=WebhookStatus.RECEIVED)
    return webhook_process(webhook_pk=webhook_pk)
