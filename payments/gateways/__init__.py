"""Choosing the gateway: Razorpay when its keys are configured, else the offline gateway.

The offline gateway's built-in secrets exist for the embedded default only:
production settings require the Razorpay secrets and refuse any other gateway,
and :func:`get_gateway` refuses the offline one under production settings too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from payments.gateways.base import Gateway


def offline_checkout_enabled() -> bool:
    """Whether ``/payments/offline/checkout`` (play Razorpay Checkout) exists: offline gateway, not production."""
    return settings.PAYMENT_GATEWAY == "offline" and not settings.IS_PRODUCTION


def get_gateway() -> Gateway:
    options = {
        "key_id": settings.RAZORPAY_KEY_ID or "rzp_offline_key",
        "key_secret": settings.RAZORPAY_KEY_SECRET or "offline-key-secret",
        "webhook_secret": settings.RAZORPAY_WEBHOOK_SECRET or "offline-webhook-secret",
    }
    if settings.PAYMENT_GATEWAY == "razorpay":
        from payments.gateways.razorpay_gateway import RazorpayGateway

        return RazorpayGateway(**options)
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("The offline payment gateway is not available in production.")
    from payments.gateways.offline import OfflineGateway

    return OfflineGateway(**options)
