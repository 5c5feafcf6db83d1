"""Demo proof of service (issue #20): two of yesterday's jobs of the demo customer with the demo partner.

Run at the end of ``partners.demo_history`` (it books through its :class:`History`, so ``seed_demo
--no-history`` skips it too), through the services at yesterday's moments (``core.clock.clock_at``):

* **awaiting sign-off**: booked, the demo partner on it, before and after photos uploaded, completed (cash), and
  the customer asked to sign it off; the request is still pending (it expires 48 hours after it was made), and
  the partner's earning is on hold until the customer answers;
* **disputed**: completed the same way, then the customer opened a quality dispute and the partner answered in
  it; it is open, waiting for a mediator, and the earning is held by it.

Each is tried on up to ``ATTEMPTS`` of yesterday's offered slots until the demo partner is free at one (the
history may have given them other jobs that day). The marker: a sign-off the demo partner asked the demo customer for.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Address, User
from bookings.models import Booking, BookingSignature
from bookings.services import dispute_messages, disputes, photos, signatures
from core.clock import clock_at
from core.errors import DomainError
from partners.models import Partner
from partners.services.dispatch import dispatch_booking, offer_accept
from partners.services.jobs import job_advance, job_complete
from partners.services.manual import assign_manually

ATTEMPTS = 8  # slots tried for each job


def _photo(label: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).text((24, 24), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _job(history: Any, customer: tuple[User, Address], partner: Partner, day: date) -> Booking | None:
    """A cash job of ``customer`` done by ``partner`` yesterday, with before and after photos."""
    for attempt in range(ATTEMPTS):
        booked = timezone.make_aware(datetime.combine(day - timedelta(days=1), time(18, attempt)))
        try:
            with transaction.atomic():
                booking = history.book(day, booked, method="cash", customer=customer)
                if booking is None:
                    return None
                with clock_at(booked + timedelta(minutes=5)):
                    offer = dispatch_booking(booking.pk)
                    if offer is not None and offer.partner_id == partner.pk:
                        offer_accept(partner=partner, booking_id=booking.pk)
                    else:
                        assign_manually(booking_id=booking.pk, partner_id=partner.pk, by=history.admin)
                _work(history, partner, booking)
                return booking
        except (DomainError, IntegrityError):  # the demo partner is busy then: another slot
            continue
    return None


def _work(history: Any, partner: Partner, booking: Booking) -> None:
    user, start, end = partner.user, booking.scheduled_start, booking.scheduled_end
    with clock_at(start - timedelta(minutes=35)):
        job_advance(partner=partner, booking_id=booking.pk, status="in_transit", estimated_arrival=start)
    with clock_at(start):
        job_advance(partner=partner, booking_id=booking.pk, status="arrived")
    with clock_at(start + timedelta(minutes=3)):
        photos.photo_upload(
            actor=user,
            booking_id=booking.pk,
            image_type="before",
            upload=_photo("before", (120, 90, 60)),
            description="Before starting",
        )
    with clock_at(end):
        job_complete(partner=partner, booking_id=booking.pk)
        history.tell(booking)  # the payable sync at that moment: the cash makes the booking paid
    with clock_at(end + timedelta(minutes=2)):
        photos.photo_upload(
            actor=user,
            booking_id=booking.pk,
            image_type="after",
            upload=_photo("after", (40, 140, 90)),
            description="All done",
        )


def seed(stdout: Any, history: Any, today: date) -> None:
    from accounts.demo import DEMO_CUSTOMER
    from partners.demo import PARTNERS

    partner = Partner.objects.select_related("user").filter(user__phone=PARTNERS[0][0]).first()
    customer = next((row for row in history.customers if row[0].email == DEMO_CUSTOMER["email"]), None)
    if partner is None or customer is None:
        return
    if BookingSignature.objects.filter(booking__user=customer[0], requested_by=partner.user).exists():
        return
    yesterday = today - timedelta(days=1)
    awaiting = _job(history, customer, partner, yesterday)
    if awaiting is not None:
        with clock_at(awaiting.scheduled_end + timedelta(minutes=5)):
            signatures.signature_request(actor=partner.user, booking_id=awaiting.pk)
    disputed = _job(history, customer, partner, yesterday)
    if disputed is not None:
        with clock_at(disputed.scheduled_end + timedelta(hours=3)):
            dispute = disputes.dispute_open(
                user=customer[0],
                booking_id=disputed.pk,
                dispute_type="quality_issue",
                title="Patchy finish on one side",
                description="The left side was rushed and looks patchy.",
                evidence={"note": "Photos in the messages"},
            )
        with clock_at(disputed.scheduled_end + timedelta(hours=4)):
            dispute_messages.message_send(
                user=partner.user,
                dispute_id=dispute.pk,
                content="Sorry about that. I can come back tomorrow to redo the left side.",
            )
    stdout.write(
        "Demo proof of service: "
        + (f"{awaiting.booking_number} awaiting sign-off" if awaiting else "no sign-off job (no free slot)")
        + ", "
        + (f"{disputed.booking_number} disputed" if disputed else "no disputed job (no free slot)")
        + f", both done yesterday by {partner.name}."
    )
