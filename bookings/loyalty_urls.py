"""Seed 004's loyalty routes (included by config/urls.py's api_v1)."""

from django.urls import path

from bookings.api.loyalty import LoyaltyHistoryView, LoyaltyPointsView, LoyaltyRedeemView

urlpatterns = [
    path("loyalty/points", LoyaltyPointsView.as_view(), name="loyalty-points"),
    path("loyalty/redeem", LoyaltyRedeemView.as_view(), name="loyalty-redeem"),
    path("loyalty/history", LoyaltyHistoryView.as_view(), name="loyalty-history"),
]
