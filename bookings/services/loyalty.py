"""Seed 004's loyalty points: earn, reserve, spend, release, reverse and adjust (notes 2.3 "Loyalty" L1-L7).

Value: 1 point = 10 minor units of discount (seed 004); our currency is INR, so **1 point = ₹0.10 (10 paise)**
(``POINT_VALUE``). An account per customer (``LoyaltyAccount``, made on first use) and an append-only log
(``LoyaltyTransaction``); every change writes one row with a unique ``idempotency_key`` under the account's row
lock, so a replayed webhook, a second completion or a re-created review never pays twice (the unique key backs
the check up). At all times ``balance + reserved == total_earned - total_spent`` (a database constraint too) and
no counter is negative.

Rules:

* Earn on completion: ``floor(grand_total / ₹10)`` points when the booking becomes ``completed`` (called from
  ``lifecycle.booking_transition`` in the same transaction), key ``earn:<booking id>``. The grand total is the
  booking's price before any loyalty discount (the customer's spend is what the points reward).
* Earn 10 for the first review of a booking (``review:<booking id>``): once per booking ever, so deleting a review
  and writing it again earns nothing more.
* Redeem (``POST /loyalty/redeem``): a whole number of points > 0, at most the spendable balance, worth at most what
  is still due on the customer's own booking (grand total less loyalty discount less captured payments) less
  ``MIN_CHARGE`` (₹1, Razorpay's smallest order): a payment must remain, since its capture is what spends the
  points (points covering the whole balance would stay reserved for ever). The
  booking row then the account row are locked (the order every path here takes), so two redemptions of 100
  against 150 give one success and one 422. The points are *reserved* (balance down, reserved up) and the
  booking's ``loyalty_discount`` grows by their value, so the payable's ``amount_due`` drops. Redeem before
  creating the payment order: an order already open keeps its amount. Seed 004's ``loyaltyPointsUsed`` on
  ``/payments/process-full-payment`` redeems with ``up_to=True``: the number is the total to hold on the booking,
  so points already reserved there count toward it and a retried request never reserves twice.
* A captured payment of the booking commits its open reservations (``redeemed``: reserved down, total_spent up);
  a failed one releases them (``released``: balance back, the discount removed). An expired payment order is a
  failed one in the payments layer.
* Refund (the reading we take; the seed is silent): a *full* refund of the booking (a payment becomes
  ``refunded`` and no payment of the booking still holds money: deposit and balance both refunded) reverses
  the points it earned (``reversed``, key ``reverse-earn:<booking id>``), capped at the
  spendable balance so the balance never goes negative (points already spent elsewhere are forgiven), and gives
  back the points spent on it (``reversed``, positive, total_spent down, ``reverse-spend:<booking id>``). A partial
  refund changes no points. Both reductions also take the amount out of ``total_earned`` so the tier follows.
* Staff adjustment (admin): a signed number of points with a reason and the actor; a positive one counts as
  earned, a negative one (at most the balance) is taken back out of ``total_earned``.
* Tiers by ``total_earned``: bronze below 200, silver from 200, gold from 800.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from accounts.models import User
from bookings.errors import BookingErrorCode
from bookings.models import (
    BOOKING_PAYABLE,
    Booking,
    LoyaltyAccount,
    LoyaltyKind,
    LoyaltyTier,
    LoyaltyTransaction,
)
from core.errors import DomainError, ErrorCode
from core.types import Id
from payments.models import PAID_STATUSES, Payment, PaymentStatus

POINT_VALUE = Decimal("0.10")  # rupees per point (10 minor units)
EARN_PER = Decimal("10")  # one point per ₹10 of the booking's grand total
REVIEW_POINTS = 10
MIN_CHARGE = Decimal("1.00")  # what must still be paid after points (Razorpay's smallest order)
TIERS: tuple[tuple[str, int], ...] = ((LoyaltyTier.BRONZE, 0), (LoyaltyTier.SILVER, 200), (LoyaltyTier.GOLD, 800))
BENEFITS: dict[str, list[str]] = {
    LoyaltyTier.BRONZE: ["Earn 1 point per ₹10 spent", "10 points for each first review"],
    LoyaltyTier.SILVER: ["Priority support", "Early access to new specialists"],
    LoyaltyTier.GOLD: ["Dedicated support line", "Free rescheduling on every booking"],
}


def tier_for(total_earned: int) -> str:
    tier: str = LoyaltyTier.BRONZE
    for name, floor in TIERS:
        if total_earned >= floor:
            tier = name
    return tier


def next_tier(total_earned: int) -> tuple[str | None, int]:
    """The next tier and the points still to earn for it (``(None, 0)`` at the top)."""
    for name, floor in TIERS:
        if total_earned < floor:
            return name, floor - total_earned
    return None, 0


def points_value(points: int) -> Decimal:
    return (Decimal(points) * POINT_VALUE).quantize(Decimal("0.01"))


def account_lock(user_id: Id) -> LoyaltyAccount:
    """The customer's account, created on first use, locked for the rest of the transaction."""
    account = LoyaltyAccount.objects.select_for_update().filter(user_id=user_id).first()
    if account is None:
        try:
            with transaction.atomic():
                LoyaltyAccount.objects.create(user_id=user_id)
        except IntegrityError:
            pass  # made by a concurrent first use
        account = LoyaltyAccount.objects.select_for_update().get(user_id=user_id)
    return account


