"""Webhook benchmark: the production-like stack on the benchmark's own PostgreSQL and Redis.

Webhook processing runs in a real Celery worker (started by the benchmark),
as in production; the benchmark's payable counts its callbacks in Redis.
"""

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
LOG_LEVEL = "WARNING"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
