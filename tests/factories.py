"""factory-boy factories for the rows most tests need: users, catalog services, bookings, payments, partners, offers.

They write rows the way the services would (no state the services could not reach):
a booking carries its services (``BookingService`` items), a snapshot address and a
booking number from ``next_booking_number``; a partner is made by
``partners.services.profiles.partner_create`` (role, verification, categories) and
given working hours through ``availability_set_day``; an assignment holds the
partner's time from the booking's start to its end plus the travel buffer, with the
partner's earning worked out as ``create_assignment`` does, and puts its booking
and dispatch in the state the offer or the acceptance would.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone
from factory import enums
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.roles import Role
from accounts.services.roles import user_set_roles
from bookings.models import BOOKING_PAYABLE, Booking, BookingPaymentStatus, BookingService, BookingStatus, PaymentMode
from bookings.services.numbers import next_booking_number
from catalog.models import Category, Service, Tier
from core import system_settings
from partners.models import AssignmentStatus, Dispatch, DispatchStatus, Partner, PartnerAssignment
from partners.services.availability import availability_set_day
from partners.services.common import earning_for
from partners.services.profiles import partner_create
from payments.models import Payment, PaymentGatewayName, PaymentMethod, PaymentStatus

# Salt Lake, Kolkata (tests.partners.helpers.HOME / NEAR): where bookings are and where partners wait.
HOME = (Decimal("22.57260000"), Decimal("88.36390000"))
NEAR = (Decimal("22.58000000"), Decimal("88.37500000"))
PINCODE = "700091"


_first_day: dict[str, date] = {}  # the running test's id -> "today" at its first call


def _reference_day() -> date:
    """Today as the clock said at the first call in the running test; the clock's today outside pytest.

    One test's dates all count from one day, so a test that asks for 10:00 and then 11:00
    gets the same day even when midnight falls between the two calls.
    """
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]  # "path::name (call)"
    if not test:
        return timezone.localdate()
    if test not in _first_day:
        _first_day.clear()  # only the running test's day is kept
        _first_day[test] = timezone.localdate()
    return _first_day[test]


def next_weekday_at(hour: int = 10, minute: int = 0, days_ahead: int = 2) -> datetime:
    """``hour:minute`` local time ``days_ahead`` days after the running test's first day (see ``_reference_day``)."""
    day = _reference_day() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    phone = factory.Sequence(lambda n: f"+9195{n:08d}")  # no test writes a fixed +9195 number
    full_name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")


class CustomerFactory(UserFactory):
    """A user with the customer role (``make_user(Role.CUSTOMER)``)."""

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create:
            user_set_roles(user=obj, roles=tuple(extracted or (Role.CUSTOMER,)))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("key",)

    key = "FACIAL"
    name = factory.LazyAttribute(lambda o: o.key.title())


class ServiceFactory(DjangoModelFactory):
    """One catalog service per (category, key, tier): asking again returns the same row."""

    class Meta:
        model = Service
        django_get_or_create = ("category", "service_key", "tier")

    service_key = "FACIAL"
    category = factory.SubFactory(CategoryFactory, key=factory.SelfAttribute("..service_key"))
    tier = Tier.MINIMAL
    name = factory.LazyAttribute(lambda o: f"{o.service_key.title()} {o.tier}")
    service_type = factory.LazyAttribute(lambda o: o.service_key.title())
    product_cost = Decimal("1000.00")
    market_price = factory.LazyAttribute(lambda o: o.product_cost + 200)
    duration_minutes = 60


class _ItemsFromServices(factory.PostGeneration):
    """Hands the hook the factory's ``services`` parameter (a post-generation hook sees no Params otherwise)."""

    def call(self, instance, step, context):
        create = step.builder.strategy == enums.CREATE_STRATEGY
        return self.function(instance, create, step.stub.services)


def _booking_items(booking: Booking, create: bool, services) -> None:
    if not create:
        return
    BookingService.objects.bulk_create(
        [
            BookingService(
                booking=booking,
                service=s,
                name=s.name,
                unit_price=s.product_cost,
                market_price=s.market_price,
                duration_minutes=s.duration_minutes,
            )
            for s in services
        ]
    )


