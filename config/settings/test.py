"""Test settings: the suite's own PostgreSQL and Redis.

``core.testservices.ensure_test_services`` starts both (and stops them at
exit) unless ``DATABASE_URL`` and ``REDIS_URL`` are already set; it runs
before ``base`` reads the environment.
"""

import os
import tempfile

from core.testservices import ensure_test_services

ensure_test_services()

from .base import *  # noqa: E402
from .base import env  # noqa: E402

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
WHATSAPP_BACKEND = "notifications.backends.LocmemWhatsAppBackend"
PUSH_BACKEND = "notifications.backends.LocmemPushBackend"
CACHES["default"]["KEY_PREFIX"] = "test"
_RUN_DIR = os.environ.get("TEST_RUN_DIR") or tempfile.gettempdir()
CELERY_BEAT_SCHEDULE_FILENAME = os.path.join(_RUN_DIR, "celerybeat-schedule")
MEDIA_ROOT = os.path.join(_RUN_DIR, "media")
LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="WARNING")
