"""The pricing rule: one module, rounded half-up to paise, seed 000's example added up correctly."""

from decimal import Decimal

import pytest

from catalog.pricing import Line, percentage_discount, price
from core import system_settings


def line(cost, market=None, quantity=1):
    return Line(
        service_id="s",
        name="x",
        unit_price=Decimal(cost),
        market_price=Decimal(market) if market else None,
        quantity=quantity,
    )


def test_seed_000_example_by_the_rule_not_the_typo():
    lines = [line("1000.00", "1200.00"), line("1000.00", "1200.00")]
    discount = percentage_discount(Decimal("2000.00"), Decimal("8"))

    quote = price(lines, discount=discount, rate=Decimal("0.18"))

    assert quote.as_dict() == {
        "subtotal": Decimal("2000.00"),
        "savings": Decimal("400.00"),
        "discount": Decimal("160.00"),
        "tax": Decimal("331.20"),
        "grand_total": Decimal("2171.20"),
    }


def test_quantities_multiply_cost_and_savings():
    quote = price([line("499.99", "599.99", quantity=3)], rate=Decimal("0.18"))

    assert quote.subtotal == Decimal("1499.97")
    assert quote.savings == Decimal("300.00")
    assert quote.tax == Decimal("269.99")  # 269.9946 rounds half-up to paise
    assert quote.grand_total == Decimal("1769.96")


def test_rounding_is_half_up():
    assert price([line("0.25")], rate=Decimal("0.18")).tax == Decimal("0.05")  # 0.045 -> 0.05


def test_discount_never_exceeds_the_subtotal_and_savings_are_not_deducted():
    quote = price([line("100.00", "150.00")], discount=Decimal("500"), rate=Decimal("0.18"))

    assert quote.discount == Decimal("100.00")
    assert quote.tax == Decimal("0.00")
    assert quote.grand_total == Decimal("0.00")
    assert quote.savings == Decimal("50.00")


@pytest.mark.parametrize(("percent", "maximum", "expected"), [("10", None, "200.00"), ("10", "150", "150.00")])
def test_percentage_discount_with_a_maximum(percent, maximum, expected):
    assert percentage_discount(Decimal("2000"), Decimal(percent), Decimal(maximum) if maximum else None) == Decimal(
        expected
    )


@pytest.mark.django_db
def test_the_gst_rate_defaults_to_the_environment_setting(settings):
    settings.GST_RATE_PERCENT = 5

    assert price([line("1000")]).tax == Decimal("50.00")


@pytest.mark.django_db
def test_the_gst_rate_staff_set_wins_over_the_environment(settings):
    settings.GST_RATE_PERCENT = 5
    system_settings.settings_update(actor=None, changes={"tax_rate": 12})

    assert price([line("1000")]).tax == Decimal("120.00")
