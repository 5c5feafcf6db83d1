"""Seed 002's sign-off (issue #20): the partner asks the customer to sign the finished job off; the customer signs
with a satisfaction rating, or refuses; requests nobody answered expire.

Rules (notes 2.1 "S"):

* S1: the booking's assigned partner (``hooks.assigned_users``, or the partner whose job on it is completed, which
  the partners side answers through ``PartnerPort.may_read``) or staff holding ``bookings.change_booking`` ask,
  once the booking is ``completed`` (422 ``INVALID_BOOKING_STATUS`` before: the seed's "after the job"; an
  ``in_progress`` booking with an after photo does not count, since completing the job is the partner's own step).
  Someone who may read the booking but not ask (its customer, read-only staff) gets 403; anyone else 404
  ``BOOKING_NOT_FOUND``. One pending request per booking (409 ``SIGNATURE_PENDING``, backed by the partial unique
  constraint); a signed booking is not asked again (409 ``ALREADY_SIGNED``). A pending request already past its
  ``expires_at`` is expired first, so the new one stands. After a refusal or an expiry the partner may ask again.
* S2: ``expires_at = requested_at + settings.SIGNATURE_HOURS`` (48 hours).
* S3: only the booking's customer signs (anyone else: 404 ``SIGNATURE_NOT_FOUND``), only while pending and before
  ``expires_at``; past it the row becomes ``expired`` (committed) and the answer is 422 ``SIGNATURE_EXPIRED``.
* S4: signing is one-time: 409 ``ALREADY_SIGNED``. A refused one is 422 ``INVALID_SIGNATURE_STATUS``.
* S5: ``signature_hash = sha256_hex("{signature_id}|{booking_id}|{signed_by_id}|{signed_at}|{rating}")`` where
  the ids are the UUIDs' canonical text and ``signed_at`` is ISO 8601 in UTC with microseconds and a ``Z``
  (``2026-11-29T10:00:00.000000Z``); :func:`signature_hash_of` recomputes it from the stored row.
* S6: the customer hears of a request live (``signature_request`` on their own group, the one
  ``ws/notifications/{user_id}/`` joins) and in the inbox (event ``signature_request``).
* S7: the rating is the booking's review: signing writes it through ``bookings.services.reviews.review_create``
  (the comments are its comment); a review the customer already wrote is kept as it is.
* Earning hold (S7, D4): a request puts the partner's earning on the booking ``on_hold`` (reason
  ``signature_pending``, through ``hooks.partners().earning_hold``), so payouts skip it; signing releases it
  (pending again, paid by the next payout). An expiry releases it too: nobody answering must not keep the
  partner's money for ever, and ops hear of the expiry (S8) and may ask again or open a dispute. A refusal keeps
  it held: the dispute it opens (S9) decides. An earning already in a payout or paid is left alone.
* S8: :func:`signatures_expire_due` is the periodic scan (``bookings.tasks.expire_signatures``, every 5 minutes):
  each due row moves to ``expired`` under its own row lock; staff who may change bookings get one inbox notice
  per run naming the bookings. Repeating it changes nothing.
* S9: a refusal is recorded on the booking's timeline (``signature_refused``, the reason as its note) and opens a
  ``signature_refusal`` dispute (``bookings.services.disputes.dispute_open_for_refusal``), whose hold on the
  earning replaces the sign-off's.

Locks: the booking, then the signature, everywhere (request, sign, refuse and the scan; the scan's timeline row
would otherwise wait on the booking a signer holds while the signer waits on the signature). So a customer
signing while the scan runs gives exactly one outcome: whoever locks first decides it, the other reads the new
status.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import (
    SIGNATURE_STATES,
    Booking,
    BookingEvent,
    BookingSignature,
    BookingStatus,
    Review,
    SignatureStatus,
)
from bookings.selectors import ops_staff
from bookings.services import disputes, reviews
from bookings.services.lifecycle import booking_lock
from bookings.staff_scope import staff_reaches
from core.errors import DomainError, ErrorCode
from core.events import send_event_on_commit, user_group
from core.images import clean_image
from core.types import Id
from notifications.services import notify

SIGNATURE_IMAGE_MAX_BYTES = 2 * 1024 * 1024  # a drawn signature is small
SIGNATURE_IMAGE_MAX_PIXELS = 4_000_000
EXPIRE_BATCH = 500
SIGNATURE_PENDING = "signature_pending"  # the earning's hold reason while a request waits


def signature_hash_of(signature: BookingSignature) -> str:
    """S5: the SHA-256 hex of the canonical string of a signed row (formula in the module docstring)."""
    if signature.signed_at is None:
        raise ValueError("An unsigned signature has no hash.")
    signed_at = signature.signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    canonical = "|".join(
        [
            str(signature.pk),
            str(signature.booking_id),
            str(signature.signed_by_id),
            signed_at,
            str(signature.satisfaction_rating),
        ]
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def service_name_of(booking: Booking) -> str:
    names = [item.name for item in booking.items.all()]
    return ", ".join(names) if names else "your booking"


def _may_request(actor: User, booking: Booking) -> bool:
    if actor.has_perm("bookings.change_booking") and staff_reaches(actor, booking.pk):
        return True
    if any(person.pk == actor.pk for person in hooks.assigned_users(booking)):
        return True
    # A completed job's partner is no longer "assigned"; the partners side still lets them read the booking.
    return booking.user_id != actor.pk and hooks.partners().may_read(actor, booking)


def _expire(signature: BookingSignature, *, actor: User | None = None) -> None:
    SIGNATURE_STATES.move(signature, SignatureStatus.EXPIRED)
    BookingEvent.objects.create(booking_id=signature.booking_id, action="signature_expired", actor=actor)
    hooks.partners().earning_release(booking_id=signature.booking_id, reason=SIGNATURE_PENDING)


@dataclass(frozen=True)
class SignatureRequested:
    signature: BookingSignature
    message: str


def signature_request(*, actor: User, booking_id: Id) -> SignatureRequested:
    """S1, S2 and S6: ask the booking's customer to sign the completed job off."""
    with transaction.atomic():
        booking = booking_lock(booking_id)
        if not _may_request(actor, booking):
            if hooks.may_read(actor, booking):
                raise DomainError(
                    "Only the booking's partner or staff can ask for a sign-off.",
                    code=ErrorCode.FORBIDDEN,
                    reason="not_the_partner",
                )
            raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id")
        if booking.status != BookingStatus.COMPLETED:
            raise DomainError(
                "A sign-off can be requested once the job is completed.",
                code=BookingErrorCode.INVALID_BOOKING_STATUS,
                reason="not_completed",
                context={"status": booking.status},
            )
        rows = BookingSignature.objects.filter(booking=booking)
        if rows.filter(status=SignatureStatus.SIGNED).exists():
            raise DomainError("This booking is already signed off.", code=BookingErrorCode.ALREADY_SIGNED)
        now = timezone.now()
        pending = rows.select_for_update().filter(status=SignatureStatus.PENDING).first()
        if pending is not None and pending.expires_at <= now:
            _expire(pending)
            pending = None
        if pending is not None:
            raise _pending(pending)
        try:
            with transaction.atomic():
                signature = BookingSignature.objects.create(
                    booking=booking,
                    requested_by=actor,
                    requested_at=now,
                    expires_at=now + timedelta(hours=settings.SIGNATURE_HOURS),
                )
        except IntegrityError:  # the partial unique constraint: one pending per booking
            raise _pending(None) from None
        BookingEvent.objects.create(booking=booking, action="signature_requested", actor=actor)
        hooks.partners().earning_hold(booking_id=booking.pk, reason=SIGNATURE_PENDING)
        message = f"Signature requested for {service_name_of(booking)}"
        _tell_customer(booking, signature, message)
    return SignatureRequested(signature=signature, message=message)


