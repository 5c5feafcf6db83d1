"""Settings shared by every environment; read from the environment with django-environ.

Every variable is listed in ``.env.example`` and the README. With nothing set
the platform runs its embedded default (DESIGN.md section 4): SQLite under
``var/`` and the embedded Redis on ``var/redis.sock``. ``production.py``
turns the defaults of secrets and services into start-up errors.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from django_guid.integrations import CeleryIntegration

from config.env import StrictEnv
from config.settings.database import databases
from config.settings.log_config import logging_config
from config.settings.openapi import OPENAPI_SETTINGS
from config.settings.schedule import BEAT_SCHEDULE, BEAT_SCHEDULER
from core.embedded import celery_broker_url, unix_socket_url, url_db, url_with_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = StrictEnv()  # env.bool refuses a value that is neither true nor false (config/env.py)
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
# Fernet key for KYC and bank fields (core.crypto); empty: derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Browser origins allowed to open WebSockets besides ALLOWED_HOSTS, e.g. "https://app.example.com".
WEBSOCKET_ALLOWED_ORIGINS = env.list("WEBSOCKET_ALLOWED_ORIGINS", default=[])

# --- CORS (django-cors-headers): browser apps on other origins calling the API -------------
# Exact origins ("https://app.example.com"); none by default, so production allows no other
# origin until told (development allows localhost, see development.py). Only /api/ answers CORS;
# the admin and its static files never do. The API authenticates with the Authorization header,
# not cookies, so credentials are not allowed.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = ("accept", "authorization", "content-type", "x-idempotency-key", "x-request-id")
CORS_EXPOSE_HEADERS = ("X-Request-ID", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset", "Retry-After")
CORS_ALLOW_CREDENTIALS = False
CORS_PREFLIGHT_MAX_AGE = 600

INSTALLED_APPS = [
    "adminpanel.apps.PlatformAdminConfig",  # django.contrib.admin with the platform's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "rest_framework_simplejwt.token_blacklist",
    "django_guid",
    "corsheaders",
    "core",
    "accounts",
    "catalog",
    "payments",
    "bookings",
    "partners",
    "societies",
    "orders",
    "notifications",
    "adminpanel",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "core.middleware.RequestLogMiddleware",
    # Before anything that may answer (preflights are answered here); error envelopes get the headers too.
    "corsheaders.middleware.CorsMiddleware",
    "core.middleware.ErrorEnvelopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ApiRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
# Threads per server process for HTTP requests, and how many run at once (core/admission.py).
WEB_THREADS, WEB_ACTIVE_REQUESTS = env.int("WEB_THREADS", default=16), env.int("WEB_ACTIVE_REQUESTS", default=4)
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database (config/settings/database.py: SQLite in WAL mode; PostgreSQL's connections and prepared statements)
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = databases(env, DATABASE_URL)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Redis: cache, exact rate limits, channel layer, Celery broker ---------------
# One server; the cache lives in its own logical database so that clearing the
# cache never drops queued tasks or channel groups.
EMBEDDED_REDIS_DIR = VAR_DIR
REDIS_URL = env.str("REDIS_URL", default="") or unix_socket_url(EMBEDDED_REDIS_DIR / "redis.sock")
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default="") or url_with_db(REDIS_URL, url_db(REDIS_URL) + 1)

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_CACHE_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="platform"),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 2,
            "SOCKET_TIMEOUT": 2,
        },
    }
}

# channels_redis's pub/sub layer: a group message is one PUBLISH, received once per server process and
# handed to its consumers there; the list-based core layer pops every consumer's copy from Redis one by one
# (benchmarks/README.md, bench_realtime: p50 and p99 lower, and no backlog when the cores are busy).
# Messages are not stored: a client that was away catches up with ?since= from the inbox.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [{"address": REDIS_URL}], "prefix": "asgi"},
    }
}

# --- Celery -----------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or celery_broker_url(REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Kolkata"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule lives in code (config/settings/schedule.py); each task idempotent, one beat sends (core.beat).
CELERY_BEAT_SCHEDULE, CELERY_BEAT_SCHEDULER = BEAT_SCHEDULE, BEAT_SCHEDULER

# Exact business rate limits (core.ratelimit) live on REDIS_URL under this prefix.
RATELIMIT_KEY_PREFIX = env.str("RATELIMIT_KEY_PREFIX", default="rl")

ADMIN_API_RATE_PER_MINUTE = env.int("ADMIN_API_RATE_PER_MINUTE", default=500)  # seed 000, per admin
IDEMPOTENCY_TTL_HOURS = env.int("IDEMPOTENCY_TTL_HOURS", default=24)

# --- API ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["core.renderers.EnvelopeJSONRenderer"],
    # camelCase request keys (seeds 003 and 004) are accepted and read as snake_case.
    "DEFAULT_PARSER_CLASSES": ["djangorestframework_camel_case.parser.CamelCaseJSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.PlatformJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageLimitPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.EnvelopeAutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttles.AnonRateThrottle",
        "core.throttles.UserRateThrottle",
        "core.throttles.AdminRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="100/minute"),
        "user": env.str("API_THROTTLE_USER", default="1000/minute"),
        "partner": env.str("API_THROTTLE_PARTNER", default="200/minute"),  # seed 000: partner API
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}

# camelCase request keys become snake_case; "address_line1" stays as it is.
JSON_CAMEL_CASE = {"JSON_UNDERSCOREIZE": {"no_underscore_before_number": True}}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "CHECK_REVOKE_TOKEN": True,
    "UPDATE_LAST_LOGIN": False,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}

SPECTACULAR_SETTINGS = OPENAPI_SETTINGS  # config/settings/openapi.py

# Request bodies: JSON at most 1 MiB, multipart uploads at most 10 MiB.
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=1024 * 1024)
REQUEST_MAX_UPLOAD_BYTES = env.int("REQUEST_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "UUID_FORMAT": "string",
    "RETURN_HEADER": True,
    # CORS_EXPOSE_HEADERS exposes it with the rate-limit headers; django-guid would overwrite that list.
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}

# --- Accounts -------------------------------------------------------------------------
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="IN")
OTP_LENGTH = 6
OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=300)
OTP_MAX_ATTEMPTS = 3
OTP_RESEND_COOLDOWN_SECONDS = env.int("OTP_RESEND_COOLDOWN_SECONDS", default=60)
OTP_MAX_PER_HOUR = env.int("OTP_MAX_PER_HOUR", default=3)
LOGIN_MAX_FAILURES = 5  # per account and per IP (seed 003)
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
GOOGLE_CLIENT_IDS = env.list("GOOGLE_CLIENT_IDS", default=[])
FACEBOOK_APP_ID = env.str("FACEBOOK_APP_ID", default="")
FACEBOOK_APP_SECRET = env.str("FACEBOOK_APP_SECRET", default="")
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_AUTH_MAX_AGE_SECONDS = 24 * 60 * 60
# The bot webhook (seed 004): Telegram sends this in X-Telegram-Bot-Api-Secret-Token (setWebhook secret_token).
TELEGRAM_WEBHOOK_SECRET = env.str("TELEGRAM_WEBHOOK_SECRET", default="")
TELEGRAM_MINI_APP_URL = env.str("TELEGRAM_MINI_APP_URL", default="https://t.me/your_bot/app")
# What sends on Telegram (notifications and the bot's replies): empty = the Bot API (python-telegram-bot) with a
# token, else the console for the bot's replies and no notification channel.
TELEGRAM_BACKEND = env.str("TELEGRAM_BACKEND", default="")

# --- Catalog and pricing ------------------------------------------------------------------
GST_RATE_PERCENT = env.float("GST_RATE_PERCENT", default=18.0)
CONTACT_MAX_PER_HOUR = env.int("CONTACT_MAX_PER_HOUR", default=5)

# --- Bookings (seed 000 system settings; the back-office issue moves them into the database) ---
BUSINESS_HOURS_START = env.str("BUSINESS_HOURS_START", default="08:00")
BUSINESS_HOURS_END = env.str("BUSINESS_HOURS_END", default="20:00")
SLOT_MINUTES = 30
BOOKING_LEAD_MINUTES = env.int("BOOKING_LEAD_MINUTES", default=60)
MAX_BOOKING_ADVANCE_DAYS = env.int("MAX_BOOKING_ADVANCE_DAYS", default=30)
CHECKOUT_PREVIEW_SECONDS = 120
BOOKINGS_MAX_PER_USER_PER_HOUR = env.int("BOOKINGS_MAX_PER_USER_PER_HOUR", default=10)  # seed 000
MAX_SERVICES_PER_BOOKING = 20
FREE_CANCELLATION_MINUTES = env.int("FREE_CANCELLATION_MINUTES", default=5)
CANCELLATION_FEE_PERCENTAGE = env.float("CANCELLATION_FEE_PERCENTAGE", default=10.0)
# An online booking whose payment has not come after this long is cancelled by the system (promo use released).
UNPAID_BOOKING_EXPIRY_MINUTES = env.int("UNPAID_BOOKING_EXPIRY_MINUTES", default=30)
# Settings kept in their own modules, read here after .env so that its values apply: appointments and meeting
# links (issue #18, config/settings/appointments.py); photos, sign-offs and reviews (issues #19, #20, proof.py).
from config.settings.appointments import *  # noqa: E402 (APPOINTMENT_*, MEETING_LINK_PROVIDER, GOOGLE_CALENDAR_*)
from config.settings.proof import *  # noqa: E402 (PHOTO_MAX_*, SIGNATURE_HOURS, REVIEW_EDIT_DAYS)

# --- Partners and dispatch (seed 000 "Partner Assignment System") ---------------------------
PARTNER_ASSIGNMENT_TIMEOUT_MINUTES = env.int("PARTNER_ASSIGNMENT_TIMEOUT_MINUTES", default=15)
PARTNER_ASSIGNMENT_MAX_ATTEMPTS = env.int("PARTNER_ASSIGNMENT_MAX_ATTEMPTS", default=3)
PARTNER_MIN_RATING = env.float("PARTNER_MIN_RATING", default=4.0)
PARTNER_NEUTRAL_RATING = env.float("PARTNER_NEUTRAL_RATING", default=4.0)  # the score of an unrated partner
PARTNER_TRAVEL_BUFFER_MINUTES = env.int("PARTNER_TRAVEL_BUFFER_MINUTES", default=30)
PARTNER_MAX_SERVICE_RADIUS_KM = env.int("PARTNER_MAX_SERVICE_RADIUS_KM", default=50)
PARTNER_COMMISSION_PERCENTAGE = env.float("PARTNER_COMMISSION_PERCENTAGE", default=70.0)  # the partner's share
# The score of a candidate: each part is 0..1, times its weight (seed 000: distance, rating, load, cancellations).
DISPATCH_WEIGHTS = {
    "distance": env.float("DISPATCH_WEIGHT_DISTANCE", default=0.4),
    "rating": env.float("DISPATCH_WEIGHT_RATING", default=0.3),
    "load": env.float("DISPATCH_WEIGHT_LOAD", default=0.2),
    # Reliability: the partner's acceptance rate (DISPATCH_WEIGHT_CANCELLATION is its older name, still read).
    "acceptance": env.float(
        "DISPATCH_WEIGHT_ACCEPTANCE", default=env.float("DISPATCH_WEIGHT_CANCELLATION", default=0.1)
    ),
}
# Offer only slots at least one eligible partner can take (off: every slot in business hours).
SLOTS_REQUIRE_PARTNER = env.bool("SLOTS_REQUIRE_PARTNER", default=True)
# Internal APIs (/api/v1/internal/...) authenticate with this token, not a user JWT; empty: internal APIs refused.
INTERNAL_API_TOKEN = env.str("INTERNAL_API_TOKEN", default="")

# --- Payments ---------------------------------------------------------------------------
RAZORPAY_KEY_ID = env.str("RAZORPAY_KEY_ID", default="")
RAZORPAY_KEY_SECRET = env.str("RAZORPAY_KEY_SECRET", default="")
RAZORPAY_WEBHOOK_SECRET = env.str("RAZORPAY_WEBHOOK_SECRET", default="")
# "razorpay" when keys are set, else the offline gateway of the embedded default.
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="razorpay" if RAZORPAY_KEY_ID else "offline")
PAYMENT_MERCHANT_NAME = env.str("PAYMENT_MERCHANT_NAME", default="Services Booking Platform")
PAYMENT_MAX_PER_USER_PER_HOUR = env.int("PAYMENT_MAX_PER_USER_PER_HOUR", default=5)  # seed 000
PAYMENT_LINK_VALID_HOURS = env.int("PAYMENT_LINK_VALID_HOURS", default=24)
WEBHOOK_MAX_RETRIES = 3

# --- Messaging backends (console in the embedded default) --------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# An ESP through django-anymail: EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend and its keys as
# ANYMAIL_<KEY> variables (ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_SENDGRID_API_KEY, ANYMAIL_MAILGUN_API_KEY...).
ANYMAIL = {key.removeprefix("ANYMAIL_"): value for key, value in os.environ.items() if key.startswith("ANYMAIL_")}
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.ConsoleSmsBackend")
# Who sends core.messaging's transactional messages (OTPs, staff alerts): logged in the delivery log.
MESSAGE_SENDER = "notifications.services.send_logged"
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
WHATSAPP_BACKEND = env.str("WHATSAPP_BACKEND", default="notifications.backends.ConsoleWhatsAppBackend")
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_ACCESS_TOKEN = env.str("WHATSAPP_ACCESS_TOKEN", default="")
PUSH_BACKEND = env.str("PUSH_BACKEND", default="notifications.backends.ConsolePushBackend")
FCM_PROJECT_ID = env.str("FCM_PROJECT_ID", default="")
FCM_CREDENTIALS_FILE = env.str("FCM_CREDENTIALS_FILE", default="")
# Outbound webhook endpoints must be https:// unless this is set (a receiver on a private network).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=False)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=4)  # first try and three retries
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=30)  # doubles each retry
# A message still unsent this long after it was written is dropped as "expired", never sent late (a worker down
# for a day, or seed_demo's past history): "your partner is on the way" a day later helps nobody.
NOTIFICATION_MAX_AGE_HOURS = env.int("NOTIFICATION_MAX_AGE_HOURS", default=24)
REMINDER_LEAD_MINUTES = env.int("REMINDER_LEAD_MINUTES", default=120)  # appointment reminder this long before
WEBSOCKET_HEARTBEAT_SECONDS = env.int("WEBSOCKET_HEARTBEAT_SECONDS", default=25)

# --- i18n / time ------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads (avatars, photos) go to an S3-compatible bucket when one is configured (django-storages).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None  # MinIO, R2, Spaces...
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False

# --- Logging: one JSON line per event; request lines carry the request id --------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = logging_config(LOG_LEVEL)  # config/settings/log_config.py

IS_PRODUCTION = False
PLATFORM_VERSION = env.str("PLATFORM_VERSION", default="1.0.0")
