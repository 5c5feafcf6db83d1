"""Health endpoints and the envelope handlers for errors Django raises outside DRF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from core import health
from core.envelope import STATUS_MESSAGES, json_error_response
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer


# No authentication, no throttling: for probes and other public, cheap endpoints. (A comment, not a docstring:
# drf-spectacular would show a docstring as the description of every endpoint built on it.)
class PublicAPIView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []


def _now() -> str:
    return timezone.now().isoformat().replace("+00:00", "Z")


class HealthView(PublicAPIView):
    """Liveness: the process is up and serving. Checks nothing else (see ``/health/ready``)."""

    @extend_schema(
        tags=["health"],
        summary="Liveness probe",
        responses=inline_serializer(
            "Health",
            {
                "status": serializers.ChoiceField(choices=["healthy"]),
                "timestamp": serializers.DateTimeField(),
                "uptime": serializers.IntegerField(help_text="Seconds since this process started."),
                "version": serializers.CharField(),
            },
        ),
    )
    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(
            {"status": "healthy", "timestamp": _now(), "uptime": health.uptime_seconds(), "version": health.version()}
        )


_CHECK = inline_serializer(
    "HealthCheck",
    {
        "status": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "latency_ms": serializers.FloatField(),
        "error": serializers.CharField(required=False),
    },
)


class ReadinessView(PublicAPIView):
    """Readiness: database, cache, channel layer and broker all reachable; 503 naming the failing part otherwise."""

    @extend_schema(
        tags=["health"],
        summary="Readiness probe",
        responses={
            200: inline_serializer(
                "Readiness",
                {
                    "status": serializers.ChoiceField(choices=["ready"]),
                    "timestamp": serializers.DateTimeField(),
                    "checks": inline_serializer(
                        "ReadinessChecks",
                        dict.fromkeys(health.READINESS_CHECKS, _CHECK),
                    ),
                    "scheduler_last_seen": serializers.DateTimeField(allow_null=True),
                },
            ),
            503: OpenApiResponse(ErrorResponseSerializer, description="SERVICE_UNAVAILABLE: names the failing parts"),
        },
    )
    def get(self, request: Request) -> ApiResponse:
        results = health.readiness()
        checks = {result.name: result.as_dict() for result in results}
        failing = [result.name for result in results if not result.ok]
        if failing:
            raise DomainError(
                f"Not ready: {', '.join(failing)} unavailable.",
                code=ErrorCode.SERVICE_UNAVAILABLE,
                reason="dependency_unavailable",
                context={"failing": failing, "checks": checks},
            )
        return ApiResponse(
            {
                "status": "ready",
                "timestamp": _now(),
                "checks": checks,
                "scheduler_last_seen": health.scheduler_last_seen(),
            }
        )


def _handler(status: int):
    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        return json_error_response(status, message=STATUS_MESSAGES[status])

    view.__name__ = f"handler{status}"
    return view


handler400 = _handler(400)
handler403 = _handler(403)
handler404 = _handler(404)


def handler500(request: HttpRequest) -> HttpResponse:
    return json_error_response(500, message=STATUS_MESSAGES[500])


@csrf_exempt
def not_found(request: HttpRequest, unmatched: str = "") -> HttpResponse:
    """The last URL pattern under ``/api/``: an unknown API path is ``404 NOT_FOUND``, whatever the method
    (exempt from the CSRF check, which would otherwise answer a POST without a cookie 403 first)."""
    return json_error_response(404, code=ErrorCode.NOT_FOUND, message=f"No API endpoint at {request.path}.")