def _pending(pending: BookingSignature | None) -> DomainError:
    context: dict[str, Any] = {"signature_id": str(pending.pk)} if pending is not None else {}
    return DomainError(
        "A sign-off is already waiting for the customer.", code=BookingErrorCode.SIGNATURE_PENDING, context=context
    )


def _tell_customer(booking: Booking, signature: BookingSignature, message: str) -> None:
    send_event_on_commit(
        user_group(booking.user_id),
        "signature_request",
        {
            "signature_id": str(signature.pk),
            "booking_id": str(booking.pk),
            "message": message,
            "timestamp": signature.requested_at.isoformat(),
        },
    )
    notify(
        "signature_request",
        user=booking.user,
        context={
            "service_name": service_name_of(booking),
            "booking_number": booking.booking_number,
            "expires": timezone.localtime(signature.expires_at).strftime("%a %d %b, %I:%M %p"),
        },
        data={
            "signature_id": str(signature.pk),
            "booking_id": str(booking.pk),
            "booking_number": booking.booking_number,
            "action_url": f"/signatures/{signature.pk}",
        },
    )


def _customers_signature(user: User, signature_id: Id) -> BookingSignature:
    """The caller's signature row, locked (booking first, then the signature); 404 for anyone else's."""
    found = BookingSignature.objects.filter(pk=signature_id, booking__user=user).values_list("booking_id").first()
    if found is None:
        raise DomainError("Signature not found.", code=BookingErrorCode.SIGNATURE_NOT_FOUND, field="id")
    booking_lock(found[0])
    return BookingSignature.objects.select_for_update().get(pk=signature_id)


def _answerable(signature: BookingSignature, now: datetime, target: str) -> DomainError | None:
    """Why the customer can no longer answer (after expiring a due row), or ``None`` while they can."""
    if signature.status == SignatureStatus.PENDING and now >= signature.expires_at:
        _expire(signature)
    if signature.status == SignatureStatus.PENDING:
        return None
    if signature.status == SignatureStatus.SIGNED:
        return DomainError("You have already signed this off.", code=BookingErrorCode.ALREADY_SIGNED)
    if signature.status == SignatureStatus.EXPIRED:
        return DomainError(
            "This sign-off request has expired.",
            code=BookingErrorCode.SIGNATURE_EXPIRED,
            context={"expires_at": signature.expires_at.isoformat()},
        )
    return SIGNATURE_STATES.refuse(signature.status, target)


