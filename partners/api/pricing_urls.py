"""Routes of seed 002's dynamic pricing (issue #20); included by partners/urls.py."""

from django.urls import path

from partners.api import pricing

urlpatterns: list = [
    path("dynamic-pricing", pricing.DynamicPricingView.as_view(), name="dynamic-pricing"),
]
