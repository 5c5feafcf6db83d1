"""The payable interface and the callback registry (DESIGN.md section 1).

A domain app (bookings, orders) registers one adapter per kind of thing it
sells, in its ``AppConfig.ready()``::

    payments.registry.register("bookings.booking", BookingPayable(), id_field="booking_id")

The payments layer then reads the amount, owner and reference through
:meth:`PayableAdapter.describe` and tells the domain about every payment state
change through :meth:`PayableAdapter.on_payment_event`, after the change has
committed, exactly once (``payments.services.payable_sync``): the callback runs
inside a transaction that also records that the payable heard the change, and
one that fails is retried until it succeeds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class Payable:
    """What a payable tells the payments layer about itself."""

    type: str
    id: str
    amount_due: Decimal
    owner_id: Any
    reference: str
    description: str
    currency: str = "INR"
    deposit_amount: Decimal | None = None
    prefill: dict[str, str] = field(default_factory=dict)
    # Extra notes on the gateway order, in the domain's own words (seed 000: booking_id, booking_number).
    gateway_notes: dict[str, str] = field(default_factory=dict)
    # What the domain's client expects beside a verified payment (seed 000: booking_id, booking_number,
    # booking_status), read after the payable has heard the payment.
    client_fields: dict[str, Any] = field(default_factory=dict)
    # Whether the remaining balance may be paid now (seed 004: an appointment's balance after its session).
    balance_open: bool = True
    # Seed 004's loyalty points: the discount they give (already out of ``amount_due``) and what the payable earned.
    loyalty_discount: Decimal = Decimal("0.00")
    loyalty_points_earned: int = 0


@dataclass(frozen=True)
class PaymentEvent:
    """A payment state change, told to the payable's adapter once it has committed."""

    payable_type: str
    payable_id: str
    payment_id: str
    kind: str
    old_status: str
    new_status: str
    amount: Decimal
    amount_refunded: Decimal


class PayableAdapter(ABC):
    @abstractmethod
    def describe(self, payable_id: str) -> Payable | None:
        """The payable, or ``None`` if it does not exist."""

    @abstractmethod
    def on_payment_event(self, event: PaymentEvent) -> None:
        """React to a committed payment state change (confirm a booking, close an order...)."""

    def apply_loyalty_points(self, payable_id: str, *, user_id: Any, points: int) -> None:
        """Hold ``points`` of the payer's loyalty points against the payable before its order is made (seed 004's
        ``loyaltyPointsUsed``); ``points`` is the total the payable should hold. A payable that takes no points
        refuses, which is the default."""
        raise DomainError(
            "This item cannot be paid with loyalty points.",
            code=ErrorCode.VALIDATION_ERROR,
            field="loyalty_points_used",
            reason="no_loyalty_points",
        )


_adapters: dict[str, PayableAdapter] = {}
_id_fields: dict[str, str] = {}


def register(payable_type: str, adapter: PayableAdapter, *, id_field: str = "") -> None:
    """Register what a domain app sells. ``id_field`` names the request field its clients send for it
    (seed 004's refund takes ``booking_id``); the payments API reads it as that payable's id."""
    _adapters[payable_type] = adapter
    if id_field:
        _id_fields[id_field] = payable_type


def unregister(payable_type: str) -> None:
    _adapters.pop(payable_type, None)
    for name in [name for name, kind in _id_fields.items() if kind == payable_type]:
        del _id_fields[name]


def payable_type_for_id_field(name: str) -> str | None:
    """The payable type whose clients name its id ``name`` (``None`` when nothing registered it)."""
    return _id_fields.get(name)


def adapter_for(payable_type: str) -> PayableAdapter:
    try:
        return _adapters[payable_type]
    except KeyError:
        raise DomainError(
            f"Nothing called {payable_type!r} can be paid for.",
            code=ErrorCode.VALIDATION_ERROR,
            field="payable_type",
            reason="unknown_payable_type",
        ) from None


def describe(payable_type: str, payable_id: str) -> Payable:
    payable = adapter_for(payable_type).describe(str(payable_id))
    if payable is None:
        raise DomainError("The item to pay for was not found.", code=ErrorCode.NOT_FOUND, field="payable_id")
    return payable


def registered_types() -> list[str]:
    return sorted(_adapters)
