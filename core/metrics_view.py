"""``GET /metrics``: the Prometheus text (``core.metrics``), for a token or an internal address only.

Allowed when the request carries ``Authorization: Bearer <METRICS_TOKEN>`` (compared in constant time; an
empty ``METRICS_TOKEN`` turns the token off), or when its ``REMOTE_ADDR`` is in ``METRICS_ALLOWED_NETWORKS``.
``X-Forwarded-For`` is never read here: behind a proxy (or uvicorn's ``--proxy-headers``, which rewrites the
client address from it) leave the networks empty and use the token. Anything else is a plain 403.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from core import metrics


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net.strip(), strict=False) for net in settings.METRICS_ALLOWED_NETWORKS if net.strip()]


def _token_ok(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _address_ok(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in net for net in _networks() if net.version == address.version)


def allowed(request: HttpRequest) -> bool:
    return _token_ok(request) or _address_ok(request)


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
