"""Reads of seed 004's loyalty points (``GET /loyalty/points``, ``GET /loyalty/history``).

A customer without an account yet reads as an empty bronze one (no row is written by a read). The summary is two
queries (the account, the recent activity); the history is one page query and its count, whatever its length.
``points_of`` and ``bookings_count_of`` are the profile's seed 004 sections (registered in ``BookingsConfig.ready``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from bookings.models import Booking, BookingStatus, LoyaltyAccount, LoyaltyTier, LoyaltyTransaction
from bookings.services.loyalty import BENEFITS, next_tier
from core.types import Id

RECENT = 5


def loyalty_history(*, user_id: Id) -> QuerySet[LoyaltyTransaction]:
    """The customer's log, newest first, with the booking's number joined."""
    return (
        LoyaltyTransaction.objects.filter(account__user_id=user_id)
        .select_related("booking")
        .order_by("-created_at", "-id")
    )


def loyalty_summary(*, user_id: Id) -> dict[str, Any]:
    account = LoyaltyAccount.objects.filter(user_id=user_id).first()
    earned = account.total_earned if account else 0
    upcoming, missing = next_tier(earned)
    return {
        "current_balance": account.balance if account else 0,
        "reserved": account.reserved if account else 0,
        "total_earned": earned,
        "total_spent": account.total_spent if account else 0,
        "tier": account.tier if account else LoyaltyTier.BRONZE,
        "next_tier": upcoming,
        "next_tier_points": missing,
        "next_tier_benefits": list(BENEFITS[upcoming]) if upcoming else [],
        "recent_activity": list(loyalty_history(user_id=user_id)[:RECENT]) if account else [],
    }


def points_of(user: User) -> int:
    """Seed 004 ``/users/profile`` ``loyaltyPoints``: the spendable balance (0 with no account yet)."""
    return LoyaltyAccount.objects.filter(user=user).values_list("balance", flat=True).first() or 0


def bookings_count_of(user: User) -> int:
    """Seed 004 ``/users/profile`` ``totalBookings``: the person's bookings, less holds that expired unpaid."""
    return Booking.objects.filter(user=user).exclude(status=BookingStatus.EXPIRED).count()
