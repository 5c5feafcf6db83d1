"""Test data for the assistant and the staff reports: bookings at chosen times, a partner's jobs and earnings,
sign-off requests and disputes, written directly so a test knows every number."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from bookings.models import BookingSignature, BookingStatus, Dispute, SignatureStatus
from partners.models import AssignmentStatus, EarningStatus, PartnerEarning
from tests.conftest import client_for
from tests.factories import BookingFactory, PartnerAssignmentFactory, ServiceFactory


def at(days: int, hour: int = 10) -> datetime:
    """``hour``:00 local time ``days`` days from today (negative: in the past)."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=timezone.get_current_timezone())


def booking(customer, *, days: int = 2, hour: int = 10, service: str = "FACIAL", **fields):
    return BookingFactory(user=customer, start=at(days, hour), services=[ServiceFactory(service_key=service)], **fields)


def job(partner, *, days: int = 2, hour: int = 10, status: str = AssignmentStatus.ACCEPTED, customer=None, **fields):
    """``partner``'s job on a new booking; accepted (the booking confirmed) unless ``status`` says otherwise."""
    made = {"booking__user": customer} if customer else {}
    accepted = {"accepted_at": timezone.now(), "booking__status": BookingStatus.CONFIRMED}
    given = {**(accepted if status != AssignmentStatus.ASSIGNED else {}), **made, **fields}
    return PartnerAssignmentFactory(partner=partner, booking__start=at(days, hour), status=status, **given)


def earning(assignment, amount: str, status: str = EarningStatus.PENDING) -> PartnerEarning:
    value = Decimal(amount)
    return PartnerEarning.objects.create(
        partner=assignment.partner,
        booking=assignment.booking,
        assignment=assignment,
        booking_amount=value,
        commission_percentage=Decimal("80.00"),
        partner_earning=value,
        platform_commission=Decimal("0.00"),
        status=status,
    )


def signature(booking_row, *, hours_left: int = 24, status: str = SignatureStatus.PENDING, by=None):
    now = timezone.now()
    return BookingSignature.objects.create(
        booking=booking_row,
        status=status,
        requested_by=by,
        requested_at=now - timedelta(hours=1),
        expires_at=now + timedelta(hours=hours_left),
    )


def dispute(booking_row, **fields) -> Dispute:
    fields.setdefault("customer", booking_row.user)
    fields.setdefault("dispute_type", "quality_issue")
    fields.setdefault("title", "Stains left on the sofa")
    fields.setdefault("description", "Not cleaned properly.")
    return Dispute.objects.create(booking=booking_row, **fields)


def ask(user, message: str, *, role: str = "customer", user_id=None, client=None):
    client = client or client_for(user)
    body = {"user_id": str(user_id or user.pk), "role": role, "message": message}
    return client.post("/api/v1/chat/query", body, format="json")
