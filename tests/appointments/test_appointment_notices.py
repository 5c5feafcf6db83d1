"""What an appointment's customer is told (issue #18): booked (time in the provider's zone, the provider, the
meeting link, what to pay), confirmed on payment, cancelled and expired, moved, the payment link (AP6), and the
reminder with the link; never a dispatched booking's text about a partner."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bookings import notify
from bookings.models import Booking, PaymentMode, SessionType
from bookings.services.expiry import booking_expire_hold
from bookings.services.lifecycle import booking_cancel
from bookings.services.reminders import send_due_reminders
from notifications.models import Channel, Delivery, Notification
from partners.services.appointments import AppointmentRequest, appointment_create, appointment_move
from payments.models import PaymentKind
from payments.services.payments import payment_record_cash
from tests.appointments import builders

pytestmark = pytest.mark.django_db


def book(provider, *, days=1, hour=10, **fields) -> Booking:
    return appointment_create(
        customer=fields.pop("customer", None) or builders.patient(),
        request=AppointmentRequest(
            provider_id=provider.pk, start=builders.slot(provider, days=days, hour=hour), **fields
        ),
    )


def notices(booking: Booking) -> list[Notification]:
    return list(Notification.objects.filter(user=booking.user).order_by("created_at"))


def test_an_online_hold_is_announced_with_the_link_the_providers_local_time_and_what_to_pay():
    expert = builders.specialist(zone="America/New_York", business_name="Clear Portfolio Co")
    booking = book(expert, hour=11)

    (notice,) = notices(booking)
    assert notice.event_type == "appointment_booked"
    local = booking.scheduled_start.astimezone(ZoneInfo("America/New_York"))
    assert local.strftime("%I:%M %p %Z") in notice.message  # 11:00 AM EST/EDT, not India's time
    assert "Clear Portfolio Co" in notice.message
    assert booking.meeting_link in notice.message
    assert "the deposit of ₹200.00" in notice.message
    assert "partner" not in notice.message.lower()


def test_a_cash_in_person_appointment_is_announced_without_a_link_or_a_payment_note():
    where = builders.centre()
    doctor = builders.clinician(at=where)
    booking = book(doctor, session_type=SessionType.IN_PERSON, centre_id=where.pk, payment_method=PaymentMode.CASH)

    (notice,) = notices(booking)
    assert notice.message == (
        f"Your appointment {booking.booking_number} with {doctor.user.full_name} is booked for {notify.when(booking)}."
    )


def named(provider, name: str = "Dr Asha Rao"):
    """The factories call a provider "Partner N": a real name keeps "partner" out of the texts but a bug's."""
    provider.user.full_name = name
    provider.user.save(update_fields=["full_name"])
    return provider


def test_a_paid_clinician_hold_is_confirmed_with_its_link(django_capture_on_commit_callbacks):
    doctor = named(builders.clinician())
    booking = book(doctor)

    with django_capture_on_commit_callbacks(execute=True):
        payment_record_cash(
            payable_type="bookings.booking",
            payable_id=str(booking.pk),
            amount=Decimal("800.00"),
            recorded_by=builders.patient(),
        )

    kinds = [n.event_type for n in notices(booking)]
    assert kinds == ["appointment_booked", "payment_succeeded", "appointment_confirmed"]
    confirmed = notices(booking)[-1]
    assert booking.meeting_link in confirmed.message
    assert not any("partner" in n.message.lower() for n in notices(booking))


def test_a_paid_specialist_deposit_is_not_called_confirmed_before_the_specialist_confirms(
    django_capture_on_commit_callbacks,
):
    expert = builders.specialist()
    booking = book(expert)

    with django_capture_on_commit_callbacks(execute=True):
        payment_record_cash(
            payable_type="bookings.booking",
            payable_id=str(booking.pk),
            amount=Decimal("200.00"),
            recorded_by=builders.patient(),
            kind=PaymentKind.DEPOSIT,
        )

    assert [n.event_type for n in notices(booking)] == ["appointment_booked", "payment_succeeded"]


def test_an_expired_hold_says_the_time_was_released(monkeypatch):
    booking = book(builders.clinician())
    later = booking.hold_expires_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert booking_expire_hold(booking_id=booking.pk)

    last = notices(booking)[-1]
    assert last.event_type == "appointment_cancelled"
    assert "payment did not arrive in time" in last.message


def test_a_cancelled_and_a_moved_appointment_are_told_in_appointment_words():
    doctor = builders.clinician()
    cancelled = book(doctor, days=3, payment_method=PaymentMode.CASH)
    moved = book(doctor, days=3, hour=12, payment_method=PaymentMode.CASH)

    booking_cancel(user=cancelled.user, booking_id=cancelled.pk, reason="travel")
    appointment_move(booking_id=moved.pk, start=builders.slot(doctor, days=4, hour=15), actor=moved.user)

    assert notices(cancelled)[-1].event_type == "appointment_cancelled"
    moved.refresh_from_db()
    last = notices(moved)[-1]
    assert last.event_type == "appointment_rescheduled"
    assert notify.when(moved) in last.message
    assert moved.meeting_link in last.message


def test_send_payment_link_goes_over_whatsapp_and_sms(django_capture_on_commit_callbacks):
    booking = book(builders.clinician(), customer=builders.patient(phone="+919812345678"))

    with django_capture_on_commit_callbacks(execute=False):
        notify.send_payment_link(booking, "https://pay.example.com/l/1", expires_at=booking.hold_expires_at)

    notice = Notification.objects.get(user=booking.user, event_type="payment_link")
    assert "https://pay.example.com/l/1" in notice.message
    assert "₹800.00" in notice.message
    channels = set(Delivery.objects.filter(notification=notice).values_list("channel", flat=True))
    assert channels <= {Channel.WHATSAPP, Channel.SMS}
    assert Channel.SMS in channels


def test_the_reminder_of_an_online_appointment_carries_its_link(monkeypatch):
    booking = book(builders.clinician(), payment_method=PaymentMode.CASH)
    monkeypatch.setattr(timezone, "now", lambda: booking.scheduled_start - timedelta(minutes=30))

    assert send_due_reminders() == 1

    reminder = Notification.objects.get(user=booking.user, event_type="appointment_reminder")
    assert reminder.message.endswith(f" Join online: {booking.meeting_link}.")
