"""No offline payments in production: the offline gateway's built-in secrets and its "mark my order paid" route
exist only in development.

Production refuses to start without the three Razorpay secrets or with another gateway; the offline checkout
route is routed only while the offline gateway is in use outside production, and its service refuses otherwise.
"""

import pytest

from tests.accounts.helpers import assert_error
from tests.core.test_settings import PRODUCTION_ENV, manage
from tests.payments.conftest import create_order

pytestmark = pytest.mark.django_db

# Unknown /api/ paths resolve to the envelope 404 view (core.views.not_found).
RESOLVE = (
    "from django.urls import resolve\n"
    "match = resolve('/api/v1/payments/offline/checkout')\n"
    "print('NOT ROUTED' if match.func.__name__ == 'not_found' else 'ROUTED')\n"
)


@pytest.mark.parametrize("missing", ["RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"])
def test_production_refuses_to_start_without_a_razorpay_secret(missing):
    result = manage("check", env={**PRODUCTION_ENV, missing: ""})

    assert result.returncode != 0
    assert f"{missing} is required in production" in result.stderr


def test_production_refuses_the_offline_gateway():
    result = manage("check", env={**PRODUCTION_ENV, "PAYMENT_GATEWAY": "offline"})

    assert result.returncode != 0
    assert "PAYMENT_GATEWAY must be razorpay in production" in result.stderr


def test_production_does_not_route_the_offline_checkout():
    result = manage("shell", "-c", RESOLVE, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "NOT ROUTED"


def test_development_with_razorpay_keys_does_not_route_the_offline_checkout():
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "RAZORPAY_KEY_ID": "rzp_test_example",
        "RAZORPAY_KEY_SECRET": "secret",
        "RAZORPAY_WEBHOOK_SECRET": "whsecret",
    }
    result = manage("shell", "-c", RESOLVE, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "NOT ROUTED"


def test_development_on_the_offline_gateway_routes_the_offline_checkout():
    result = manage("shell", "-c", RESOLVE, env={"DJANGO_SETTINGS_MODULE": "config.settings.test"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ROUTED"


@pytest.mark.parametrize("change", [{"PAYMENT_GATEWAY": "razorpay"}, {"IS_PRODUCTION": True}])
def test_the_offline_checkout_refuses_once_the_offline_gateway_is_not_in_use(
    change, settings, payer, payer_client, invoices
):
    order_id = create_order(payer_client, invoices.add(payer)).json()["data"]["order_id"]
    for name, value in change.items():
        setattr(settings, name, value)

    response = payer_client.post("/api/v1/payments/offline/checkout", {"order_id": order_id}, format="json")

    assert_error(response, 404, "NOT_FOUND")
