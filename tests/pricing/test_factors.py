"""Dynamic pricing's factors from the data (partners.pricing_factors, seed 002 PR4)."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.models import Booking
from catalog.models import Tier
from partners import pricing_factors as pf
from partners.models import Partner
from tests import factories
from tests.pricing.helpers import PINCODE, bookings_at, day_ahead, moment, partners_at

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _on(settings):
    settings.DYNAMIC_PRICING_ENABLED = True


@pytest.fixture
def facial():
    return factories.ServiceFactory(service_key="FACIAL", tier=Tier.MINIMAL, product_cost=D("500.00"))


def test_time_factor_peak_hours_and_weekends():
    weekday, weekend = day_ahead(weekend=False), day_ahead(weekend=True)

    assert pf.time_factor(moment(weekday, 12), weekday) == D("1.00")
    assert pf.time_factor(moment(weekday, 9), weekday) == D("1.10")  # 09:00-11:00
    assert pf.time_factor(moment(weekday, 11), weekday) == D("1.00")  # the end is exclusive
    assert pf.time_factor(moment(weekend, 12), weekend) == D("1.10")
    assert pf.time_factor(moment(weekend, 15), weekend) == D("1.21")  # both
    assert pf.time_factor(None, weekend) == D("1.10")  # a day: the weekend alone


@pytest.mark.parametrize(
    ("intensity", "factor"),
    [(0, "1.00"), (1.9, "1.00"), (2, "1.05"), (5.5, "1.15"), (9.99, "1.15"), (10, "1.30"), (25, "1.50")],
)
def test_demand_factor_table(intensity, factor):
    assert pf.demand_factor(intensity) == D(factor)


@pytest.mark.parametrize(
    ("available", "factor"), [(0, "1.30"), (1, "1.20"), (2, "1.10"), (3, "1.05"), (4, "1.05"), (5, "1.00")]
)
def test_availability_factor_table(available, factor):
    assert pf.availability_factor(available) == D(factor)


def test_demand_is_recent_bookings_per_partner_serving_the_pincode():
    partners_at(2)
    partners_at(1, pincode="700001")  # elsewhere
    bookings_at(5)
    bookings_at(3, pincode="700001")
    old = bookings_at(1)[0]
    Booking.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))

    demand = pf.demand_at(PINCODE)

    assert (demand.bookings, demand.partners, demand.intensity) == (5, 2, 2.5)


def test_demand_counts_verified_active_partners_only():
    partners_at(1)
    partners_at(1, verified=False)
    Partner.objects.filter(pk=partners_at(1)[0].pk).update(is_active=False)
    bookings_at(3)

    assert pf.demand_at(PINCODE).partners == 1
    assert pf.demand_at(PINCODE).intensity == 3.0


def test_nobody_serving_counts_the_bookings_themselves():
    bookings_at(3)

    assert pf.demand_at(PINCODE).intensity == 3.0


def test_availability_counts_partners_working_there_at_that_hour(facial):
    day = day_ahead(weekend=False)
    partners_at(2, start=time(8), end=time(12))
    partners_at(1, start=time(14), end=time(20))
    partners_at(1, categories=("HAIR",))  # cannot do a facial

    assert pf.available_at(PINCODE, [facial.category_id], day, time(10)) == 2
    assert pf.available_at(PINCODE, [facial.category_id], day, time(12)) == 0  # the end is exclusive
    assert pf.available_at(PINCODE, [facial.category_id], day, time(15)) == 1
    assert pf.available_at(PINCODE, [facial.category_id], day, None) == 3
    assert pf.available_at(PINCODE, [], day, time(15)) == 2


def test_the_seed_example_from_data(settings, facial):
    settings.SURGE_DEMAND = [(0, "1.00"), (1.5, "1.15")]  # 6 bookings / 4 partners = 1.5
    partners_at(4)
    bookings_at(6)
    day = day_ahead(weekend=False)

    quoted = pf.price_at(facial, PINCODE, moment(day, 12))

    assert quoted.factors.as_dict() == {
        "time_based_multiplier": 1.0,
        "demand_based_multiplier": 1.15,
        "vendor_availability_multiplier": 1.05,
    }
    assert (quoted.multiplier, quoted.final, quoted.demand_level) == (D("1.20"), D("600.00"), "high")


def test_off_is_the_catalog_price(settings, facial):
    settings.DYNAMIC_PRICING_ENABLED = False
    bookings_at(30)

    quoted = pf.price_at(facial, PINCODE, moment(day_ahead(weekend=True), 10))

    assert (quoted.multiplier, quoted.final) == (D("1.00"), D("500.00"))
    assert pf.day_surge(service_ids=[str(facial.pk)], pincode=PINCODE, day=day_ahead(weekend=True)) == (D("1.00"), {})


def test_day_surge_for_checkout(facial):
    day = day_ahead(weekend=True)
    partners_at(2)

    multiplier, info = pf.day_surge(service_ids=[str(facial.pk)], pincode=PINCODE, day=day)

    assert multiplier == D("1.20")  # weekend 1.10 x two partners 1.10 = 1.21
    assert info == {
        "demand_level": "high",
        "factors": {
            "time_based_multiplier": 1.1,
            "demand_based_multiplier": 1.0,
            "vendor_availability_multiplier": 1.1,
        },
        "pincode": PINCODE,
        "date": day.isoformat(),
    }
    assert pf.day_surge(service_ids=[str(facial.pk)], pincode="", day=day) == (D("1.00"), {})


def test_predictions_one_row_a_day_and_few_queries(facial, django_assert_max_num_queries):
    partners_at(1)
    bookings_at(4)

    with django_assert_max_num_queries(4):
        rows = pf.predictions(facial, PINCODE, 14)

    assert [row["date"] for row in rows] == [
        (timezone.localdate() + timedelta(days=n)).isoformat() for n in range(1, 15)
    ]
    assert all(0.3 <= row["confidence"] <= 0.9 for row in rows)
    assert rows[0]["confidence"] > rows[-1]["confidence"]
    assert all(row["predicted_price"] == float(D("500") * D(str(row["surge_multiplier"]))) for row in rows)
