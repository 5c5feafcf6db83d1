"""Benchmark settings: the development settings with DEBUG off and a bare Django view added.

DEBUG is off so that Django does not record every SQL query and so the
middleware stack is the one production runs.
"""

from config.settings.development import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
