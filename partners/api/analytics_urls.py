"""Routes of issue #19's analytics (seed 004); included by partners/urls.py."""

from django.urls import path

from partners.api import specialist_analytics

urlpatterns: list = [
    path(
        "analytics/specialist/dashboard",
        specialist_analytics.SpecialistDashboardView.as_view(),
        name="analytics-specialist-dashboard",
    ),
    path(
        "analytics/platform/metrics",
        specialist_analytics.PlatformMetricsView.as_view(),
        name="analytics-platform-metrics",
    ),
]
