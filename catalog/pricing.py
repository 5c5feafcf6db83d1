"""The pricing rule, in one place (issue 5; DESIGN.md section 2), with dynamic pricing (issue #20, seed 002 PR).

* ``subtotal``    = sum of unit price x quantity, where the unit price is the
  catalog's product cost times the surge multiplier (1 when dynamic pricing is off)
* ``savings``     = sum of (market price - unit price) x quantity: shown, never deducted
* ``discount``    = the promo code's discount, on the subtotal, never more than it
* ``tax``         = GST (``GST_RATE``, 18 % by default) on subtotal - discount
* ``grand_total`` = subtotal - discount + tax

Order of operations: surge -> promo -> tax. The surge multiplies each unit
price first (``money(unit x multiplier)``); the promo code is then checked and
computed against that surged subtotal (its minimum order compares with the
surged subtotal, its percentage applies to it); tax is last, on the surged
subtotal less the discount. :func:`price` applies them in that order.

Every amount is rounded half-up to paise. Seed 000's checkout example shows
1,771.20 for a subtotal of 2,000, a discount of 160 and tax of 331.20; its own
numbers add up to 2,171.20, which is what this rule gives (a test says so).
Prices come from the catalog, never from the client.

Dynamic pricing (:func:`surge`, pure: the factors come from the data in
``partners.pricing_factors``, which may read bookings and partners):

* multiplier = time x demand x availability, rounded half-up to ``SURGE_STEP``
  (0.05) and clamped to [1.00, ``SURGE_MAX``] (2.0). Seed 002's example
  1.0 x 1.15 x 1.05 = 1.2075 becomes 1.20, and 500 becomes 600.
* final = money(base x multiplier); surge = final - base.
* demand level from the multiplier: ``normal`` below 1.15, ``high`` below 1.5,
  ``very_high`` from 1.5 (the seed shows 1.1 normal, 1.2 and 1.25 high).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

from core import system_settings

PAISE = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal("1.00")


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

    def surged(self, multiplier: Decimal) -> Line:
        """This line at ``money(unit price x multiplier)`` a unit (itself when the multiplier is 1)."""
        if multiplier == ONE:
            return self
        return Line(self.service_id, self.name, money(self.unit_price * multiplier), self.market_price, self.quantity)


@dataclass(frozen=True)
class Quote:
    lines: tuple[Line, ...]
    subtotal: Decimal
    savings: Decimal
    discount: Decimal
    tax_rate: Decimal
    tax: Decimal
    grand_total: Decimal
    surge_multiplier: Decimal = ONE

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


def price(
    lines: Iterable[Line],
    *,
    discount: Decimal = ZERO,
    rate: Decimal | None = None,
    multiplier: Decimal = ONE,
) -> Quote:
    """Surge, then promo, then tax (the module's docstring): ``discount`` was computed on the surged subtotal."""
    lines = tuple(line.surged(Decimal(multiplier)) for line in lines)
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
        surge_multiplier=Decimal(multiplier),
    )


# --- dynamic pricing (issue #20, seed 002 PR1-PR3) --------------------------------------------------------

NORMAL, HIGH, VERY_HIGH = "normal", "high", "very_high"
HIGH_FROM = Decimal("1.15")
VERY_HIGH_FROM = Decimal("1.50")


@dataclass(frozen=True)
class Factors:
    """The three factors of a surge, each 1.0 when it does not apply."""

    time: Decimal = ONE
    demand: Decimal = ONE
    availability: Decimal = ONE

    def as_dict(self) -> dict[str, float]:
        return {
            "time_based_multiplier": float(self.time),
            "demand_based_multiplier": float(self.demand),
            "vendor_availability_multiplier": float(self.availability),
        }


@dataclass(frozen=True)
class Surge:
    base: Decimal
    multiplier: Decimal
    final: Decimal
    surge: Decimal
    demand_level: str
    factors: Factors

    def as_dict(self) -> dict[str, Any]:
        """The seed's ``pricing`` object (numbers as JSON numbers), also what a booking stores as its breakdown."""
        return {
            "base_price": float(self.base),
            "surge_multiplier": float(self.multiplier),
            "final_price": float(self.final),
            "demand_level": self.demand_level,
            "factors": self.factors.as_dict(),
            "breakdown": {"base": float(self.base), "surge": float(self.surge), "total": float(self.final)},
        }


def surge_multiplier(factors: Factors, *, step: Decimal | None = None, maximum: Decimal | None = None) -> Decimal:
    """time x demand x availability, rounded half-up to ``step`` and clamped to [1.00, ``maximum``]."""
    step = Decimal(str(settings.SURGE_STEP)) if step is None else Decimal(step)
    maximum = Decimal(str(settings.SURGE_MAX)) if maximum is None else Decimal(maximum)
    product = factors.time * factors.demand * factors.availability
    rounded = (product / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return min(max(rounded, ONE), maximum).quantize(PAISE)


def demand_level(multiplier: Decimal) -> str:
    if multiplier >= VERY_HIGH_FROM:
        return VERY_HIGH
    return HIGH if multiplier >= HIGH_FROM else NORMAL


def surge(base: Decimal, factors: Factors, *, step: Decimal | None = None, maximum: Decimal | None = None) -> Surge:
    """The surged price of ``base``: ``final = money(base x multiplier)``, ``surge = final - base``."""
    base = money(base)
    multiplier = surge_multiplier(factors, step=step, maximum=maximum)
    final = money(base * multiplier)
    return Surge(base, multiplier, final, final - base, demand_level(multiplier), factors)


def no_surge(base: Decimal) -> Surge:
    """Dynamic pricing off (or nothing to price by): multiplier 1.00, every factor 1.0."""
    return Surge(money(base), ONE, money(base), ZERO, NORMAL, Factors())


def cart_breakdown(base: Quote, surged: Quote, info: dict[str, Any]) -> dict[str, Any]:
    """What checkout stores on the booking: the cart before and after the surge (before promo and tax), with the
    multiplier's demand level and factors, the pincode and the day it was quoted for (``info``)."""
    surge_amount = surged.subtotal - base.subtotal
    return {
        "base_price": float(base.subtotal),
        "surge_multiplier": float(surged.surge_multiplier),
        "final_price": float(surged.subtotal),
        **info,
        "breakdown": {"base": float(base.subtotal), "surge": float(surge_amount), "total": float(surged.subtotal)},
    }
