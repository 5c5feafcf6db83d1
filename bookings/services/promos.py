"""Promo codes (seed 000 tables 13 and 14): percentage or fixed, minimum order, maximum discount,
per-customer and global limits, a validity window and an active flag.

:func:`promo_evaluate` answers whether a code applies and how much it takes
off, with one distinct reason code for each way it can fail (the validate
endpoint answers ``valid: false`` with it). :func:`promo_redeem` records a
use at confirm: it locks the promo row, checks the limits again and counts
the use with ``F()``, so N+10 simultaneous confirms of a code limited to N
uses discount exactly N bookings, and a per-customer limit of one holds when
the same customer confirms twice at once.

Staff create and change codes (``bookings.api.admin``) with :func:`promo_create`
and :func:`promo_update`, audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from bookings.errors import BookingErrorCode
from bookings.models import Booking, DiscountType, PromoCode, PromoCodeUsage
from catalog.pricing import ZERO, money, percentage_discount
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id

MESSAGES = {
    BookingErrorCode.PROMO_NOT_FOUND: "This promo code does not exist.",
    BookingErrorCode.PROMO_INACTIVE: "This promo code is no longer active.",
    BookingErrorCode.PROMO_EXPIRED: "This promo code has expired.",
    BookingErrorCode.PROMO_NOT_YET_VALID: "This promo code is not valid yet.",
    BookingErrorCode.PROMO_MIN_ORDER_NOT_MET: "Your order is below this promo code's minimum.",
    BookingErrorCode.PROMO_EXHAUSTED: "This promo code has been fully used.",
    BookingErrorCode.PROMO_ALREADY_USED: "You have already used this promo code.",
}


@dataclass(frozen=True)
class PromoResult:
    code: str
    valid: bool
    discount: Decimal
    reason: BookingErrorCode | None = None
    promo: PromoCode | None = None

    @property
    def message(self) -> str:
        return MESSAGES[self.reason] if self.reason else "Promo code applied successfully"

    def as_dict(self) -> dict[str, Any]:
        data = {"code": self.code, "valid": self.valid, "discount": self.discount, "message": self.message}
        if self.reason:
            data["reason"] = str(self.reason)
        return data

    def raise_if_invalid(self) -> None:
        if not self.valid:
            raise DomainError(self.message, code=self.reason, field="promo_code", reason=str(self.reason).lower())


def discount_for(promo: PromoCode, subtotal: Decimal) -> Decimal:
    if promo.discount_type == DiscountType.PERCENTAGE:
        amount = percentage_discount(subtotal, promo.discount_value, promo.max_discount)
    else:
        amount = money(promo.discount_value)
        if promo.max_discount is not None:
            amount = min(amount, money(promo.max_discount))
    return min(amount, money(subtotal))


def _uses_by(promo: PromoCode, user: User) -> int:
    return PromoCodeUsage.objects.filter(promo_code=promo, user=user).count()


def _check(promo: PromoCode | None, code: str, user: User, subtotal: Decimal) -> PromoResult:
    def refuse(reason: BookingErrorCode) -> PromoResult:
        return PromoResult(code=code, valid=False, discount=ZERO, reason=reason, promo=promo)

    if promo is None:
        return refuse(BookingErrorCode.PROMO_NOT_FOUND)
    if not promo.is_active:
        return refuse(BookingErrorCode.PROMO_INACTIVE)
    now = timezone.now()
    if promo.valid_from and now < promo.valid_from:
        return refuse(BookingErrorCode.PROMO_NOT_YET_VALID)
    if promo.valid_until and now > promo.valid_until:
        return refuse(BookingErrorCode.PROMO_EXPIRED)
    if promo.min_order_amount is not None and subtotal < promo.min_order_amount:
        return refuse(BookingErrorCode.PROMO_MIN_ORDER_NOT_MET)
    if promo.total_usage_limit is not None and promo.used_count >= promo.total_usage_limit:
        return refuse(BookingErrorCode.PROMO_EXHAUSTED)
    if promo.usage_limit is not None and user is not None and _uses_by(promo, user) >= promo.usage_limit:
        return refuse(BookingErrorCode.PROMO_ALREADY_USED)
    return PromoResult(code=promo.code, valid=True, discount=discount_for(promo, subtotal), promo=promo)


def promo_evaluate(*, code: str, user: User, subtotal: Decimal) -> PromoResult:
    code = (code or "").strip().upper()
    return _check(PromoCode.objects.filter(code=code).first(), code, user, Decimal(subtotal))


def promo_redeem(*, code: str, user: User, booking: Booking, subtotal: Decimal) -> PromoCodeUsage:
    """Record one use for ``booking`` (inside the confirm transaction); refuses if the code no longer applies."""
    code = (code or "").strip().upper()
    with transaction.atomic():
        promo = PromoCode.objects.select_for_update().filter(code=code).first()
        result = _check(promo, code, user, Decimal(subtotal))
        result.raise_if_invalid()
        assert promo is not None  # _check refuses a missing code
        PromoCode.objects.filter(pk=promo.pk).update(used_count=F("used_count") + 1, updated_at=timezone.now())
        return PromoCodeUsage.objects.create(
            promo_code=promo, user=user, booking=booking, discount_amount=result.discount
        )


def promo_release(*, booking: Booking) -> bool:
    """Give back the promo use of a booking that will never happen unpaid (call inside its transaction).

    The use row goes and the code's ``used_count`` drops, so the customer (and
    the code's total limit) may use it again; returns whether there was a use.
    """
    usage = PromoCodeUsage.objects.select_for_update().filter(booking=booking).first()
    if usage is None:
        return False
    PromoCode.objects.filter(pk=usage.promo_code_id, used_count__gt=0).update(
        used_count=F("used_count") - 1, updated_at=timezone.now()
    )
    usage.delete()
    return True


# --- staff --------------------------------------------------------------------------------------


def _check_promo(values: dict[str, Any]) -> None:
    if values.get("discount_type") == "percentage" and values.get("discount_value", 0) > 100:
        raise DomainError(
            "A percentage discount is 100 at most.",
            code=ErrorCode.VALIDATION_ERROR,
            field="discount_value",
            reason="out_of_range",
        )
    start, end = values.get("valid_from"), values.get("valid_until")
    if start and end and end <= start:
        raise DomainError(
            "valid_until must be after valid_from.",
            code=ErrorCode.VALIDATION_ERROR,
            field="valid_until",
            reason="inverted_range",
        )


def promo_create(*, data: dict[str, Any], actor: User) -> PromoCode:
    data = {**data, "code": data["code"].strip().upper()}
    _check_promo(data)
    if PromoCode.objects.filter(code=data["code"]).exists():
        raise DomainError("This promo code exists.", code=ErrorCode.CONFLICT, field="code", reason="duplicate")
    promo = PromoCode.objects.create(**data)
    audit.record_created(promo, action="create_promo_code", actor=actor)
    return promo


def promo_update(*, promo_id: Id, data: dict[str, Any], actor: User) -> PromoCode:
    promo = PromoCode.objects.filter(pk=promo_id).first()
    if promo is None:
        raise DomainError("Promo code not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    merged = {
        "discount_type": promo.discount_type,
        "discount_value": promo.discount_value,
        "valid_from": promo.valid_from,
        "valid_until": promo.valid_until,
        **data,
    }
    _check_promo(merged)
    with audit.track(promo, action="update_promo_code", actor=actor):
        for name, value in data.items():
            setattr(promo, name, value)
        promo.save()
    return promo
