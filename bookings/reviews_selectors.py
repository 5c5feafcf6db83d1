"""Reads of seed 004's reviews (``GET /reviews``): the visible reviews and their summary.

Hidden reviews (staff moderation) are never listed nor counted. ``specialist_id`` is the reviewed partner,
``customer_id`` the author. The summary (average, total, distribution) describes the reviews matching
``specialist_id``/``customer_id`` but not the ``rating`` filter, so a "5 stars only" page still shows the
whole breakdown; the page's own ``pagination.total`` counts the filtered rows. The list costs a fixed number of
queries: the page (with the customer joined and the first service's name as a subquery), its count and the
summary's one aggregate.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery

from bookings.models import BookingService, Review

STARS = (5, 4, 3, 2, 1)


def _visible(*, specialist_id: Any = None, customer_id: Any = None) -> QuerySet[Review]:
    rows = Review.objects.filter(is_hidden=False)
    if specialist_id is not None:
        rows = rows.filter(partner_id=specialist_id)
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    return rows


def reviews_list(*, specialist_id: Any = None, customer_id: Any = None, rating: int | None = None) -> QuerySet[Review]:
    """Newest first, each with ``customer`` loaded and ``service_name`` (the booking's first service)."""
    first_service = BookingService.objects.filter(booking_id=OuterRef("booking_id")).order_by("created_at")
    rows = _visible(specialist_id=specialist_id, customer_id=customer_id)
    if rating is not None:
        rows = rows.filter(rating=rating)
    return (
        rows.select_related("customer")
        .annotate(service_name=Subquery(first_service.values("name")[:1]))
        .order_by("-created_at", "-id")
    )


def reviews_summary(*, specialist_id: Any = None, customer_id: Any = None) -> dict[str, Any]:
    """``average_rating`` (two decimals, 0 with none), ``total_reviews`` and ``rating_distribution`` {"5".."1"}."""
    counts = {f"r{star}": Count("id", filter=Q(rating=star)) for star in STARS}
    row = _visible(specialist_id=specialist_id, customer_id=customer_id).aggregate(
        average=Avg("rating"), total=Count("id"), **counts
    )
    average = row["average"]
    return {
        "average_rating": round(float(average), 2) if average is not None else 0.0,
        "total_reviews": row["total"],
        "rating_distribution": {str(star): row[f"r{star}"] for star in STARS},
    }
