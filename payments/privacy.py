"""The payments app's personal data (core.privacy): the person's payments and their refunds; the gateway's webhooks.

Payments, refunds and ledger entries keep every amount, date and status after a deletion (the books must
balance); a payment link's customer name, phone and email are blanked.

A Razorpay webhook's payload names the payer: the payment entity carries their email, phone (``contact``), UPI
address, card (holder's name, last digits, issuer), bank or wallet, the acquirer's references and the order's
notes. Every delivery is stored (``payments.services.webhooks``), so these stayed for as long as the row. Now a
payload is **redacted** (:func:`redacted`: only the event, the gateway's ids, amounts, currencies, statuses and
error codes stay) when it is ``PAYMENT_WEBHOOK_RETENTION_DAYS`` old (a retention scan, default 180 days: longer
than the gateway's dispute and chargeback windows, during which the raw payload is the evidence) and at once when
the payer deletes their account (the webhooks of their payments, and any whose payment carries their email or
phone, an unknown order's among them). The row keeps its event, ids, status and dates for reconciliation, and
every field processing reads stays, so a redacted delivery still processes as before.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core import privacy
from payments.models import Payment, PaymentLink, PaymentWebhook, Refund

# The keys a redacted payload keeps, at any depth (the envelope, ``payload.<entity>.entity`` and a payment
# link's ``payments``); every other key goes with its value. What ``payments.services.webhooks`` and
# ``payments.gateways.razorpay_gateway`` read is here.
KEPT = frozenset(
    {
        # the envelope and the entities' wrappers
        "entity", "account_id", "event", "contains", "created_at", "payload",
        "payment", "order", "refund", "payment_link", "payments",
        # the entities' own fields
        "id", "order_id", "payment_id", "invoice_id", "receipt", "batch_id",
        "amount", "amount_paid", "amount_due", "amount_refunded", "currency", "fee", "tax",
        "status", "method", "captured", "refund_status", "international", "attempts",
        "speed_processed", "speed_requested", "expire_by", "short_url",
        "error_code", "error_description", "error_source", "error_step", "error_reason",
    }
)  # fmt: skip

BATCH = 500


def redacted(value: Any) -> Any:
    """``value`` with only the ``KEPT`` keys of each of its objects, at every depth."""
    if isinstance(value, dict):
        return {key: redacted(item) for key, item in value.items() if key in KEPT}
    if isinstance(value, list):
        return [redacted(item) for item in value]
    return value


def _redact(webhooks: QuerySet[PaymentWebhook], *, skip_locked: bool) -> int:
    """Redact the payload of each of ``webhooks`` not redacted yet; how many were. A batch at a time, its rows
    locked. ``skip_locked``: rows another transaction holds (the other of two scans at once, a delivery being
    processed) are left to it or to the next scan; otherwise they are waited for (a deletion redacts them all)."""
    changed = 0
    while True:
        with transaction.atomic():
            batch = list(
                webhooks.filter(payload_redacted_at__isnull=True)
                .select_for_update(skip_locked=skip_locked)
                .only("pk", "payload")
                .order_by()[:BATCH]
            )
            now = timezone.now()
            for webhook in batch:
                webhook.payload, webhook.payload_redacted_at, webhook.updated_at = redacted(webhook.payload), now, now
            PaymentWebhook.objects.bulk_update(batch, ["payload", "payload_redacted_at", "updated_at"])
        changed += len(batch)
        if len(batch) < BATCH:
            return changed


def purge_webhook_payloads() -> int:
    """Redact the webhooks received before ``PAYMENT_WEBHOOK_RETENTION_DAYS``; how many were."""
    cutoff = timezone.now() - timedelta(days=settings.PAYMENT_WEBHOOK_RETENTION_DAYS)
    return _redact(PaymentWebhook.objects.filter(created_at__lt=cutoff), skip_locked=True)


def export(user: Any) -> dict[str, Any]:
    """Two queries whatever the history's size."""
    payments = list(
        Payment.objects.filter(user_id=user.pk)
        .order_by("created_at")
        .values(
            "id",
            "payable_type",
            "payable_id",
            "kind",
            "amount",
            "currency",
            "status",
            "gateway",
            "method",
            "receipt",
            "description",
            "amount_refunded",
            "captured_at",
            "created_at",
        )
    )
    refunds = list(
        Refund.objects.filter(payment__user_id=user.pk)
        .order_by("created_at")
        .values("id", "payment_id", "amount", "refund_type", "status", "reason", "processed_at", "created_at")
    )
    return {"payments": payments, "refunds": refunds}


def anonymise(user: Any) -> None:
    privacy.blank(
        PaymentLink.objects.filter(payment__user_id=user.pk), customer_name="", customer_phone="", customer_email=""
    )
    gateway_ids = list(Payment.objects.filter(user_id=user.pk).values_list("gateway_order_id", "gateway_payment_id"))
    links = list(PaymentLink.objects.filter(payment__user_id=user.pk).values_list("gateway_link_id", flat=True))
    theirs = (
        Q(gateway_order_id__in=[order for order, _ in gateway_ids if order])
        | Q(gateway_payment_id__in=[payment for _, payment in gateway_ids if payment])
        | Q(payload__payload__payment_link__entity__id__in=links)
    )
    if user.email:
        theirs |= Q(payload__payload__payment__entity__email=user.email)
    if user.phone:
        theirs |= Q(payload__payload__payment__entity__contact=str(user.phone))
    _redact(PaymentWebhook.objects.filter(theirs), skip_locked=False)


def register() -> None:
    privacy.register("payments", export=export, anonymise=anonymise)
    privacy.register_retention("payment_webhooks", purge_webhook_payloads)
