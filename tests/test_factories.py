"""The factories make what they say: each trait's rows, as the services would write them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.roles import Role
from bookings.models import BOOKING_PAYABLE, Booking, BookingPaymentStatus, BookingStatus, PaymentMode
from catalog.models import Tier
from partners.models import AssignmentStatus, DispatchStatus, OnboardingStatus, PartnerAvailability
from payments.models import PaymentGatewayName, PaymentMethod, PaymentStatus
from tests.factories import (
    BookingFactory,
    PartnerAssignmentFactory,
    PartnerFactory,
    PaymentFactory,
    ServiceFactory,
    next_weekday_at,
)

pytestmark = pytest.mark.django_db


def test_service_factory_returns_the_same_row_for_the_same_key_and_tier():
    facial = ServiceFactory()
    assert ServiceFactory() == facial
    assert facial.category.key == "FACIAL"
    assert facial.market_price == facial.product_cost + 200
    assert ServiceFactory(service_key="WAXING", tier=Tier.EXCLUSIVE).category.key == "WAXING"


def test_booking_factory_carries_its_services_address_number_and_times():
    start = next_weekday_at(11)
    services = [ServiceFactory(), ServiceFactory(service_key="WAXING", duration_minutes=45)]
    booking = BookingFactory(start=start, services=services, total="2360.00", tax="360.00")
    assert list(booking.items.values_list("service_id", flat=True).order_by("duration_minutes")) == [
        services[1].pk,
        services[0].pk,
    ]
    assert booking.scheduled_start == start
    assert booking.scheduled_end == start + timedelta(minutes=105)
    assert booking.booking_date == start.date()
    assert booking.booking_time == start.time()
    assert booking.booking_number
    assert booking.address_snapshot["pincode"] == "700091"
    assert booking.address_snapshot["lat"]
    assert (booking.total_price, booking.tax, booking.grand_total) == (
        Decimal("2000.00"),
        Decimal("360.00"),
        Decimal("2360.00"),
    )
    assert booking.user.has_role(Role.CUSTOMER)
    assert booking.status == BookingStatus.PENDING
    assert booking.payment_method == PaymentMode.CASH  # the cash trait is the default
    assert booking.payment_status == BookingPaymentStatus.PENDING


def test_booking_factory_traits():
    assert BookingFactory(paid=True).payment_status == BookingPaymentStatus.PAID
    assert BookingFactory(online=True).payment_method == PaymentMode.ONLINE
    assert BookingFactory(cash=True).payment_method == PaymentMode.CASH
    assert BookingFactory(at=None).address_snapshot["lat"] is None


def test_payment_factory_pays_for_its_booking():
    booking = BookingFactory(online=True, paid=True)
    pending = PaymentFactory(booking=booking)
    assert (pending.payable_type, pending.payable_id) == (BOOKING_PAYABLE, str(booking.pk))
    assert pending.user == booking.user
    assert pending.amount == booking.grand_total
    assert pending.status == PaymentStatus.PENDING
    assert pending.captured_at is None

    assert PaymentFactory(success=True).status == PaymentStatus.SUCCESS
    captured = PaymentFactory(captured=True)
    assert Booking.objects.get(pk=captured.payable_id).payment_status == BookingPaymentStatus.PAID
    assert Booking.objects.get(pk=pending.payable_id).payment_status == BookingPaymentStatus.PAID  # as given
    assert Booking.objects.get(pk=PaymentFactory().payable_id).payment_status == BookingPaymentStatus.PENDING
    assert captured.status == PaymentStatus.SUCCESS
    assert captured.captured_at is not None
    cash = PaymentFactory(cash=True)
    assert (cash.gateway, cash.method) == (PaymentGatewayName.CASH, PaymentMethod.CASH)
    assert PaymentFactory().payable_id != PaymentFactory().payable_id  # each its own booking


def test_partner_factory_makes_a_verified_partner_with_hours_through_the_service():
    partner = PartnerFactory(categories=("FACIAL", "WAXING"), pincodes=("700091",), days=(1, 2))
    assert partner.onboarding_status == OnboardingStatus.VERIFIED
    assert partner.user.has_role(Role.PARTNER)
    assert sorted(partner.categories.values_list("key", flat=True)) == ["FACIAL", "WAXING"]
    assert sorted(PartnerAvailability.objects.filter(partner=partner).values_list("day_of_week", flat=True)) == [1, 2]
    assert PartnerFactory(verified=False).onboarding_status != OnboardingStatus.VERIFIED
    assert PartnerFactory().user != partner.user


def test_assignment_factory_offered_and_accepted():
    offer = PartnerAssignmentFactory(offered=True)
    assert offer.status == AssignmentStatus.ASSIGNED
    assert offer.expires_at is not None
    assert offer.accepted_at is None
    assert offer.booking.status == BookingStatus.PARTNER_ASSIGNED
    assert offer.booking.dispatch.status == DispatchStatus.OFFERED
    assert offer.busy_from == offer.booking.scheduled_start
    assert offer.busy_until == offer.booking.scheduled_end + timedelta(minutes=settings.PARTNER_TRAVEL_BUFFER_MINUTES)
    assert 0 < offer.partner_earning < offer.booking.grand_total - offer.booking.tax

    assert PartnerAssignmentFactory(assigned=True).status == AssignmentStatus.ASSIGNED

    job = PartnerAssignmentFactory(accepted=True)
    assert job.status == AssignmentStatus.ACCEPTED
    assert job.accepted_at is not None
    assert job.expires_at is None
    assert job.booking.status == BookingStatus.CONFIRMED
    assert job.booking.dispatch.status == DispatchStatus.ASSIGNED


def test_an_accepted_assignment_holds_the_partners_time():
    job = PartnerAssignmentFactory(accepted=True)
    overlapping = BookingFactory(start=job.booking.scheduled_start + timedelta(minutes=30))
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerAssignmentFactory(partner=job.partner, booking=overlapping, accepted=True)
    later = BookingFactory(start=job.busy_until)
    assert PartnerAssignmentFactory(partner=job.partner, booking=later, accepted=True).pk
