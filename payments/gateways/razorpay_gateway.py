"""Razorpay through its official SDK (``razorpay``), which speaks HTTPS with ``requests``.

Every call has a 10-second timeout; SDK and network errors become
``PAYMENT_GATEWAY_ERROR`` (502). A request waiting on Razorpay gives its turn
to another meanwhile (``core.admission.outside``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import razorpay
import requests
from razorpay.errors import BadRequestError, ServerError, SignatureVerificationError
from razorpay.errors import GatewayError as RazorpaySdkGatewayError

from core.admission import outside
from payments.gateways.base import Gateway, GatewayError, GatewayLink, GatewayOrder, GatewayPayment, GatewayRefund

TIMEOUT_SECONDS = 10
PAGE = 100
T = TypeVar("T")


def _when(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else None


def payment_from_entity(entity: dict[str, Any]) -> GatewayPayment:
    return GatewayPayment(
        id=entity["id"],
        order_id=entity.get("order_id"),
        amount_paise=int(entity.get("amount") or 0),
        currency=entity.get("currency") or "INR",
        status=entity.get("status") or "created",
        method=entity.get("method") or "",
        fee_paise=int(entity.get("fee") or 0),
        error_description=entity.get("error_description") or "",
        created_at=_when(entity.get("created_at")),
    )


def link_from_entity(entity: dict[str, Any]) -> GatewayLink:
    return GatewayLink(
        id=entity["id"],
        short_url=entity.get("short_url") or "",
        status=entity.get("status") or "created",
        amount_paise=int(entity.get("amount") or 0),
        amount_paid_paise=int(entity.get("amount_paid") or 0),
        expires_at=_when(entity.get("expire_by")),
        payment_ids=[p.get("payment_id") for p in entity.get("payments") or [] if p.get("payment_id")],
    )


class RazorpayGateway(Gateway):
    name = "razorpay"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client = razorpay.Client(auth=(self.key_id, self.key_secret))

    def _call(self, action: Callable[[], T]) -> T:
        try:
            with outside():
                return action()
        except (BadRequestError, RazorpaySdkGatewayError, ServerError, SignatureVerificationError) as exc:
            raise GatewayError(f"Razorpay refused the request: {exc}", reason="gateway_refused") from exc
        except (requests.RequestException, ValueError) as exc:
            raise GatewayError(
                "Razorpay could not be reached. Please try again.", reason="gateway_unreachable"
            ) from exc

    def create_order(self, *, amount_paise: int, currency: str, receipt: str, notes: dict[str, Any]) -> GatewayOrder:
        data = {"amount": amount_paise, "currency": currency, "receipt": receipt, "notes": notes}
        order = self._call(lambda: self.client.order.create(data=data, timeout=TIMEOUT_SECONDS))
        return GatewayOrder(
            id=order["id"],
            amount_paise=int(order["amount"]),
            currency=order["currency"],
            receipt=receipt,
            status=order.get("status", "created"),
        )

    def fetch_payment(self, payment_id: str) -> GatewayPayment:
        return payment_from_entity(self._call(lambda: self.client.payment.fetch(payment_id, timeout=TIMEOUT_SECONDS)))

    def capture_payment(self, payment_id: str, *, amount_paise: int, currency: str) -> GatewayPayment:
        entity = self._call(
            lambda: self.client.payment.capture(
                payment_id, amount_paise, {"currency": currency}, timeout=TIMEOUT_SECONDS
            )
        )
        return payment_from_entity(entity)

    def refund_payment(self, payment_id: str, *, amount_paise: int, notes: dict[str, Any]) -> GatewayRefund:
        entity = self._call(
            lambda: self.client.payment.refund(
                payment_id, {"amount": amount_paise, "notes": notes}, timeout=TIMEOUT_SECONDS
            )
        )
        return GatewayRefund(
            id=entity["id"],
            payment_id=payment_id,
            amount_paise=int(entity["amount"]),
            status=entity.get("status", "pending"),
        )

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
        data = {
            "amount": amount_paise,
            "currency": currency,
            "description": description,
            "reference_id": reference_id,
            "customer": customer,
            "expire_by": expire_by,
            "notify": {"sms": bool(customer.get("contact")), "email": bool(customer.get("email"))},
            "notes": notes,
        }
        return link_from_entity(self._call(lambda: self.client.payment_link.create(data=data, timeout=TIMEOUT_SECONDS)))

    def fetch_payment_link(self, link_id: str) -> GatewayLink:
        return link_from_entity(self._call(lambda: self.client.payment_link.fetch(link_id, timeout=TIMEOUT_SECONDS)))

    def list_payments(self, *, since: datetime, until: datetime) -> Iterator[GatewayPayment]:
        skip = 0
        while True:
            params = {"from": int(since.timestamp()), "to": int(until.timestamp()), "count": PAGE, "skip": skip}
            page = self._call(functools.partial(self.client.payment.all, data=params, timeout=TIMEOUT_SECONDS))
            items = page.get("items", [])
            for entity in items:
                yield payment_from_entity(entity)
            if len(items) < PAGE:
                return
            skip += PAGE
