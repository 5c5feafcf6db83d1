"""Payments tables: seed 000 tables 8-11 grown into a generic layer.

* ``Payment`` (table 8): one gateway order (or one cash/manual receipt) for a
  payable; several attempts per payable until one succeeds; deposit and
  balance are payments of the same payable. Its state machine is
  ``PAYMENT_TRANSITIONS``; a success never goes back.
* ``IdempotencyKey`` (table 9) lives in ``core`` and serves every app.
* ``PaymentWebhook`` (table 10): every delivery, with ``WebhookDedupKey`` rows
  whose unique keys make a second processing of one event impossible.
* ``LedgerAccount`` / ``LedgerEntry`` (table 11 as real double-entry): every
  money movement is entries that sum to zero; entries are never updated or
  deleted (a database trigger refuses it).
* ``Refund``, ``PaymentLink`` (seed 003), ``ReconciliationReport``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from core.models import BaseModel
from core.statemachine import StateMachine
from payments.errors import PaymentErrorCode

ZERO = Decimal("0.00")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCESS = "success", "Success"
    FAILED = "failed", "Failed"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


PAID_STATUSES = (PaymentStatus.SUCCESS, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)

# Allowed transitions (DESIGN.md: a state machine is a table next to its model).
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    PaymentStatus.PENDING: {PaymentStatus.SUCCESS, PaymentStatus.FAILED},
    # A failed attempt may still succeed on the same order (the customer retries inside Checkout).
    PaymentStatus.FAILED: {PaymentStatus.SUCCESS},
    PaymentStatus.SUCCESS: {PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED},
    PaymentStatus.PARTIALLY_REFUNDED: {PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED},
    PaymentStatus.REFUNDED: set(),
}


class PaymentKind(models.TextChoices):
    FULL = "full", "Full amount"
    DEPOSIT = "deposit", "Deposit"
    BALANCE = "balance", "Remaining balance"


class PaymentGatewayName(models.TextChoices):
    RAZORPAY = "razorpay", "Razorpay"
    OFFLINE = "offline", "Offline gateway"
    CASH = "cash", "Cash / manual"


class PaymentMethod(models.TextChoices):
    UPI = "upi", "UPI"
    CARD = "card", "Card"
    NETBANKING = "netbanking", "Net banking"
    WALLET = "wallet", "Wallet"
    EMI = "emi", "EMI"
    CASH = "cash", "Cash"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    OTHER = "other", "Other"


class Payment(BaseModel):
    payable_type = models.CharField(max_length=64)
    payable_id = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=16, choices=PaymentKind.choices, default=PaymentKind.FULL)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="INR")
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    gateway = models.CharField(max_length=16, choices=PaymentGatewayName.choices)
    method = models.CharField(max_length=16, choices=PaymentMethod.choices, blank=True)
    gateway_order_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    gateway_payment_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    gateway_signature = models.CharField(max_length=128, blank=True)
    receipt = models.CharField(max_length=64, unique=True)
    description = models.CharField(max_length=255, blank=True)
    failure_reason = models.TextField(blank=True)
    fee = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    captured_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001 (unique when present)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recorded a cash or manual payment.",
    )
    notes = models.JSONField(default=dict, blank=True)
    # The payable hears every committed change (payments.services.payable_sync): each transition
    # bumps ``event_version``; the payable's acknowledgement, written in the same transaction as
    # its own reaction, sets ``payable_version`` and ``payable_status`` to what it heard.
    event_version = models.PositiveIntegerField(default=0)
    payable_version = models.PositiveIntegerField(default=0)
    payable_status = models.CharField(max_length=20, choices=PaymentStatus.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["payable_type", "payable_id"]),
            # The repair sweep's question: which payments has their payable not heard yet?
            models.Index(
                fields=["updated_at"],
                condition=models.Q(event_version__gt=models.F("payable_version")),
                name="payment_payable_lagging",
            ),
            models.Index(fields=["status"]),
            models.Index(fields=["user", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__gte=0) & models.Q(amount_refunded__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
            # A second charge for the same request is impossible, whatever happened to the cache.
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="payment_one_per_idempotency_key",
            ),
            # A payable is paid at most once per kind (one deposit, one balance, or one full payment).
            models.UniqueConstraint(
                fields=["payable_type", "payable_id", "kind"],
                condition=models.Q(status__in=["success", "partially_refunded", "refunded"]),
                name="payment_one_success_per_payable_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt} {self.amount} {self.currency} ({self.status})"

    @property
    def refundable(self) -> Decimal:
        return self.amount - self.amount_refunded if self.status in PAID_STATUSES else ZERO


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"


class RefundType(models.TextChoices):
    FULL = "full", "Full"
    PARTIAL = "partial", "Partial"
    DEPOSIT_ONLY = "deposit_only", "Deposit only"


class Refund(BaseModel):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    refund_type = models.CharField(max_length=16, choices=RefundType.choices, default=RefundType.PARTIAL)
    status = models.CharField(max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    gateway_refund_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    failure_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"Refund {self.amount} of {self.payment_id} ({self.status})"


class WebhookStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    DUPLICATE = "duplicate", "Duplicate (already received)"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored (event not used)"
    UNKNOWN_ORDER = "unknown_order", "Unknown order (flagged)"
    FAILED = "failed", "Failed, will retry"
    MANUAL_REVIEW = "manual_review", "Needs manual review"


class PaymentWebhook(BaseModel):
    """Every webhook delivery, verified or not, duplicate or not (seed 000 table 10)."""

    event_id = models.CharField(max_length=64, blank=True, db_index=True)
    event_type = models.CharField(max_length=64)
    gateway_payment_id = models.CharField(max_length=64, blank=True, db_index=True)
    gateway_order_id = models.CharField(max_length=64, blank=True, db_index=True)
    gateway_refund_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    signature = models.CharField(max_length=128, blank=True)
    is_verified = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=WebhookStatus.choices, default=WebhookStatus.RECEIVED)
    retry_count = models.PositiveSmallIntegerField(default=0)
    processing_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    payload_redacted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the payload lost the payer's contacts and instrument (payments.privacy): after "
        "PAYMENT_WEBHOOK_RETENTION_DAYS, or when the payer deleted their account.",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id or self.pk} ({self.status})"


class WebhookDedupKey(models.Model):
    """``evt:<event id>`` and ``<object id>:<event>``: one webhook may hold each key, ever."""

    key = models.CharField(max_length=200, unique=True)
    webhook = models.ForeignKey(PaymentWebhook, on_delete=models.CASCADE, related_name="dedup_keys")

    def __str__(self) -> str:
        return self.key


class LedgerAccountKind(models.TextChoices):
    ASSET = "asset", "Asset"
    LIABILITY = "liability", "Liability"
    REVENUE = "revenue", "Revenue"
    EXPENSE = "expense", "Expense"


class LedgerAccount(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=LedgerAccountKind.choices)

    def __str__(self) -> str:
        return self.code


class LedgerEntry(BaseModel):
    """One side of a posting: positive is a debit, negative a credit; a posting's entries sum to zero."""

    posting_id = models.UUIDField(db_index=True)
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="INR")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries")
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries")
    payable_type = models.CharField(max_length=64, blank=True)
    payable_id = models.CharField(max_length=64, blank=True)
    memo = models.CharField(max_length=255)

    class Meta:
        ordering = ["created_at", "posting_id"]
        verbose_name_plural = "ledger entries"
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount} ({self.memo})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("The ledger is append-only: post a correcting entry instead of editing one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The ledger is append-only: post a correcting entry instead of deleting one.")


