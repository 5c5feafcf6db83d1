"""URL configuration.

API routes live under ``/api/v1/`` and are declared without a trailing slash;
``core.middleware.ApiRequestMiddleware`` strips one, so both spellings work.
An unknown ``/api/`` path reaches ``core.views.not_found`` (the envelope 404,
in DEBUG too); other unknown paths get ``handler404``.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core.metrics_view import metrics_view
from core.views import not_found

api_v1 = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("catalog.urls")),
    path("", include("payments.urls")),
    path("", include("bookings.urls")),
    path("", include("bookings.telegram_urls")),
    path("", include("bookings.loyalty_urls")),
    path("", include("partners.urls")),
    path("", include("societies.urls")),
    path("", include("orders.urls")),
    path("", include("notifications.urls")),
    path("", include("adminpanel.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("metrics", metrics_view, name="metrics"),  # Prometheus (core.metrics): a token or an internal address
]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(re_path(r"^api/(?P<unmatched>.*)$", not_found))

handler400 = "core.views.handler400"
handler403 = "core.views.handler403"
handler404 = "core.views.handler404"
handler500 = "core.views.handler500"
