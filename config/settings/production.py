"""Production: every secret and service from the environment, and safe defaults.

A missing secret or service URL is a start-up error (no silent fallback to
the embedded default). ``python manage.py check --deploy`` is clean with these
settings.

Payments go through Razorpay only: the offline gateway signs with built-in
secrets and lets a signed-in user mark their own order paid
(``/payments/offline/checkout``), so production refuses to start without the
three Razorpay secrets or with ``PAYMENT_GATEWAY`` set to anything else, and
the offline route is not even routed (``payments.gateways.offline_checkout_enabled``).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env


def mandatory(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required in production.")
    return value


DEBUG = False
IS_PRODUCTION = True
SECRET_KEY = mandatory("DJANGO_SECRET_KEY")
SIMPLE_JWT["SIGNING_KEY"] = env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY
mandatory("DATABASE_URL")
mandatory("REDIS_URL")
RAZORPAY_KEY_ID = mandatory("RAZORPAY_KEY_ID")
RAZORPAY_KEY_SECRET = mandatory("RAZORPAY_KEY_SECRET")
RAZORPAY_WEBHOOK_SECRET = mandatory("RAZORPAY_WEBHOOK_SECRET")
if env.str("PAYMENT_GATEWAY", default="razorpay") != "razorpay":
    raise ImproperlyConfigured("PAYMENT_GATEWAY must be razorpay in production (offline is for development).")
PAYMENT_GATEWAY = "razorpay"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health", r"^metrics$"]  # health checks and Prometheus scrape over plain HTTP inside
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