class PaymentLinkStatus(models.TextChoices):
    CREATED = "created", "Created"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


class PaymentLink(BaseModel):
    """A hosted payment page staff send to a customer (seed 003)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="link")
    gateway_link_id = models.CharField(max_length=64, unique=True)
    short_url = models.URLField(max_length=300)
    status = models.CharField(max_length=16, choices=PaymentLinkStatus.choices, default=PaymentLinkStatus.CREATED)
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    expires_at = models.DateTimeField(null=True, blank=True)
    customer_name = models.CharField(max_length=150, blank=True)
    customer_phone = models.CharField(max_length=16, blank=True)
    customer_email = models.EmailField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.gateway_link_id} ({self.status})"


class ReconciliationReport(BaseModel):
    """One day compared with the gateway: what matched, what we fixed, what needs a person."""

    day = models.DateField()
    gateway = models.CharField(max_length=16, choices=PaymentGatewayName.choices)
    gateway_payments = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    fixed = models.PositiveIntegerField(default=0, help_text="Captured here because a webhook was lost.")
    discrepancies = models.PositiveIntegerField(default=0)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["day", "gateway"], name="reconciliation_one_per_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.gateway}: {self.matched} matched, {self.fixed} fixed, {self.discrepancies} to check"


# Every payment status write goes through this (payments.services.payments.payment_transition). A partial refund
# after a partial refund is a new change (the refunded amount moves).
PAYMENT_STATES = StateMachine(
    model=Payment,
    transitions=PAYMENT_TRANSITIONS,
    error_code=PaymentErrorCode.INVALID_PAYMENT_STATUS,
    thing="payment",
    repeatable=frozenset({PaymentStatus.PARTIALLY_REFUNDED}),
)
