"""Dynamic pricing's math in catalog.pricing (seed 002 PR1-PR3, PR6): pure, no database."""

from decimal import Decimal

import pytest

from catalog.pricing import Factors, Line, demand_level, no_surge, price, surge, surge_multiplier

D = Decimal


def test_the_seed_example_gives_1_2_and_600():
    quoted = surge(D("500"), Factors(time=D("1.0"), demand=D("1.15"), availability=D("1.05")))

    assert quoted.multiplier == D("1.20")  # 1.2075 to the nearest 0.05
    assert quoted.final == D("600.00")
    assert quoted.surge == D("100.00")
    assert quoted.demand_level == "high"
    assert quoted.as_dict() == {
        "base_price": 500.0,
        "surge_multiplier": 1.2,
        "final_price": 600.0,
        "demand_level": "high",
        "factors": {
            "time_based_multiplier": 1.0,
            "demand_based_multiplier": 1.15,
            "vendor_availability_multiplier": 1.05,
        },
        "breakdown": {"base": 500.0, "surge": 100.0, "total": 600.0},
    }


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        ("1.2075", "1.20"),
        ("1.225", "1.25"),  # half-up on the step
        ("1.2249", "1.20"),
        ("1.1", "1.10"),
        ("1.3225", "1.30"),
    ],
)
def test_rounded_to_the_step(product, expected):
    assert surge_multiplier(Factors(demand=D(product))) == D(expected)


def test_the_step_is_a_setting(settings):
    settings.SURGE_STEP = "0.1"

    assert surge_multiplier(Factors(demand=D("1.2075"))) == D("1.20")
    assert surge_multiplier(Factors(demand=D("1.26"))) == D("1.30")


def test_clamped_at_the_maximum(settings):
    huge = Factors(time=D("1.5"), demand=D("1.5"), availability=D("1.3"))  # 2.925

    assert surge_multiplier(huge) == D("2.00")
    settings.SURGE_MAX = "1.5"
    assert surge(D("500"), huge).final == D("750.00")


def test_never_below_one():
    cheap = Factors(time=D("0.8"), demand=D("0.9"))

    assert surge_multiplier(cheap) == D("1.00")
    assert surge(D("499.99"), cheap).final == D("499.99")


@pytest.mark.parametrize(
    ("multiplier", "level"),
    [("1.00", "normal"), ("1.10", "normal"), ("1.15", "high"), ("1.25", "high"), ("1.45", "high"),
     ("1.50", "very_high"), ("2.00", "very_high")],
)  # fmt: skip
def test_demand_levels(multiplier, level):
    assert demand_level(D(multiplier)) == level


def test_final_is_money_of_base_times_multiplier():
    quoted = surge(D("333.33"), Factors(demand=D("1.15")))

    assert quoted.final == D("383.33")  # 383.3295 half-up
    assert quoted.surge == D("50.00")


def test_no_surge_is_the_base():
    quoted = no_surge(D("500"))

    assert (quoted.multiplier, quoted.final, quoted.surge, quoted.demand_level) == (D("1.00"), D("500.00"), 0, "normal")


def test_price_orders_surge_then_promo_then_tax():
    lines = [Line("s1", "Facial", D("1000.00"), D("1200.00"), 2)]

    quote = price(lines, discount=D("100"), rate=D("0.18"), multiplier=D("1.20"))

    assert quote.lines[0].unit_price == D("1200.00")
    assert quote.subtotal == D("2400.00")  # surge first
    assert quote.savings == D("0.00")  # the market price is no longer above the surged price
    assert quote.discount == D("100.00")  # the promo on the surged subtotal
    assert quote.tax == D("414.00")  # 18 % of 2,400 - 100
    assert quote.grand_total == D("2714.00")
    assert quote.surge_multiplier == D("1.20")


def test_price_without_a_multiplier_is_unchanged():
    lines = [Line("s1", "Facial", D("1000.00"), D("1200.00"), 2)]

    quote = price(lines, discount=D("100"), rate=D("0.18"))

    assert (quote.subtotal, quote.savings, quote.tax, quote.grand_total) == (
        D("2000.00"), D("400.00"), D("342.00"), D("2242.00"),
    )  # fmt: skip
