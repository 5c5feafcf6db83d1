"""The platform's URLs plus views that fail on purpose (``override_settings(ROOT_URLCONF=...)``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as platform_urlpatterns


def boom(request: HttpRequest, item_id: int) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("test-only/boom/<int:item_id>", boom, name="boom"), *platform_urlpatterns]
