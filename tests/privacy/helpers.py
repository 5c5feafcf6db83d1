"""A customer with a history in every app: a closed society order (in the ledger), a completed paid booking with
notes, a review, a closed dispute and their message, an address, an inbox entry, a delivery and an OTP row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import Address, OtpChannel, OtpPurpose, OtpVerification, User
from bookings.models import Booking, BookingStatus
from bookings.models.disputes import Dispute, DisputeMessage, DisputeStatus, DisputeType
from bookings.models.reviews import Review
from notifications.models import Channel, Delivery, DeliveryStatus, Notification
from orders.models import Order
from orders.services.payment import auto_close_due, payment_mark_received
from tests.adminpanel.helpers import paid_booking
from tests.orders.builders import delivered

EMAIL = "asha.private@example.com"
PHONE = "+919812345678"
NAME = "Asha Private"
NOTE = "Gate code 4321, ring twice"


@dataclass
class History:
    user: User
    booking: Booking
    order: Order


def otp(user: User | None, destination: str, *, age_days: int = 0) -> OtpVerification:
    now = timezone.now()
    row = OtpVerification.objects.create(
        channel=OtpChannel.SMS,
        destination=destination,
        purpose=OtpPurpose.LOGIN,
        code_hash="0" * 64,
        expires_at=now + timedelta(minutes=5),
        last_sent_at=now,
        user=user,
    )
    if age_days:
        OtpVerification.objects.filter(pk=row.pk).update(created_at=now - timedelta(days=age_days))
    return row


def delivery(user: User | None, body: str, *, age_days: int = 0) -> Delivery:
    row = Delivery.objects.create(
        user=user,
        event_type="booking_confirmed",
        channel=Channel.SMS,
        destination=user.phone if user else "+919800000000",
        body=body,
        status=DeliveryStatus.SENT,
    )
    if age_days:
        Delivery.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=age_days))
    return row


def history(bookings: int = 1, *, email: str = EMAIL, phone: str = PHONE) -> History:
    world = delivered("355.00")
    payment_mark_received(user=world.vendor.user, order_id=world.order.pk, method="CASH")
    auto_close_due(now=Order.objects.get(pk=world.order.pk).auto_close_at + timedelta(seconds=1))
    user = world.resident
    User.objects.filter(pk=user.pk).update(email=email, phone=phone, full_name=NAME, username=email.split("@")[0])
    user.refresh_from_db()
    user.set_unusable_password()  # an OTP-only customer (the password case has its own test)
    user.save(update_fields=["password"])
    Address.objects.create(
        user=user,
        name="Home",
        address_line1="12 Lake Road",
        city="Kolkata",
        state="West Bengal",
        pincode="700001",
        lat="22.5",
        lng="88.3",
        is_default=True,
    )
    booking = None
    for _ in range(bookings):
        booking = paid_booking(user, status=BookingStatus.COMPLETED)
        Booking.objects.filter(pk=booking.pk).update(
            customer_notes=NOTE, contact_email=email, contact_phone=phone, contact_name=NAME
        )
        Review.objects.create(booking=booking, customer=user, rating=4, comment="Lovely work by Ravi")
        dispute = Dispute.objects.create(
            booking=booking,
            customer=user,
            dispute_type=DisputeType.QUALITY_ISSUE,
            title="Stain left",
            description="A stain on the sofa",
            status=DisputeStatus.CLOSED,
        )
        DisputeMessage.objects.create(dispute=dispute, sender=user, content="Call me on 98123 45678")
        Notification.objects.create(user=user, event_type="booking_confirmed", title="Hi Asha", message=NOTE)
        delivery(user, f"Dear {NAME}, booking confirmed")
    otp(user, phone)
    assert booking is not None
    return History(user=user, booking=booking, order=Order.objects.get(pk=world.order.pk))
