"""The gateway interface, and the HMAC rules every gateway shares (Razorpay's).

* Checkout signature: HMAC-SHA256 of ``order_id|payment_id`` with the key secret.
* Webhook signature: HMAC-SHA256 of the raw request body with the webhook secret.

Both are compared in constant time. Amounts cross this boundary in paise
(integers); everywhere else they are ``Decimal`` rupees.
"""

from __future__ import annotations

import hashlib
import hmac
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.errors import DomainError, ErrorCodeEnum


class GatewayErrorCode(ErrorCodeEnum):
    PAYMENT_GATEWAY_ERROR = ("PAYMENT_GATEWAY_ERROR", 502)


class GatewayError(DomainError):
    default_code = GatewayErrorCode.PAYMENT_GATEWAY_ERROR
    default_message = "The payment gateway could not complete the request. Please try again."


def to_paise(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_paise(paise: int) -> Decimal:
    return (Decimal(int(paise)) / 100).quantize(Decimal("0.01"))


def hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class GatewayOrder:
    id: str
    amount_paise: int
    currency: str
    receipt: str
    status: str = "created"


@dataclass(frozen=True)
class GatewayPayment:
    id: str
    order_id: str | None
    amount_paise: int
    currency: str
    status: str  # created | authorized | captured | refunded | failed
    method: str = ""
    fee_paise: int = 0
    error_description: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class GatewayRefund:
    id: str
    payment_id: str
    amount_paise: int
    status: str  # pending | processed | failed


@dataclass(frozen=True)
class GatewayLink:
    id: str
    short_url: str
    status: str  # created | partially_paid | paid | expired | cancelled
    amount_paise: int
    amount_paid_paise: int = 0
    expires_at: datetime | None = None
    payment_ids: list[str] = field(default_factory=list)


class Gateway(ABC):
    name: str

    def __init__(self, *, key_id: str, key_secret: str, webhook_secret: str) -> None:
        self.key_id = key_id
        self.key_secret = key_secret
        self.webhook_secret = webhook_secret

    def payment_signature(self, order_id: str, payment_id: str) -> str:
        return hmac_hex(self.key_secret, f"{order_id}|{payment_id}".encode())

    def verify_payment_signature(self, order_id: str, payment_id: str, signature: str) -> bool:
        return hmac.compare_digest(self.payment_signature(order_id, payment_id), signature or "")

    def webhook_signature(self, body: bytes) -> str:
        return hmac_hex(self.webhook_secret, body)

    def verify_webhook_signature(self, body: bytes, signature: str) -> bool:
        return bool(signature) and hmac.compare_digest(self.webhook_signature(body), signature)

    @abstractmethod
    def create_order(self, *, amount_paise: int, currency: str, receipt: str, notes: dict[str, Any]) -> GatewayOrder:
        """A gateway order that Checkout pays."""

    @abstractmethod
    def fetch_payment(self, payment_id: str) -> GatewayPayment:
        """The gateway's view of one payment."""

    @abstractmethod
    def capture_payment(self, payment_id: str, *, amount_paise: int, currency: str) -> GatewayPayment:
        """Capture an authorized payment."""

    @abstractmethod
    def refund_payment(self, payment_id: str, *, amount_paise: int, notes: dict[str, Any]) -> GatewayRefund:
        """Refund part or all of a captured payment."""

    @abstractmethod
    def create_payment_link(
        self,
        *,
        amount_paise: int,
        currency: str,
        description: str,
        reference_id: str,
        customer: dict[str, str],
        expire_by: int,
        notes: dict[str, Any],
    ) -> GatewayLink:
        """A hosted payment page for staff to send to a customer."""

    @abstractmethod
    def fetch_payment_link(self, link_id: str) -> GatewayLink:
        """A payment link's current state."""

    @abstractmethod
    def list_payments(self, *, since: datetime, until: datetime) -> Iterator[GatewayPayment]:
        """Every payment the gateway has for a time window (reconciliation)."""
