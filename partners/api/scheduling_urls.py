"""Routes of seed 002's travel time, smart scheduling and vendor optimisation (issue #20); included by
partners/urls.py."""

from django.urls import path

from partners.api import scheduling

urlpatterns: list = [
    path("travel-time", scheduling.TravelTimeView.as_view(), name="travel-time"),
    path("smart-scheduling", scheduling.SmartSchedulingView.as_view(), name="smart-scheduling"),
    path("vendor-optimization", scheduling.VendorOptimizationView.as_view(), name="vendor-optimization"),
]
