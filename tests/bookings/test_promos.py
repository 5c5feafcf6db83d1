"""Promo codes: every reason a code does not apply, the discount rules, and redemption under concurrency."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.models import PromoCode, PromoCodeUsage
from bookings.services.promos import promo_redeem
from core.errors import DomainError
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.bookings.factories import make_booking, make_promo
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def validate(client, code="SAVE10", amount="2000.00"):
    return client.post("/api/v1/promo-codes/validate", {"code": code, "amount": amount}, format="json")


def test_a_valid_code_answers_its_discount(customer_client):
    make_promo(max_discount=Decimal("160"))

    response = validate(customer_client, code="save10")

    assert response.status_code == 200
    assert response.json()["data"] == {
        "code": "SAVE10",
        "valid": True,
        "discount": 160.0,
        "message": "Promo code applied successfully",
    }


def test_fixed_discount_never_exceeds_the_amount(customer_client):
    make_promo(code="FLAT500", discount_type="fixed", discount_value=Decimal("500"))

    assert validate(customer_client, "FLAT500", "300.00").json()["data"]["discount"] == 300.0


@pytest.mark.parametrize(
    ("promo", "reason"),
    [
        (None, "PROMO_NOT_FOUND"),
        ({"is_active": False}, "PROMO_INACTIVE"),
        ({"valid_until": timezone.now() - timedelta(days=1)}, "PROMO_EXPIRED"),
        ({"valid_from": timezone.now() + timedelta(days=1)}, "PROMO_NOT_YET_VALID"),
        ({"min_order_amount": Decimal("5000")}, "PROMO_MIN_ORDER_NOT_MET"),
        ({"total_usage_limit": 3, "used_count": 3}, "PROMO_EXHAUSTED"),
    ],
)
def test_each_reason_a_code_does_not_apply(customer_client, promo, reason):
    if promo is not None:
        make_promo(**promo)

    response = validate(customer_client)

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["valid"] is False
    assert data["reason"] == reason
    assert data["discount"] == 0.0


def test_already_used_by_you(customer, customer_client):
    promo = make_promo(usage_limit=1)
    promo_redeem(code="SAVE10", user=customer, booking=make_booking(customer), subtotal=Decimal("2000"))

    data = validate(customer_client).json()["data"]

    assert data["reason"] == "PROMO_ALREADY_USED"
    assert validate(client_for(make_user())).json()["data"]["valid"] is True
    assert PromoCode.objects.get(pk=promo.pk).used_count == 1


def test_validate_needs_sign_in_and_an_amount(api_client, customer_client):
    anonymous = api_client.post("/api/v1/promo-codes/validate", {"code": "X", "amount": "1"}, format="json")
    no_amount = customer_client.post("/api/v1/promo-codes/validate", {"code": "X"}, format="json")

    assert_error(anonymous, 401, "UNAUTHORIZED")
    assert_error(no_amount, 400, "INVALID_REQUEST", "amount")  # a missing required field (core.exceptions)


def test_redeeming_an_invalid_code_is_refused(customer):
    make_promo(is_active=False)

    with pytest.raises(DomainError) as excinfo:
        promo_redeem(code="SAVE10", user=customer, booking=make_booking(customer), subtotal=Decimal("2000"))

    assert excinfo.value.code == "PROMO_INACTIVE"
    assert not PromoCodeUsage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_global_limit_of_n_used_by_n_plus_10_at_once_discounts_exactly_n():
    limit = 5
    make_promo(total_usage_limit=limit)
    customers = [make_user() for _ in range(limit + 10)]
    bookings = [make_booking(customer) for customer in customers]

    def redeem(i):
        try:
            promo_redeem(code="SAVE10", user=customers[i], booking=bookings[i], subtotal=Decimal("2000"))
            return "used"
        except DomainError as exc:
            return str(exc.code)

    results = run_together(limit + 10, redeem)

    assert results.count("used") == limit
    assert results.count("PROMO_EXHAUSTED") == 10
    assert PromoCodeUsage.objects.count() == limit
    assert PromoCode.objects.get().used_count == limit


@pytest.mark.django_db(transaction=True)
def test_a_per_customer_limit_of_one_hit_twice_at_once_is_one_use():
    make_promo(usage_limit=1)
    customer = make_user()
    bookings = [make_booking(customer), make_booking(customer)]

    def redeem(i):
        try:
            promo_redeem(code="SAVE10", user=customer, booking=bookings[i], subtotal=Decimal("2000"))
            return "used"
        except DomainError as exc:
            return str(exc.code)

    assert sorted(run_together(2, redeem)) == ["PROMO_ALREADY_USED", "used"]
    assert PromoCodeUsage.objects.count() == 1
