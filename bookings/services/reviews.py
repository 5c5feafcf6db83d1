"""Seed 004's reviews: write, edit, delete and moderate a customer's review of a completed booking.

Rules (notes 2.3 "Reviews"):

* RV1: only the booking's customer reviews it (anyone else gets 404 ``BOOKING_NOT_FOUND``, as for any booking
  that is not theirs), only once it is ``completed`` (422 ``INVALID_BOOKING_STATUS``), and once per booking
  (409 ``CONFLICT``, reason ``already_reviewed``). The booking row is locked while the review is written, so two
  at once give one review and one 409; the one-to-one key backs that up.
* RV2: the reviewed partner's ``rating_total``, ``rating_count`` and ``rating`` move by the difference in one
  ``UPDATE`` with ``F()`` (``hooks.PartnerPort.review_changed``) on create, edit, delete, hide and restore, so
  concurrent reviews of one partner never lose one.
* RV4: the author edits within ``settings.REVIEW_EDIT_DAYS`` days of writing it (then 422
  ``REVIEW_EDIT_WINDOW_CLOSED``); deleting has no window. Someone else's review is 404 ``REVIEW_NOT_FOUND``.
* RV3: the first review of a booking earns 10 loyalty points (``loyalty.loyalty_award_review``), once per booking
  ever: deleting the review and writing it again earns nothing more.

Readings where the seed is silent: the reviewed partner is the appointment's chosen provider, else the partner
whose job completed (none: the review counts for nobody's average). ``POST /bookings/{id}/rate`` (its
``feedback`` is the comment) and ``POST /reviews`` write the same review, and ``Booking.customer_rating``,
``customer_feedback`` and ``rated_at`` mirror it (cleared on delete, so a deleted review may be written again).
Staff hiding (``is_hidden``) takes the review out of the list and out of the partner's average; restoring puts it
back. A hidden review can still be edited or deleted by its author; that changes no average until restored.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingEvent, BookingStatus, Review
from bookings.services import loyalty
from bookings.services.lifecycle import booking_lock
from core.errors import DomainError, ErrorCode, ErrorCodeEnum
from core.types import Id


class ReviewErrorCode(ErrorCodeEnum):
    REVIEW_NOT_FOUND = ("REVIEW_NOT_FOUND", 404)
    REVIEW_EDIT_WINDOW_CLOSED = ("REVIEW_EDIT_WINDOW_CLOSED", 422)


_UNSET: Any = object()


def _partner_id_of(booking: Booking) -> Any:
    if booking.requested_partner_id is not None:
        return booking.requested_partner_id
    partner = hooks.partner_of(booking)
    return partner["id"] if partner else None


def _mirror(booking: Booking, review: Review | None) -> None:
    """Keep the booking's own rating fields (older readers) in step with its review."""
    if review is None:
        booking.customer_rating, booking.customer_feedback, booking.rated_at = None, "", None
    else:
        booking.customer_rating, booking.customer_feedback = review.rating, review.comment
        booking.rated_at = booking.rated_at or timezone.now()
    booking.save(update_fields=["customer_rating", "customer_feedback", "rated_at", "updated_at"])


def _count(review: Review, old: int | None, new: int | None) -> None:
    if review.partner_id is not None and not review.is_hidden:
        hooks.partners().review_changed(partner_id=review.partner_id, old_rating=old, new_rating=new)


def review_create(
    *, user: User, booking_id: Id, rating: int, comment: str = "", tags: list[str] | None = None
) -> Review:
    """RV1 and RV2: the customer's one review of their completed booking."""
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if booking.user_id != user.pk:
            raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="booking_id")
        if booking.status != BookingStatus.COMPLETED:
            raise DomainError(
                "Only a completed booking can be reviewed.",
                code=BookingErrorCode.INVALID_BOOKING_STATUS,
                field="booking_id",
                reason="not_completed",
                context={"status": booking.status},
            )
        if Review.objects.filter(booking_id=booking.pk).exists() or booking.customer_rating is not None:
            raise DomainError(
                "You have already reviewed this booking.", code=ErrorCode.CONFLICT, reason="already_reviewed"
            )
        review = Review.objects.create(
            booking=booking,
            customer=user,
            partner_id=_partner_id_of(booking),
            rating=rating,
            comment=comment,
            tags=list(tags or []),
        )
        _mirror(booking, review)
        BookingEvent.objects.create(booking=booking, action="rated", actor=user, note=str(rating))
        _count(review, None, rating)
        award = loyalty.loyalty_award_review(booking=booking)
    review.loyalty_points_earned = award.points if award is not None else 0  # type: ignore[attr-defined]
    return review


def _own_review(user: User, review_id: Id) -> Review:
    review = Review.objects.select_for_update().filter(pk=review_id, customer=user).first()
    if review is None:
        raise DomainError("Review not found.", code=ReviewErrorCode.REVIEW_NOT_FOUND, field="id")
    return review


def review_update(
    *, user: User, review_id: Id, rating: int | None = None, comment: Any = _UNSET, tags: Any = _UNSET
) -> Review:
    """RV4: the author changes the rating, comment or tags within ``REVIEW_EDIT_DAYS`` days of writing it."""
    with transaction.atomic():
        review = _own_review(user, review_id)
        if timezone.now() > review.created_at + timedelta(days=settings.REVIEW_EDIT_DAYS):
            raise DomainError(
                f"A review can be edited for {settings.REVIEW_EDIT_DAYS} days after it is written.",
                code=ReviewErrorCode.REVIEW_EDIT_WINDOW_CLOSED,
                reason="edit_window_closed",
                context={"edit_days": settings.REVIEW_EDIT_DAYS},
            )
        old = review.rating
        if rating is not None:
            review.rating = rating
        if comment is not _UNSET:
            review.comment = comment
        if tags is not _UNSET:
            review.tags = list(tags)
        review.edited_at = timezone.now()
        review.save(update_fields=["rating", "comment", "tags", "edited_at", "updated_at"])
        booking = booking_lock(review.booking_id)
        _mirror(booking, review)
        _count(review, old, review.rating)
    return review


def review_delete(*, user: User, review_id: Id) -> None:
    """The author removes their review; the partner's average drops it and the booking may be reviewed again."""
    with transaction.atomic():
        review = _own_review(user, review_id)
        booking = booking_lock(review.booking_id)
        _count(review, review.rating, None)
        review.delete()
        _mirror(booking, None)
        BookingEvent.objects.create(booking=booking, action="review_deleted", actor=user)


def review_set_hidden(*, review_id: Id, hidden: bool, actor: User | None = None) -> Review:
    """Staff moderation: hide (out of the list and the average) or restore a review. Repeating is a no-op."""
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review_id)
        if review.is_hidden == hidden:
            return review
        if hidden:
            _count(review, review.rating, None)
        review.is_hidden = hidden
        review.save(update_fields=["is_hidden", "updated_at"])
        if not hidden:
            _count(review, None, review.rating)
        BookingEvent.objects.create(
            booking_id=review.booking_id, action="review_hidden" if hidden else "review_restored", actor=actor
        )
    return review
