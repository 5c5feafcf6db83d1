"""Choosing the gateway: Razorpay when its keys are configured, else the offline gateway."""

from __future__ import annotations

from django.conf import settings

from payments.gateways.base import Gateway


def get_gateway() -> Gateway:
    options = {
        "key_id": settings.RAZORPAY_KEY_ID or "rzp_offline_key",
        "key_secret": settings.RAZORPAY_KEY_SECRET or "offline-key-secret",
        "webhook_secret": settings.RAZORPAY_WEBHOOK_SECRET or "offline-webhook-secret",
    }
    if settings.PAYMENT_GATEWAY == "razorpay":
        from payments.gateways.razorpay_gateway import RazorpayGateway

        return RazorpayGateway(**options)
    from payments.gateways.offline import OfflineGateway

    return OfflineGateway(**options)
