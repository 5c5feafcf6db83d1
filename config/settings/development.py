"""The embedded default: what `make run` uses when no environment is set.

SQLite and the embedded Redis under ``var/``, console SMS/email, DEBUG on
(static files served by Django), a fixed insecure secret key.
"""

from .base import *
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-key-change-me-0123456789abcdef")

VAR_DIR.mkdir(parents=True, exist_ok=True)

# A front end served from this machine (any port: Vite, Next, CRA...) may call the API, unless
# CORS_ALLOWED_ORIGINS names the origins to allow instead.
if not CORS_ALLOWED_ORIGINS:
    CORS_ALLOWED_ORIGIN_REGEXES = [r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$"]
