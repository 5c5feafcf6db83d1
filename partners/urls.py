from django.urls import path

from partners import views

urlpatterns = [
    # seed 000 partner app
    path("partner/profile", views.PartnerProfileView.as_view(), name="partner-profile"),
    path("partner/dashboard", views.PartnerDashboardView.as_view(), name="partner-dashboard"),
    path("partner/bookings", views.PartnerBookingsView.as_view(), name="partner-bookings"),
    path("partner/bookings/<uuid:booking_id>/accept", views.PartnerAcceptView.as_view(), name="partner-accept"),
    path("partner/bookings/<uuid:booking_id>/reject", views.PartnerRejectView.as_view(), name="partner-reject"),
    path("partner/bookings/<uuid:booking_id>/status", views.PartnerJobStatusView.as_view(), name="partner-status"),
    path("partner/bookings/<uuid:booking_id>/complete", views.PartnerCompleteView.as_view(), name="partner-complete"),
    path("partner/availability", views.PartnerAvailabilityView.as_view(), name="partner-availability"),
    path("partner/working-hours", views.PartnerWorkingHoursView.as_view(), name="partner-working-hours"),
    path("partner/earnings", views.PartnerEarningsView.as_view(), name="partner-earnings"),
    path("partner/earnings/summary", views.PartnerEarningsSummaryView.as_view(), name="partner-earnings-summary"),
    path("partner/payouts", views.PartnerPayoutsView.as_view(), name="partner-payouts"),
    path("partner/performance", views.PartnerPerformanceView.as_view(), name="partner-performance"),
    # seed 002 vendor endpoints
    path("vendor-availability", views.VendorAvailabilityView.as_view(), name="vendor-availability"),
    path("vendor-search", views.VendorSearchView.as_view(), name="vendor-search"),
    path("vendor-applications", views.ApplicationsView.as_view(), name="vendor-applications"),
    path(
        "vendor-applications/<uuid:application_id>/submit",
        views.ApplicationSubmitView.as_view(),
        name="vendor-application-submit",
    ),
    path(
        "vendor-applications/<uuid:application_id>/review",
        views.ApplicationReviewView.as_view(),
        name="vendor-application-review",
    ),
    # staff
    path("admin/partners", views.AdminPartnersView.as_view(), name="admin-partners"),
    path("admin/partners/<uuid:partner_id>", views.AdminPartnerDetailView.as_view(), name="admin-partner"),
    path(
        "admin/partners/<uuid:partner_id>/verify", views.AdminPartnerVerifyView.as_view(), name="admin-partner-verify"
    ),
    path(
        "admin/partners/<uuid:partner_id>/availability",
        views.AdminPartnerAvailabilityView.as_view(),
        name="admin-partner-availability",
    ),
    path(
        "admin/partners/<uuid:partner_id>/bookings",
        views.AdminPartnerBookingsView.as_view(),
        name="admin-partner-bookings",
    ),
    path(
        "admin/partners/<uuid:partner_id>/earnings",
        views.AdminPartnerEarningsView.as_view(),
        name="admin-partner-earnings",
    ),
    path(
        "admin/bookings/<uuid:booking_id>/assign-partner",
        views.AdminAssignPartnerView.as_view(),
        name="admin-assign-partner",
    ),
    path("admin/payouts", views.AdminPayoutsView.as_view(), name="admin-payouts"),
    path("admin/payouts/<uuid:payout_id>/start", views.AdminPayoutStartView.as_view(), name="admin-payout-start"),
    path("admin/payouts/<uuid:payout_id>/process", views.AdminPayoutProcessView.as_view(), name="admin-payout-process"),
    path("admin/payouts/<uuid:payout_id>/fail", views.AdminPayoutFailView.as_view(), name="admin-payout-fail"),
    path(
        "admin/earnings/<uuid:earning_id>/release",
        views.AdminEarningReleaseView.as_view(),
        name="admin-earning-release",
    ),
    # internal (service token)
    path(
        "internal/bookings/<uuid:booking_id>/assign-partner",
        views.InternalAutoAssignView.as_view(),
        name="internal-assign-partner",
    ),
    path("internal/assignments/queue", views.InternalQueueView.as_view(), name="internal-assignment-queue"),
]
