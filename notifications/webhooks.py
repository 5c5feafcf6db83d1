"""Outbound webhooks: seed 000's internal events, POSTed to the endpoints staff register.

The app that emits an event registers its name with :func:`register_events`
in its ``AppConfig.ready()`` (from its own ``<app>/notifications.py``), so
this module names none; an endpoint may subscribe only to registered names,
and :func:`emit` refuses any other. Domain code calls :func:`emit` inside the
changing transaction. Each endpoint that wants the event gets a ``Delivery``
on the ``webhook`` channel, sent after commit by the same Celery task as
every other message: retried with backoff on timeouts, 408, 429 and 5xx,
every attempt logged; nothing is sent for a rolled-back change.

The request: ``POST <url>`` with the JSON body ``{"id", "event",
"created_at", "data"}`` and the headers ``X-Webhook-Event``, ``X-Webhook-Id``
(the delivery's id: the same on every retry, so a receiver can drop a
duplicate), ``X-Webhook-Timestamp`` and ``X-Webhook-Signature: sha256=<hex>``,
the HMAC-SHA256 of ``"<timestamp>.<body>"`` under the endpoint's secret (how
Stripe and Razorpay sign theirs). A receiver answering 410 Gone switches its
endpoint off.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core import crypto, snapshot
from notifications.models import Channel, Delivery, WebhookEndpoint
from notifications.services import deliveries_queue

ENDPOINTS_CACHE_KEY = snapshot.shared("notifications:webhook-endpoints")

EVENTS: list[str] = []
"""Every registered event name, in registration order (the admin listing shows them so)."""

_NAME = re.compile(r"[a-z][a-z_]*\.[a-z][a-z_]*")


def register_events(*names: str) -> None:
    """Declare outbound event names (``resource.action``); the app that emits them calls this in ``ready()``."""
    for name in names:
        if not _NAME.fullmatch(name):
            raise ValueError(f"Webhook event names are 'resource.action' in lower case: {name!r}")
        if name in EVENTS:
            raise ValueError(f"Webhook event {name!r} is already registered.")
        EVENTS.append(name)


def secret_set_new(endpoint: WebhookEndpoint) -> str:
    """Give ``endpoint`` (unsaved changes) a new signing secret, encrypted; returns it in clear, to show once."""
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    endpoint.secret_encrypted = crypto.encrypt(secret)
    return secret


def _endpoints() -> list[dict[str, Any]]:
    """The active endpoints (cached; dropped whenever one is saved or deleted)."""
    rows = snapshot.read(ENDPOINTS_CACHE_KEY)  # once per request, with the other shared values
    if rows is None:
        rows = list(WebhookEndpoint.objects.filter(is_active=True).values("id", "url", "events"))
        snapshot.keep(ENDPOINTS_CACHE_KEY, rows, 300)
    return rows


def endpoints_changed(**kwargs) -> None:
    snapshot.forget(ENDPOINTS_CACHE_KEY)
    transaction.on_commit(lambda: snapshot.forget(ENDPOINTS_CACHE_KEY))


def targets(event: str) -> list[dict[str, Any]]:
    """The active endpoints that want ``event`` (the read :func:`emit` makes first)."""
    if event not in EVENTS:
        raise ValueError(f"Unknown webhook event {event!r}")
    return [row for row in _endpoints() if not row["events"] or event in row["events"]]


def emit(event: str, data: dict[str, Any], *, to: list[dict[str, Any]] | None = None) -> list[Delivery]:
    """Queue ``event`` for every endpoint that wants it; sent once the current transaction commits. ``to``:
    :func:`targets`, read earlier by a caller that keeps a contended lock from here to its commit (checkout's
    day number), so that only writes remain under it."""
    if event not in EVENTS:
        raise ValueError(f"Unknown webhook event {event!r}")
    wanting = targets(event) if to is None else to
    if not wanting:
        return []
    body = json.dumps(
        {"id": str(uuid.uuid4()), "event": event, "created_at": timezone.now().isoformat(), "data": data},
        cls=DjangoJSONEncoder,
    )
    return deliveries_queue(
        [
            Delivery(
                endpoint_id=row["id"],
                event_type=event,
                channel=Channel.WEBHOOK,
                destination=row["url"],
                subject=event,
                body=body,
            )
            for row in wanting
        ]
    )


# --- endpoints, for the admin API and the Django admin --------------------------------------------


def check_events(events: list[str]) -> list[str]:
    from core.errors import DomainError, ErrorCode

    if not isinstance(events, list) or not all(isinstance(name, str) for name in events):
        raise DomainError(
            "events must be a list of event names.", code=ErrorCode.VALIDATION_ERROR, field="events", reason="invalid"
        )
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise DomainError(
            f"Unknown events: {', '.join(unknown)}. Known: {', '.join(EVENTS)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="events",
            reason="unknown_event",
        )
    return sorted(set(events))


def endpoint_create(*, url: str, events: list[str], description: str = "", actor=None) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown once; stored encrypted)."""
    from core import audit

    endpoint = WebhookEndpoint(url=url, events=check_events(events), description=description, created_by=actor)
    secret = secret_set_new(endpoint)
    with transaction.atomic():
        endpoint.save()
        audit.record_created(endpoint, action="create_webhook_endpoint", actor=actor)
    return endpoint, secret


def endpoint_update(*, endpoint: WebhookEndpoint, changes: dict[str, Any], actor=None) -> WebhookEndpoint:
    from core import audit

    if "events" in changes:
        changes["events"] = check_events(changes["events"])
    with transaction.atomic(), audit.track(endpoint, action="update_webhook_endpoint", actor=actor):
        for name, value in changes.items():
            setattr(endpoint, name, value)
        endpoint.save()
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor=None) -> str:
    from core import audit

    secret = secret_set_new(endpoint)
    with transaction.atomic():
        endpoint.save(update_fields=["secret_encrypted", "updated_at"])
        audit.record(
            action="rotate_webhook_secret",
            resource_type="webhookendpoint",
            resource_id=endpoint.pk,
            actor=actor,
            changes={},
        )
    return secret


def endpoint_delete(*, endpoint: WebhookEndpoint, actor=None) -> None:
    from core import audit

    with transaction.atomic():
        audit.record(
            action="delete_webhook_endpoint",
            resource_type="webhookendpoint",
            resource_id=endpoint.pk,
            actor=actor,
            changes={"url": endpoint.url},
        )
        endpoint.delete()
