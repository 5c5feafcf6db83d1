"""Seed 002's ``GET /signatures``: the sign-off requests a person may see, newest first, in one query.

A customer sees those of their own bookings; a partner those they asked for (bookings does not read the partners
side's job table, so a request staff made for a partner's booking shows to its customer and staff only); staff
holding ``bookings.view_booking`` see all.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from bookings.models import BookingSignature


def signatures_for(user: User) -> QuerySet[BookingSignature]:
    rows = BookingSignature.objects.select_related("booking").order_by("-requested_at", "-pk")
    if user.has_perm("bookings.view_booking"):
        return rows
    return rows.filter(Q(booking__user=user) | Q(requested_by=user))
