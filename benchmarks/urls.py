"""The project's URLs plus ``/api/v1/bench/bare``: a plain Django JSON view with the health payload."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone

from config.urls import urlpatterns as project_urlpatterns
from core import health


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "status": "healthy",
            "timestamp": timezone.now().isoformat().replace("+00:00", "Z"),
            "uptime": health.uptime_seconds(),
            "version": health.version(),
        }
    )


urlpatterns = [path("api/v1/bench/bare", bare), *project_urlpatterns]
