"""The pricing rule, in one place (issue 5; DESIGN.md section 2).

* ``subtotal``    = sum of product cost x quantity
* ``savings``     = sum of (market price - product cost) x quantity: shown, never deducted
* ``discount``    = the promo code's discount, on the subtotal, never more than it
* ``tax``         = GST (``GST_RATE``, 18 % by default) on subtotal - discount
* ``grand_total`` = subtotal - discount + tax

Every amount is rounded half-up to paise. Seed 000's checkout example shows
1,771.20 for a subtotal of 2,000, a discount of 160 and tax of 331.20; its own
numbers add up to 2,171.20, which is what this rule gives (a test says so).
Prices come from the catalog, never from the client.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core import system_settings

PAISE = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(PAISE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    service_id: str
    name: str
    unit_price: Decimal
    market_price: Decimal | None
    quantity: int = 1

    @property
    def amount(self) -> Decimal:
        return money(self.unit_price * self.quantity)

    @property
    def savings(self) -> Decimal:
        if self.market_price is None or self.market_price <= self.unit_price:
            return ZERO
        return money((self.market_price - self.unit_price) * self.quantity)


@dataclass(frozen=True)
class Quote:
    lines: tuple[Line, ...]
    subtotal: Decimal
    savings: Decimal
    discount: Decimal
    tax_rate: Decimal
    tax: Decimal
    grand_total: Decimal

    def as_dict(self) -> dict[str, Decimal]:
        return {
            "subtotal": self.subtotal,
            "savings": self.savings,
            "discount": self.discount,
            "tax": self.tax,
            "grand_total": self.grand_total,
        }


def tax_rate() -> Decimal:
    return system_settings.value("tax_rate") / 100


def percentage_discount(subtotal: Decimal, percent: Decimal, maximum: Decimal | None = None) -> Decimal:
    discount = money(subtotal * Decimal(percent) / 100)
    return min(discount, money(maximum)) if maximum is not None else discount


def price(lines: Iterable[Line], *, discount: Decimal = ZERO, rate: Decimal | None = None) -> Quote:
    lines = tuple(lines)
    rate = tax_rate() if rate is None else Decimal(rate)
    subtotal = money(sum((line.amount for line in lines), ZERO))
    savings = money(sum((line.savings for line in lines), ZERO))
    discount = min(money(discount), subtotal)
    tax = money((subtotal - discount) * rate)
    return Quote(
        lines=lines,
        subtotal=subtotal,
        savings=savings,
        discount=discount,
        tax_rate=rate,
        tax=tax,
        grand_total=money(subtotal - discount + tax),
    )
