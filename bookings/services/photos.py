"""Seed 002's booking photos: the partner's pictures before and after the job (rules P2-P4; reads in
``bookings.photo_selectors``, P1).

* Who uploads (P2): the partner working the booking (``hooks.assigned_users``: the accepted job, on the way or
  arrived; once the booking is completed, the partner whose job completed it, which the partners side still lets
  read it) or staff holding ``bookings.change_booking``. Someone else who may read the booking (its customer,
  staff who only view bookings) is refused with 403 ``FORBIDDEN``; anyone else gets 404 ``BOOKING_NOT_FOUND``, as
  for any booking that is not theirs.
* When (P2): ``before`` while the job is on (booking ``confirmed`` once the partner accepted, or
  ``in_progress``); ``after`` from ``in_progress`` until the customer signed the job off, ``completed``
  included. Anything else is 422 ``INVALID_BOOKING_STATUS`` (reason ``photo_not_allowed_now`` or
  ``signed_off``). The booking row is locked while the photo is written, so a sign-off and an upload never race.
* What (P3): ``core.images.clean_image`` with ``PHOTO_MAX_BYTES`` and ``PHOTO_MAX_PIXELS``: JPEG, PNG or WebP,
  re-encoded without its metadata (no EXIF location reaches storage), with a thumbnail; 422 ``INVALID_FILE`` on
  ``image``. Who and when are checked first, then the image, before the booking is locked (decoding is the slow
  part), then when again under the lock. Files are stored as
  ``<booking id>/<photo id>.<ext>`` under the field's dated folders; if the row is not written they are removed.
* Delete (P4): the uploader or staff holding ``bookings.change_booking``; never once the sign-off is signed (422
  ``INVALID_BOOKING_STATUS``, reason ``signed_off``). Anyone else who may read the booking gets 403, a stranger
  404 ``PHOTO_NOT_FOUND``. The files leave storage when the transaction commits.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingPhoto, BookingSignature, BookingStatus, PhotoType, SignatureStatus
from bookings.services.lifecycle import booking_lock
from core.errors import DomainError, ErrorCode
from core.images import clean_image
from core.types import Id

STAFF_PERMISSION = "bookings.change_booking"

# P2: the booking statuses in which each kind of photo may be taken (``after`` also needs no signed sign-off).
PHOTO_STATUSES: dict[str, frozenset[str]] = {
    PhotoType.BEFORE: frozenset({BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS}),
    PhotoType.AFTER: frozenset({BookingStatus.IN_PROGRESS, BookingStatus.COMPLETED}),
}


def works_on(user: User, booking: Booking) -> bool:
    """The partner on the job: an accepted (on the way, arrived) assignment, or the one that completed it."""
    if any(worker.pk == user.pk for worker in hooks.assigned_users(booking)):
        return True
    return (
        booking.status == BookingStatus.COMPLETED
        and booking.user_id != user.pk
        and hooks.partners().may_read(user, booking)
    )


def _not_found() -> DomainError:
    return DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="booking")


def _may_upload(user: User, booking: Booking) -> None:
    if user.has_perm(STAFF_PERMISSION) or works_on(user, booking):
        return
    if hooks.may_read(user, booking):
        raise DomainError(
            "Only the partner on the job or staff add photos.",
            code=ErrorCode.FORBIDDEN,
            reason="not_on_the_job",
        )
    raise _not_found()


def _signed(booking_id: Id) -> bool:
    return BookingSignature.objects.filter(booking_id=booking_id, status=SignatureStatus.SIGNED).exists()


def _signed_off() -> DomainError:
    return DomainError(
        "The customer has signed the job off: its photos are final.",
        code=BookingErrorCode.INVALID_BOOKING_STATUS,
        reason="signed_off",
    )


def _check_state(booking: Booking, image_type: str) -> None:
    if booking.status not in PHOTO_STATUSES[image_type]:
        raise DomainError(
            f"A photo {image_type} the job cannot be added while the booking is {booking.status}.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            field="image_type",
            reason="photo_not_allowed_now",
            context={"status": booking.status, "allowed": sorted(PHOTO_STATUSES[image_type])},
        )
    if image_type == PhotoType.AFTER and _signed(booking.pk):
        raise _signed_off()


def _readable_booking(user: User, booking_id: Id) -> Booking:
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None or not hooks.may_read(user, booking):
        raise _not_found()
    return booking


def photo_upload(
    *, actor: User, booking_id: Id, image_type: str, upload: UploadedFile, description: str = ""
) -> BookingPhoto:
    """P2 and P3: the partner on the job (or staff) adds a checked, metadata-free photo to the booking."""
    booking = _readable_booking(actor, booking_id)
    _may_upload(actor, booking)
    _check_state(booking, image_type)  # before the slow decode; checked again under the lock
    clean = clean_image(
        upload,
        code=BookingErrorCode.INVALID_FILE,
        field="image",
        max_bytes=settings.PHOTO_MAX_BYTES,
        max_pixels=settings.PHOTO_MAX_PIXELS,
    )
    photo = BookingPhoto(
        id=uuid.uuid4(),
        image_type=image_type,
        description=description,
        uploaded_by=actor,
        size_bytes=clean.size,
        content_type=clean.content_type,
    )
    stored: list[str] = []
    try:
        with transaction.atomic():
            booking = booking_lock(booking_id)
            _check_state(booking, image_type)
            photo.booking = booking
            thumb_extension = "jpg" if clean.extension == "jpg" else "png"
            photo.image.save(f"{booking.pk}/{photo.pk}.{clean.extension}", clean.content, save=False)
            stored.append(photo.image.name)
            photo.thumbnail.save(f"{booking.pk}/{photo.pk}.{thumb_extension}", clean.thumbnail, save=False)
            stored.append(photo.thumbnail.name)
            photo.width, photo.height = clean.width, clean.height
            photo.save(force_insert=True)
    except BaseException:
        for name in stored:
            photo.image.storage.delete(name)
        raise
    return photo


def photo_delete(*, actor: User, photo_id: Id) -> None:
    """P4: the uploader or staff remove a photo, until the customer signs the job off; files go on commit."""
    with transaction.atomic():
        photo = BookingPhoto.objects.select_related("booking").filter(pk=photo_id).first()
        if photo is None or not hooks.may_read(actor, photo.booking):
            raise DomainError("Photo not found.", code=BookingErrorCode.PHOTO_NOT_FOUND, field="id")
        if photo.uploaded_by_id != actor.pk and not actor.has_perm(STAFF_PERMISSION):
            raise DomainError(
                "Only the person who added the photo or staff may delete it.",
                code=ErrorCode.FORBIDDEN,
                reason="not_the_uploader",
            )
        booking_lock(photo.booking_id)  # a sign-off being signed waits, or is seen
        if _signed(photo.booking_id):
            raise _signed_off()
        names = [name for name in (photo.image.name, photo.thumbnail.name) if name]
        storage = photo.image.storage
        photo.delete()
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
