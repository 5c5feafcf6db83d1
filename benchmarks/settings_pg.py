"""Benchmarks on PostgreSQL: the production-like stack on the benchmark's own PostgreSQL and Redis.

Adds the benchmark's own payable (``benchmarks.apps``) and the bare Django view
(``benchmarks.urls``); request logging is off so that the figures measure the API,
not the terminal.
"""

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
ROOT_URLCONF = "benchmarks.urls"
LOG_LEVEL = "WARNING"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