def _apply(
    account: LoyaltyAccount,
    *,
    kind: str,
    points: int,
    key: str,
    reason: str = "",
    booking: Booking | None = None,
    actor: User | None = None,
    balance: int = 0,
    reserved: int = 0,
    earned: int = 0,
    spent: int = 0,
) -> LoyaltyTransaction | None:
    """Write one log row and move the locked account's counters; ``None`` when ``key`` was applied before."""
    if LoyaltyTransaction.objects.filter(idempotency_key=key).exists():
        return None
    account.balance += balance
    account.reserved += reserved
    account.total_earned += earned
    account.total_spent += spent
    account.tier = tier_for(account.total_earned)
    account.save(update_fields=["balance", "reserved", "total_earned", "total_spent", "tier", "updated_at"])
    return LoyaltyTransaction.objects.create(
        account=account, kind=kind, points=points, reason=reason, booking=booking, actor=actor, idempotency_key=key
    )


def _earn(booking: Booking, points: int, key: str, reason: str) -> LoyaltyTransaction | None:
    if points <= 0:
        return None
    account = account_lock(booking.user_id)
    return _apply(
        account, kind=LoyaltyKind.EARNED, points=points, key=key, reason=reason, booking=booking, balance=points,
        earned=points,
    )  # fmt: skip


def earned_for(booking: Booking) -> int:
    return int(booking.grand_total // EARN_PER)


def loyalty_award_completion(*, booking: Booking) -> LoyaltyTransaction | None:
    """floor(grand total / ₹10) points once the booking is completed (call inside its transaction)."""
    return _earn(booking, earned_for(booking), f"earn:{booking.pk}", f"Booking {booking.booking_number} completed")


def loyalty_award_review(*, booking: Booking) -> LoyaltyTransaction | None:
    """10 points for the first review of a booking, once per booking ever."""
    return _earn(booking, REVIEW_POINTS, f"review:{booking.pk}", f"Review of booking {booking.booking_number}")


def amount_still_due(booking: Booking) -> Decimal:
    paid = Payment.objects.filter(
        payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk), status__in=PAID_STATUSES
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return booking.grand_total - booking.loyalty_discount - paid


@dataclass(frozen=True)
class Redemption:
    account: LoyaltyAccount
    booking: Booking
    points: int
    discount: Decimal
    amount_due: Decimal


def loyalty_redeem(*, user: User, booking_id: Id, points: int, up_to: bool = False) -> Redemption:
    """Reserve ``points`` against the customer's own booking's unpaid amount (rules in the module docstring).
    With ``up_to`` only what the booking does not hold already is reserved (``points`` is the total)."""
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise DomainError(
            "Points must be a whole number above zero.", code=ErrorCode.VALIDATION_ERROR, field="points",
            reason="invalid_points",
        )  # fmt: skip
    with transaction.atomic():
        booking = Booking.objects.select_for_update().filter(pk=booking_id, user_id=user.pk).first()
        if booking is None:
            raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="booking_id")
        account = account_lock(user.pk)
        if up_to:
            points -= _open_reserved(booking)
            if points <= 0:
                due = amount_still_due(booking)
                return Redemption(account=account, booking=booking, points=0, discount=Decimal("0.00"), amount_due=due)
        if points > account.balance:
            raise DomainError(
                f"You have {account.balance} points to spend.", code=ErrorCode.VALIDATION_ERROR, field="points",
                reason="insufficient_points", context={"available": account.balance},
            )  # fmt: skip
        value, due = points_value(points), amount_still_due(booking)
        if value > due - MIN_CHARGE:
            most = max(due - MIN_CHARGE, Decimal("0.00"))
            raise DomainError(
                f"{points} points are worth ₹{value}; at most ₹{most} of the ₹{max(due, Decimal('0.00'))} still due "
                "can be paid with points.",
                code=ErrorCode.VALIDATION_ERROR, field="points", reason="exceeds_amount_due",
                context={"amount_due": str(max(due, Decimal("0.00"))), "points_value": str(value)},
            )  # fmt: skip
        _apply(
            account, kind=LoyaltyKind.RESERVED, points=-points, key=f"reserve:{booking.pk}:{uuid.uuid4().hex}",
            reason=f"Discount of ₹{value} on booking {booking.booking_number}", booking=booking, actor=user,
            balance=-points, reserved=points,
        )  # fmt: skip
        booking.loyalty_discount += value
        booking.save(update_fields=["loyalty_discount", "updated_at"])
    return Redemption(account=account, booking=booking, points=points, discount=value, amount_due=due - value)


