"""Routes of the staff reports of issue #20 (seed 002's paths); included by adminpanel/urls.py."""

from django.urls import path

from adminpanel.api import reports

urlpatterns: list = [
    path("pincode-ai-analytics", reports.PincodeAnalyticsView.as_view(), name="pincode-ai-analytics"),
    path(
        "advanced-dispute-resolution/<uuid:dispute_id>",
        reports.DisputeAdviceView.as_view(),
        name="advanced-dispute-resolution",
    ),
    path("advanced-vendor-bonus", reports.VendorBonusView.as_view(), name="advanced-vendor-bonus"),
    path("analytics/disputes", reports.DisputeAnalyticsView.as_view(), name="analytics-disputes"),
    path(
        "analytics/vendor-onboarding",
        reports.VendorOnboardingAnalyticsView.as_view(),
        name="analytics-vendor-onboarding",
    ),
]
