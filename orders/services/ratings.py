"""A resident's rating of a society order, which feeds the vendor's average (issue 17; seed 001 5.3 shows it).

The seed has no rating endpoint (C16); issue 17 asks for one. Rules:

* Only the resident who placed the order rates it (``status.check_resident``: a vendor, a society admin or
  staff 403 ``FORBIDDEN``; anyone else, and an unknown order, 404 ``ORDER_NOT_FOUND``).
* Once the items came back: DELIVERED, PAYMENT_RECEIVED, DISPUTED or CLOSED; before that (or a cancelled
  order) 422 ``INVALID_ORDER_STATUS`` with the current status. A dispute about the payment does not stop
  the resident from rating the service.
* Once per order: a second rating is 409 ``ALREADY_RATED``. The order row is locked, so a second rating
  racing the first waits and sees it; ``OrderRating.order`` is one-to-one as well, and a unique violation
  is answered the same 409.
* ``rating`` is a whole number 1-5 (the view validates it; the table checks it too); ``review`` is optional
  free text.
* The vendor's ``Partner.rating_total`` and ``rating_count`` grow with ``F()`` in one ``UPDATE``, which also
  sets ``rating`` = total / count rounded to 2 places, so ratings of several orders of one vendor at once
  never lose one (the same arithmetic as a booking's rating, ``partners.services.jobs.partner_rating_change``, which
  takes a booking and so cannot be reused). The vendor's average mixes booking and order ratings: one
  partner, one average.
* Watchers of ``ws/orders/{order_id}/`` hear ``order_rated`` after commit. No notification: the catalogue
  has no rating event (``orders.notifications``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import DecimalField, F, Value
from django.db.models.functions import Round
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError
from core.expressions import real_ratio
from orders.errors import OrderErrorCode
from orders.models import OrderRating, OrderStatus
from orders.services import status
from partners.models import Partner

RATABLE = frozenset({OrderStatus.DELIVERED, OrderStatus.PAYMENT_RECEIVED, OrderStatus.DISPUTED, OrderStatus.CLOSED})


@dataclass(frozen=True)
class Rated:
    rating: OrderRating
    avg_rating: Decimal
    total_ratings: int


def already_rated() -> DomainError:
    return DomainError("You have already rated this order.", code=OrderErrorCode.ALREADY_RATED, reason="already_rated")


def vendor_rating_add(*, partner_id: Any, rating: int) -> None:
    """One more rating of ``rating`` for the vendor: total, count and the 2-place average in one ``UPDATE``."""
    exact = real_ratio(F("rating_total") + Value(rating), F("rating_count") + Value(1))
    Partner.objects.filter(pk=partner_id).update(
        rating_total=F("rating_total") + rating,
        rating_count=F("rating_count") + 1,
        rating=Round(exact, 2, output_field=DecimalField(max_digits=3, decimal_places=2)),
        updated_at=timezone.now(),
    )


def order_rate(*, user: User, order_id: Any, rating: int, review: str = "") -> Rated:
    """Rate a delivered order once, as its resident (see the module's rules)."""
    with transaction.atomic():
        order = status.lock_order(order_id)
        status.check_resident(user, order)
        if order.status not in RATABLE:
            raise status.refuse_status(order, "An order can be rated once it has been delivered.")
        if OrderRating.objects.filter(order=order).exists():
            raise already_rated()
        try:
            with transaction.atomic():
                made = OrderRating.objects.create(
                    order=order, partner_id=order.partner_id, user=user, rating=rating, review=review
                )
        except IntegrityError:
            raise already_rated() from None
        vendor_rating_add(partner_id=order.partner_id, rating=rating)
        average, count = Partner.objects.filter(pk=order.partner_id).values_list("rating", "rating_count").get()
        status.publish(order, "order_rated", {"rating": rating})
    return Rated(rating=made, avg_rating=average, total_ratings=count)