def _open_reserved(booking: Booking) -> int:
    """Points reserved on the booking and neither spent nor released yet."""
    rows = LoyaltyTransaction.objects.filter(
        booking=booking, kind__in=[LoyaltyKind.RESERVED, LoyaltyKind.RELEASED, LoyaltyKind.REDEEMED]
    ).values_list("kind", "points")
    held = 0
    for kind, points in rows:
        held += -points if kind == LoyaltyKind.RESERVED else -abs(points)
    return held


def loyalty_on_payment(*, booking: Booking, new_status: str, payment_id: str) -> None:
    """A payment of the (locked) booking changed: commit, release or reverse points (module docstring)."""
    if new_status == "success":
        held = _open_reserved(booking)
        if held > 0:
            account = account_lock(booking.user_id)
            _apply(
                account, kind=LoyaltyKind.REDEEMED, points=-held, key=f"redeem:{booking.pk}:{payment_id}",
                reason=f"Spent on booking {booking.booking_number}", booking=booking, reserved=-held, spent=held,
            )  # fmt: skip
    elif new_status == "failed":
        held = _open_reserved(booking)
        if held > 0:
            account = account_lock(booking.user_id)
            _apply(
                account, kind=LoyaltyKind.RELEASED, points=held, key=f"release:{booking.pk}:{payment_id}",
                reason=f"Payment for booking {booking.booking_number} failed", booking=booking, balance=held,
                reserved=-held,
            )  # fmt: skip
            booking.loyalty_discount = max(booking.loyalty_discount - points_value(held), Decimal("0.00"))
            booking.save(update_fields=["loyalty_discount", "updated_at"])
    elif new_status == "refunded" and not _holds_money(booking):
        _reverse(booking)


def _holds_money(booking: Booking) -> bool:
    return Payment.objects.filter(
        payable_type=BOOKING_PAYABLE,
        payable_id=str(booking.pk),
        status__in=[PaymentStatus.SUCCESS, PaymentStatus.PARTIALLY_REFUNDED],
    ).exists()


def _reverse(booking: Booking) -> None:
    by_kind = dict(
        LoyaltyTransaction.objects.filter(booking=booking, kind__in=[LoyaltyKind.EARNED, LoyaltyKind.REDEEMED])
        .values("kind")
        .annotate(total=Sum("points"))
        .values_list("kind", "total")
    )
    earned, spent = int(by_kind.get(LoyaltyKind.EARNED) or 0), -int(by_kind.get(LoyaltyKind.REDEEMED) or 0)
    if not earned and not spent:
        return
    account = account_lock(booking.user_id)
    if spent > 0:
        _apply(
            account, kind=LoyaltyKind.REVERSED, points=spent, key=f"reverse-spend:{booking.pk}",
            reason=f"Booking {booking.booking_number} refunded: points spent on it returned", booking=booking,
            balance=spent, spent=-spent,
        )  # fmt: skip
    take = min(earned, account.balance)
    if take > 0:
        _apply(
            account, kind=LoyaltyKind.REVERSED, points=-take, key=f"reverse-earn:{booking.pk}",
            reason=f"Booking {booking.booking_number} refunded: points earned on it taken back", booking=booking,
            balance=-take, earned=-take,
        )  # fmt: skip


def loyalty_adjust(*, user_id: Id, points: int, reason: str, actor: User | None) -> LoyaltyTransaction:
    """Staff's manual adjustment, audited by its actor and reason (module docstring)."""
    if points == 0 or not reason.strip():
        raise DomainError(
            "An adjustment needs a non-zero number of points and a reason.", code=ErrorCode.VALIDATION_ERROR,
            field="points" if points == 0 else "reason",
        )  # fmt: skip
    with transaction.atomic():
        account = account_lock(user_id)
        if points < 0 and -points > account.balance:
            raise DomainError(
                f"Only {account.balance} points can be taken back.", code=ErrorCode.VALIDATION_ERROR, field="points",
                reason="insufficient_points",
            )  # fmt: skip
        row = _apply(
            account, kind=LoyaltyKind.ADJUSTED, points=points, key=f"adjust:{uuid.uuid4().hex}", reason=reason,
            actor=actor, balance=points, earned=points,
        )  # fmt: skip
    assert row is not None
    return row
