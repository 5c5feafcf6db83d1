"""Logging (``LOGGING`` in base.py): one JSON line per event; request lines carry the request id.

Every handler redacts personal data (emails, phone numbers, JWTs, OTPs, signatures: ``core.logredact``).
"""

from __future__ import annotations

from typing import Any


def logging_config(level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"},
            "redact": {"()": "core.logredact.RedactPersonalData"},
        },
        "formatters": {
            "json": {
                "()": "core.logredact.RedactingJsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id", "redact"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
            "django_guid": {"level": "WARNING"},
            "uvicorn.access": {"level": "WARNING"},
        },
    }