class BookingFactory(DjangoModelFactory):
    """A booking at ``start`` (two days ahead, 10:00) for ``services`` (one 60-minute facial), paid in cash on the day.

    ``total`` is the grand total (a string or Decimal) and ``tax`` its tax; ``at``
    and ``pincode`` go into the snapshot address (``at=None``: no coordinates).
    Traits: ``cash`` (the default), ``online``, ``paid`` (payment_status paid; pair it
    with a ``PaymentFactory(captured=True, booking=...)`` for the money row, as
    ``tests.adminpanel.helpers.paid_booking`` does).
    """

    class Meta:
        model = Booking
        skip_postgeneration_save = True

    class Params:
        start = factory.LazyFunction(next_weekday_at)
        services = factory.LazyFunction(lambda: [ServiceFactory()])
        at = HOME
        pincode = PINCODE
        total = "1180.00"
        cash = factory.Trait(payment_method=PaymentMode.CASH)
        online = factory.Trait(payment_method=PaymentMode.ONLINE)
        paid = factory.Trait(payment_status=BookingPaymentStatus.PAID)

    user = factory.SubFactory(CustomerFactory)
    booking_number = factory.LazyAttribute(lambda o: next_booking_number(day=o.start.date()))
    address_snapshot = factory.LazyAttribute(
        lambda o: {
            "city": "Kolkata",
            "pincode": o.pincode,
            "lat": float(o.at[0]) if o.at else None,
            "lng": float(o.at[1]) if o.at else None,
        }
    )
    booking_date = factory.LazyAttribute(lambda o: o.start.date())
    booking_time = factory.LazyAttribute(lambda o: o.start.time())
    scheduled_start = factory.SelfAttribute("start")
    scheduled_end = factory.LazyAttribute(
        lambda o: o.start + timedelta(minutes=sum(s.duration_minutes for s in o.services))
    )
    status = BookingStatus.PENDING
    payment_method = PaymentMode.CASH
    payment_status = BookingPaymentStatus.PENDING
    total_price = factory.LazyAttribute(lambda o: Decimal(o.total) - Decimal(o.tax))
    tax = Decimal("180.00")
    grand_total = factory.LazyAttribute(lambda o: Decimal(o.total))
    contact_name = factory.SelfAttribute("user.full_name")
    contact_phone = factory.LazyAttribute(lambda o: o.user.phone or "")

    service_items = _ItemsFromServices(_booking_items)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        kwargs["tax"] = Decimal(kwargs["tax"])  # a string given for tax is kept as the Decimal the row reads back
        return kwargs


class PaymentFactory(DjangoModelFactory):
    """A payment for ``booking`` (a new online booking unless given): its grand total, pending, offline gateway.

    Traits: ``success`` (status success), ``captured`` (success with ``captured_at``,
    now unless given), ``cash`` (the cash gateway, method cash). With ``success`` or
    ``captured`` the booking it makes is paid; a booking given is used as it is.
    """

    class Meta:
        model = Payment

    class Params:
        booking = factory.SubFactory(BookingFactory, online=True)
        success = factory.Trait(status=PaymentStatus.SUCCESS, booking__paid=True)
        captured = factory.Trait(
            status=PaymentStatus.SUCCESS, captured_at=factory.LazyFunction(timezone.now), booking__paid=True
        )
        cash = factory.Trait(gateway=PaymentGatewayName.CASH, method=PaymentMethod.CASH)

    payable_type = BOOKING_PAYABLE
    payable_id = factory.LazyAttribute(lambda o: str(o.booking.pk))
    user = factory.SelfAttribute("booking.user")
    amount = factory.SelfAttribute("booking.grand_total")
    status = PaymentStatus.PENDING
    gateway = PaymentGatewayName.OFFLINE
    receipt = factory.Sequence(lambda n: f"rcpt-factory-{n}")


