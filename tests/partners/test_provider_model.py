"""Issue #18's data foundation: provider profile fields, centres, time off and a provider's own services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from accounts.roles import Role
from catalog.models import Service
from partners.freeslots import TimeOff, WeeklyRule, free_slots
from partners.models import Centre, Partner, PartnerKind, PartnerTimeOff, StaffCentre
from partners.validators import validate_timezone
from tests import factories
from tests.conftest import make_user
from tests.partners.helpers import partner

pytestmark = pytest.mark.django_db

KOLKATA = ZoneInfo("Asia/Kolkata")
MONDAY = date(2030, 1, 7)


def clinician(**fields) -> Partner:
    return partner(kind=PartnerKind.CLINICIAN, **fields)


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/New_York", "UTC", "Europe/London"])
def test_an_iana_zone_is_accepted(zone):
    validate_timezone(zone)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "IST", "asia/kolkata", "", "+05:30"])
def test_anything_else_is_refused(zone):
    with pytest.raises(ValidationError) as raised:
        validate_timezone(zone)
    assert raised.value.error_list[0].code == "invalid_timezone"


def test_a_partner_defaults_to_kolkata_and_its_zone_is_checked_by_full_clean():
    provider = clinician()
    assert (provider.timezone, provider.default_session_minutes, provider.deposit_amount) == ("Asia/Kolkata", 30, None)
    assert (provider.specialties, provider.qualifications, provider.languages) == ([], [], [])
    provider.full_clean()

    provider.timezone = "America/New_York"
    provider.full_clean()

    provider.timezone = "Mars/Olympus"
    with pytest.raises(ValidationError) as raised:
        provider.full_clean()
    assert set(raised.value.message_dict) == {"timezone"}


def test_a_centre_zone_is_checked_by_full_clean_and_its_name_is_unique_per_city_whatever_its_case():
    centre = Centre(name="Salt Lake Clinic", city="Kolkata", phone="+919876543210")
    centre.full_clean()
    centre.save()
    assert (centre.timezone, centre.is_active) == ("Asia/Kolkata", True)

    bad = Centre(name="Other", city="Kolkata", timezone="Mars/Olympus", phone="98765")
    with pytest.raises(ValidationError) as raised:
        bad.full_clean()
    assert set(raised.value.message_dict) == {"timezone", "phone"}

    Centre.objects.create(name="Salt Lake Clinic", city="Mumbai")
    with pytest.raises(IntegrityError), transaction.atomic():
        Centre.objects.create(name="SALT LAKE clinic", city="kolkata")


def test_a_provider_has_a_primary_centre_and_centres_and_a_manager_runs_a_centre_once():
    main, other = Centre.objects.create(name="Main", city="Kolkata"), Centre.objects.create(name="Two", city="Pune")
    provider = clinician(primary_centre=main, specialties=["Cardiology"], languages=["en", "hi"])
    provider.centres.set([main, other])
    assert set(main.partners.all()) == {provider}
    assert list(main.primary_partners.all()) == [provider]

    manager = make_user()
    StaffCentre.objects.create(user=manager, centre=main)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffCentre.objects.create(user=manager, centre=main)

    main.delete()
    provider.refresh_from_db()
    assert provider.primary_centre is None
    assert list(provider.centres.all()) == [other]


def test_a_deposit_may_be_empty_or_zero_or_more_but_never_negative():
    provider = clinician(deposit_amount=Decimal("200.00"), consultation_fee=Decimal("800.00"))
    Partner.objects.filter(pk=provider.pk).update(deposit_amount=Decimal("0.00"))
    Partner.objects.filter(pk=provider.pk).update(deposit_amount=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.filter(pk=provider.pk).update(deposit_amount=Decimal("-1.00"))


def test_a_session_is_at_least_five_minutes():
    provider = clinician()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.filter(pk=provider.pk).update(default_session_minutes=4)


def test_time_off_ends_after_it_starts():
    provider = clinician()
    start = datetime(2030, 1, 7, 10, tzinfo=KOLKATA)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerTimeOff.objects.create(partner=provider, starts_at=start, ends_at=start)
    with pytest.raises(ValidationError):
        PartnerTimeOff(partner=provider, starts_at=start, ends_at=start - timedelta(hours=1)).full_clean()


def test_weekly_time_off_read_back_removes_its_slots_every_week_until_its_last_date():
    provider = clinician()
    PartnerTimeOff.objects.create(
        partner=provider,
        starts_at=datetime(2030, 1, 7, 10, tzinfo=KOLKATA),
        ends_at=datetime(2030, 1, 7, 11, tzinfo=KOLKATA),
        weekly_until=date(2030, 1, 14),
        reason="Ward round",
    )
    blocks = [row.as_freeslot() for row in PartnerTimeOff.objects.filter(partner=provider)]
    assert blocks == [
        TimeOff(
            start=datetime(2030, 1, 7, 10, tzinfo=KOLKATA),
            end=datetime(2030, 1, 7, 11, tzinfo=KOLKATA),
            weekly_until=date(2030, 1, 14),
        )
    ]

    zone = ZoneInfo(provider.timezone)
    slots = free_slots(
        rules=[WeeklyRule(day=1, start=time(9), end=time(12))],
        zone=zone,
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=14),
        duration=timedelta(minutes=provider.default_session_minutes),
        time_off=blocks,
        not_before=datetime(2029, 1, 1, tzinfo=zone),
    )
    by_day: dict[date, list[str]] = {}
    for start in slots:
        local = start.astimezone(zone)
        by_day.setdefault(local.date(), []).append(local.strftime("%H:%M"))
    blocked = ["09:00", "09:30", "11:00", "11:30"]
    assert by_day == {
        MONDAY: blocked,
        MONDAY + timedelta(days=7): blocked,
        MONDAY + timedelta(days=14): ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"],
    }


def test_a_service_is_the_platform_catalogue_or_a_provider_own_and_each_provider_has_its_own_keys():
    platform = factories.ServiceFactory(service_key="CONSULTATION")
    first, second = clinician(), clinician()
    own = [
        Service.objects.create(
            category=platform.category,
            service_key="CONSULTATION",
            tier=platform.tier,
            name="Consultation",
            service_type="Consultation",
            product_cost=Decimal("800.00"),
            partner=provider,
        )
        for provider in (first, second)
    ]

    assert platform.partner is None
    assert list(first.own_services.all()) == [own[0]]
    assert set(Service.objects.filter(partner__isnull=True)) == {platform}
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.create(
            category=platform.category,
            service_key="CONSULTATION",
            tier=platform.tier,
            name="Again",
            service_type="Consultation",
            product_cost=Decimal("1.00"),
            partner=first,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        first.delete()  # PROTECT: a provider with services is not deleted with them


def test_the_super_admin_sees_centres_staff_centres_and_a_partner_with_its_time_off():
    centre = Centre.objects.create(name="Salt Lake Clinic", city="Kolkata")
    provider = clinician()
    PartnerTimeOff.objects.create(
        partner=provider,
        starts_at=datetime(2030, 1, 7, 10, tzinfo=KOLKATA),
        ends_at=datetime(2030, 1, 7, 11, tzinfo=KOLKATA),
        reason="Conference",
    )
    StaffCentre.objects.create(user=make_user(), centre=centre)
    client = Client()
    client.force_login(make_user(Role.SUPER_ADMIN))

    changelist = client.get("/admin/partners/centre/", {"q": "salt", "city": "Kolkata", "is_active__exact": "1"})
    assert changelist.status_code == 200
    assert "Salt Lake Clinic" in changelist.content.decode()
    assert client.get(f"/admin/partners/centre/{centre.pk}/change/").status_code == 200
    assert client.get("/admin/partners/staffcentre/").status_code == 200
    page = client.get(f"/admin/partners/partner/{provider.pk}/change/")
    assert page.status_code == 200
    assert "Conference" in page.content.decode()
