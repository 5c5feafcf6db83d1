"""The offline gateway of the embedded default: ids made locally, Razorpay's HMAC rules.

It keeps its orders, payments, refunds and links in the shared cache (the
embedded Redis), so the web server and the worker see the same "gateway".
``simulate_checkout`` plays the part of Razorpay Checkout for a person trying
the platform without Razorpay keys: it pays (or fails) an order and returns
what Checkout would hand the app (``razorpay_payment_id``,
``razorpay_signature``), signed with the same key secret.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.core.cache import cache

from payments.gateways.base import Gateway, GatewayError, GatewayLink, GatewayOrder, GatewayPayment, GatewayRefund

PREFIX = "offline-gateway"
KEEP_SECONDS = 60 * 60 * 24 * 45


def _new_id(kind: str) -> str:
    return f"{kind}_off{secrets.token_hex(7)}"


def _key(kind: str, ident: str) -> str:
    return f"{PREFIX}:{kind}:{ident}"


class OfflineGateway(Gateway):
    name = "offline"
    fee_rate_bp = 200  # 2 %, as Razorpay's standard fee, so the ledger shows fees offline too

    def _get(self, kind: str, ident: str) -> dict[str, Any]:
        record = cache.get(_key(kind, ident))
        if record is None:
            raise GatewayError(f"The offline gateway has no {kind} {ident}.", reason="not_found")
        return record

    def _put(self, kind: str, ident: str, record: dict[str, Any]) -> None:
        cache.set(_key(kind, ident), record, timeout=KEEP_SECONDS)

    def create_order(self, *, amount_paise: int, currency: str, receipt: str, notes: dict[str, Any]) -> GatewayOrder:
        order = GatewayOrder(id=_new_id("order"), amount_paise=amount_paise, currency=currency, receipt=receipt)
        self._put("order", order.id, {**order.__dict__, "notes": notes})
        return order

    def _payment(self, record: dict[str, Any]) -> GatewayPayment:
        return GatewayPayment(
            id=record["id"],
            order_id=record["order_id"],
            amount_paise=record["amount_paise"],
            currency=record["currency"],
            status=record["status"],
            method=record.get("method", "upi"),
            fee_paise=record.get("fee_paise", 0),
            error_description=record.get("error_description", ""),
            created_at=datetime.fromtimestamp(record["created_at"], tz=UTC),
        )

    def simulate_checkout(self, order_id: str, *, succeed: bool = True, method: str = "upi") -> dict[str, str]:
        order = self._get("order", order_id)
        payment_id = _new_id("pay")
        record = {
            "id": payment_id,
            "order_id": order_id,
            "amount_paise": order["amount_paise"],
            "currency": order["currency"],
            "status": "captured" if succeed else "failed",
            "method": method,
            "fee_paise": order["amount_paise"] * self.fee_rate_bp // 10000 if succeed else 0,
            "error_description": "" if succeed else "Payment declined by the (offline) bank.",
            "created_at": time.time(),
        }
        self._put("payment", payment_id, record)
        index = cache.get(_key("index", "payments")) or []
        cache.set(_key("index", "payments"), [*index[-5000:], payment_id], timeout=KEEP_SECONDS)
        return {
            "razorpay_order_id": order_id,
            "razorpay_payment_id": payment_id,
            "razorpay_signature": self.payment_signature(order_id, payment_id),
            "status": record["status"],
        }

    def fetch_payment(self, payment_id: str) -> GatewayPayment:
        return self._payment(self._get("payment", payment_id))

    def capture_payment(self, payment_id: str, *, amount_paise: int, currency: str) -> GatewayPayment:
        record = self._get("payment", payment_id)
        if record["status"] == "authorized":
            record["status"] = "captured"
            self._put("payment", payment_id, record)
        return self._payment(record)

    def refund_payment(self, payment_id: str, *, amount_paise: int, notes: dict[str, Any]) -> GatewayRefund:
        record = self._get("payment", payment_id)
        refunded = record.get("refunded_paise", 0) + amount_paise
        if refunded > record["amount_paise"]:
            raise GatewayError("The refund is larger than what is left on the payment.", reason="over_refund")
        record["refunded_paise"] = refunded
        self._put("payment", payment_id, record)
        refund = GatewayRefund(id=_new_id("rfnd"), payment_id=payment_id, amount_paise=amount_paise, status="processed")
        self._put("refund", refund.id, refund.__dict__)
        return refund

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
        link_id = _new_id("plink")
        record = {
            "id": link_id,
            "short_url": f"http://127.0.0.1:8000/offline-pay/{link_id}",
            "status": "created",
            "amount_paise": amount_paise,
            "amount_paid_paise": 0,
            "expire_by": expire_by,
        }
        self._put("link", link_id, record)
        return self.fetch_payment_link(link_id)

    def simulate_link_payment(self, link_id: str) -> str:
        """The customer pays the link: a captured payment, and the link marked paid."""
        record = self._get("link", link_id)
        payment_id = _new_id("pay")
        self._put("payment", payment_id, {
            "id": payment_id, "order_id": None, "amount_paise": record["amount_paise"], "currency": "INR",
            "status": "captured", "method": "upi", "fee_paise": 0, "created_at": time.time(),
        })  # fmt: skip
        record.update(status="paid", amount_paid_paise=record["amount_paise"], payment_ids=[payment_id])
        self._put("link", link_id, record)
        return payment_id

    def fetch_payment_link(self, link_id: str) -> GatewayLink:
        record = self._get("link", link_id)
        return GatewayLink(
            id=record["id"],
            short_url=record["short_url"],
            status=record["status"],
            amount_paise=record["amount_paise"],
            amount_paid_paise=record["amount_paid_paise"],
            expires_at=datetime.fromtimestamp(record["expire_by"], tz=UTC),
            payment_ids=record.get("payment_ids", []),
        )

    def list_payments(self, *, since: datetime, until: datetime) -> Iterator[GatewayPayment]:
        for payment_id in cache.get(_key("index", "payments")) or []:
            record = cache.get(_key("payment", payment_id))
            if record and since.timestamp() <= record["created_at"] < until.timestamp():
                yield self._payment(record)