def signature_sign(
    *,
    user: User,
    signature_id: Id,
    satisfaction_rating: int,
    comments: str = "",
    signature_image: UploadedFile | None = None,
) -> BookingSignature:
    """S3, S4, S5 and S7: the customer signs with a rating (and optionally a drawn signature)."""
    if not 1 <= satisfaction_rating <= 5:
        raise DomainError(
            "The rating is 1 to 5.", code=ErrorCode.VALIDATION_ERROR, field="satisfaction_rating", reason="out_of_range"
        )
    drawn = None
    if signature_image is not None:  # decoded before any lock is taken
        drawn = clean_image(
            signature_image,
            code=BookingErrorCode.INVALID_FILE,
            field="signature_image",
            max_bytes=SIGNATURE_IMAGE_MAX_BYTES,
            max_pixels=SIGNATURE_IMAGE_MAX_PIXELS,
        )
    with transaction.atomic():
        signature = _customers_signature(user, signature_id)
        now = timezone.now()
        refusal = _answerable(signature, now, SignatureStatus.SIGNED)
        if refusal is None:
            signature.signed_by, signature.signed_at = user, now
            signature.satisfaction_rating, signature.satisfaction_comments = satisfaction_rating, comments
            changes: dict[str, Any] = {
                "signed_by": user,
                "signed_at": now,
                "satisfaction_rating": satisfaction_rating,
                "satisfaction_comments": comments,
                "signature_hash": signature_hash_of(signature),
            }
            if drawn is not None:
                signature.signature_image.save(f"{signature.pk}.{drawn.extension}", drawn.content, save=False)
                changes["signature_image"] = signature.signature_image.name
            SIGNATURE_STATES.move(signature, SignatureStatus.SIGNED, changes=changes)
            BookingEvent.objects.create(
                booking_id=signature.booking_id, action="signed_off", actor=user, note=str(satisfaction_rating)
            )
            _review(user, signature.booking_id, satisfaction_rating, comments)
            hooks.partners().earning_release(booking_id=signature.booking_id, reason=SIGNATURE_PENDING)
    if refusal is not None:
        raise refusal  # after the commit: an expired row stays expired
    return signature


def _review(user: User, booking_id: Id, rating: int, comments: str) -> None:
    """S7: the sign-off's rating is the booking's one review; one the customer already wrote stands."""
    booking = Booking.objects.get(pk=booking_id)
    if booking.status != BookingStatus.COMPLETED or booking.customer_rating is not None:
        return
    if Review.objects.filter(booking_id=booking_id).exists():
        return
    reviews.review_create(user=user, booking_id=booking_id, rating=rating, comment=comments[:2000])


def signature_refuse(*, user: User, signature_id: Id, reason: str) -> BookingSignature:
    """S9: the customer refuses to sign; the refusal is on the booking's timeline and opens a dispute of type
    ``signature_refusal`` (or is added to the dispute already open)."""
    with transaction.atomic():
        signature = _customers_signature(user, signature_id)
        refusal = _answerable(signature, timezone.now(), SignatureStatus.REFUSED)
        if refusal is None:
            SIGNATURE_STATES.move(signature, SignatureStatus.REFUSED)
            BookingEvent.objects.create(
                booking_id=signature.booking_id, action="signature_refused", actor=user, note=reason
            )
            # the dispute decides the earning now (its hold replaces the sign-off's)
            disputes.dispute_open_for_refusal(user=user, signature=signature, reason=reason)
    if refusal is not None:
        raise refusal
    return signature


def signatures_expire_due(*, now: datetime | None = None) -> int:
    """S8: expire pending requests past ``expires_at``, each under its row lock; tell ops once. Idempotent."""
    now = now or timezone.now()
    due = BookingSignature.objects.filter(status=SignatureStatus.PENDING, expires_at__lte=now)
    expired: list[str] = []
    for pk, booking_id in list(due.values_list("pk", "booking_id")[:EXPIRE_BATCH]):
        with transaction.atomic():
            booking = booking_lock(booking_id)  # the booking first, as signing does (its timeline row needs it)
            signature = due.select_for_update().filter(pk=pk).first()
            if signature is None:  # signed, refused or expired meanwhile
                continue
            _expire(signature)
            expired.append(booking.booking_number)
    if expired:
        with transaction.atomic():
            for person in ops_staff():
                notify(
                    "signatures_expired",
                    user=person,
                    context={"count": len(expired), "booking_numbers": ", ".join(expired)},
                    data={"booking_numbers": expired, "action_url": "/admin/bookings/bookingsignature/"},
                )
    return len(expired)