class PartnerFactory(DjangoModelFactory):
    """A verified partner made by ``partner_create`` (a user with the partner role), working every day 08:00-20:00.

    Params: ``categories`` and ``tiers`` (made if missing), ``at`` (lat, lng or None),
    ``radius`` (km), ``days`` (ISO weekdays with hours ``start``-``end``), ``pincodes``
    (the service area of those days), ``verified``. Any other field is written after
    creation, as staff would change it.
    """

    class Meta:
        model = Partner
        skip_postgeneration_save = True

    class Params:
        n = factory.Sequence(lambda n: n + 1)
        categories = ("FACIAL",)
        tiers = (Tier.MINIMAL,)
        at = NEAR
        radius = 10
        days = range(1, 8)
        start = time(8)
        end = time(20)
        pincodes = ()
        verified = True
        user = factory.SubFactory(
            UserFactory,
            phone=factory.LazyAttribute(lambda o: f"+9197{o.factory_parent.n:08d}"),
            email=factory.LazyAttribute(lambda o: f"partner{o.factory_parent.n}@example.com"),
            full_name=factory.LazyAttribute(lambda o: f"Partner {o.factory_parent.n}"),
        )
        data = factory.LazyAttribute(
            lambda o: {
                "name": o.user.full_name,
                "phone_number": o.user.phone,
                "service_categories": list(o.categories),
                "service_tiers": list(o.tiers),
                "current_lat": o.at[0] if o.at else None,
                "current_lng": o.at[1] if o.at else None,
                "service_radius_km": o.radius,
            }
        )
        hours = factory.LazyAttribute(
            lambda o: [
                {
                    "day_of_week": day,
                    "start_time": o.start,
                    "end_time": o.end,
                    "service_area_pincodes": list(o.pincodes),
                }
                for day in o.days
            ]
        )

    setup = factory.LazyAttribute(lambda o: (o.categories, o.data, o.verified, o.hours))

    @classmethod
    def _create(cls, model_class, *args, setup, **fields):
        categories, data, verified, hours = setup
        for key in categories:
            CategoryFactory(key=key)
        created = partner_create(data=data, verified=verified)
        for day in hours:
            availability_set_day(partner=created, data=day)
        if fields:
            model_class.objects.filter(pk=created.pk).update(**fields)
            created.refresh_from_db()
        return created


class PartnerAssignmentFactory(DjangoModelFactory):
    """The partner's assignment to a booking, as ``partners.services.common.create_assignment`` writes it.

    Traits: ``offered`` / ``assigned`` (the default: status assigned, ``expires_at`` at
    the offer timeout; the booking is partner_assigned and the dispatch offered) and
    ``accepted`` (status accepted, ``accepted_at`` now; the booking confirmed and the
    dispatch assigned). A given booking is used as it is; a new one gets the status
    the offer or the acceptance would give it. Busy time (``assigned``, ``accepted``)
    is held by PostgreSQL's exclusion constraint: a second overlapping one for the
    same partner fails there.
    """

    class Meta:
        model = PartnerAssignment
        skip_postgeneration_save = True

    class Params:
        offered = factory.Trait(status=AssignmentStatus.ASSIGNED)
        assigned = factory.Trait(status=AssignmentStatus.ASSIGNED)
        accepted = factory.Trait(
            status=AssignmentStatus.ACCEPTED,
            accepted_at=factory.LazyFunction(timezone.now),
            booking__status=BookingStatus.CONFIRMED,
        )
        earning = factory.LazyAttribute(lambda o: earning_for(o.booking))

    booking = factory.SubFactory(BookingFactory)
    booking__status = BookingStatus.PARTNER_ASSIGNED  # the offer's; the accepted trait makes it confirmed
    partner = factory.SubFactory(PartnerFactory)
    status = AssignmentStatus.ASSIGNED
    dispatch_round = 1
    attempt = 1
    busy_from = factory.SelfAttribute("booking.scheduled_start")
    busy_until = factory.LazyAttribute(
        lambda o: o.booking.scheduled_end + timedelta(minutes=settings.PARTNER_TRAVEL_BUFFER_MINUTES)
    )
    expires_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() + timedelta(minutes=system_settings.value("partner_assignment_timeout"))
            if o.status == AssignmentStatus.ASSIGNED
            else None
        )
    )
    accepted_at = None
    partner_earning = factory.LazyAttribute(lambda o: o.earning[0])
    commission_percentage = factory.LazyAttribute(lambda o: o.earning[1])

    @factory.post_generation
    def dispatch(obj, create, extracted, **kwargs):
        if not create:
            return
        status = DispatchStatus.ASSIGNED if obj.status == AssignmentStatus.ACCEPTED else DispatchStatus.OFFERED
        Dispatch.objects.update_or_create(
            booking=obj.booking, defaults={"status": status, "round": obj.dispatch_round, "attempts": obj.attempt}
        )
