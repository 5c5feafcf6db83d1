from django.urls import include, path

from partners.api import admin, internal, partner_app, vendor_onboarding, vendors

urlpatterns = [
    # seed 000 partner app
    path("partner/profile", partner_app.PartnerProfileView.as_view(), name="partner-profile"),
    path("partner/dashboard", partner_app.PartnerDashboardView.as_view(), name="partner-dashboard"),
    path("partner/bookings", partner_app.PartnerBookingsView.as_view(), name="partner-bookings"),
    path("partner/bookings/<uuid:booking_id>/accept", partner_app.PartnerAcceptView.as_view(), name="partner-accept"),
    path("partner/bookings/<uuid:booking_id>/reject", partner_app.PartnerRejectView.as_view(), name="partner-reject"),
    path(
        "partner/bookings/<uuid:booking_id>/status", partner_app.PartnerJobStatusView.as_view(), name="partner-status"
    ),
    path(
        "partner/bookings/<uuid:booking_id>/complete",
        partner_app.PartnerCompleteView.as_view(),
        name="partner-complete",
    ),
    path("partner/availability", partner_app.PartnerAvailabilityView.as_view(), name="partner-availability"),
    path("partner/working-hours", partner_app.PartnerWorkingHoursView.as_view(), name="partner-working-hours"),
    path("partner/earnings", partner_app.PartnerEarningsView.as_view(), name="partner-earnings"),
    path("partner/earnings/summary", partner_app.PartnerEarningsSummaryView.as_view(), name="partner-earnings-summary"),
    path("partner/payouts", partner_app.PartnerPayoutsView.as_view(), name="partner-payouts"),
    path("partner/performance", partner_app.PartnerPerformanceView.as_view(), name="partner-performance"),
    # seed 002 vendor endpoints
    path("vendor-availability", vendors.VendorAvailabilityView.as_view(), name="vendor-availability"),
    path("vendor-search", vendors.VendorSearchView.as_view(), name="vendor-search"),
    path("vendor-applications", vendors.ApplicationsView.as_view(), name="vendor-applications"),
    path(
        "vendor-applications/<uuid:application_id>/submit",
        vendors.ApplicationSubmitView.as_view(),
        name="vendor-application-submit",
    ),
    path(
        "vendor-applications/<uuid:application_id>/review",
        vendors.ApplicationReviewView.as_view(),
        name="vendor-application-review",
    ),
    # seed 001 2.2 vendor onboarding (asking for societies: societies.urls)
    path("onboarding/vendor/register", vendor_onboarding.VendorRegisterView.as_view(), name="vendor-register"),
    path(
        "onboarding/vendor/<uuid:vendor_id>/bank-details",
        vendor_onboarding.BankDetailsView.as_view(),
        name="vendor-bank-details",
    ),
    path(
        "onboarding/vendor/<uuid:vendor_id>/services", vendor_onboarding.ServicesView.as_view(), name="vendor-services"
    ),
    # staff
    path("admin/partners", admin.AdminPartnersView.as_view(), name="admin-partners"),
    path("admin/partners/<uuid:partner_id>", admin.AdminPartnerDetailView.as_view(), name="admin-partner"),
    path(
        "admin/partners/<uuid:partner_id>/verify", admin.AdminPartnerVerifyView.as_view(), name="admin-partner-verify"
    ),
    path(
        "admin/partners/<uuid:partner_id>/availability",
        admin.AdminPartnerAvailabilityView.as_view(),
        name="admin-partner-availability",
    ),
    path(
        "admin/partners/<uuid:partner_id>/bookings",
        admin.AdminPartnerBookingsView.as_view(),
        name="admin-partner-bookings",
    ),
    path(
        "admin/partners/<uuid:partner_id>/earnings",
        admin.AdminPartnerEarningsView.as_view(),
        name="admin-partner-earnings",
    ),
    path(
        "admin/bookings/<uuid:booking_id>/assign-partner",
        admin.AdminAssignPartnerView.as_view(),
        name="admin-assign-partner",
    ),
    path("admin/payouts", admin.AdminPayoutsView.as_view(), name="admin-payouts"),
    path("admin/payouts/<uuid:payout_id>/start", admin.AdminPayoutStartView.as_view(), name="admin-payout-start"),
    path("admin/payouts/<uuid:payout_id>/process", admin.AdminPayoutProcessView.as_view(), name="admin-payout-process"),
    path("admin/payouts/<uuid:payout_id>/fail", admin.AdminPayoutFailView.as_view(), name="admin-payout-fail"),
    path(
        "admin/earnings/<uuid:earning_id>/release",
        admin.AdminEarningReleaseView.as_view(),
        name="admin-earning-release",
    ),
    # internal (service token)
    path(
        "internal/bookings/<uuid:booking_id>/assign-partner",
        internal.InternalAutoAssignView.as_view(),
        name="internal-assign-partner",
    ),
    path("internal/assignments/queue", internal.InternalQueueView.as_view(), name="internal-assignment-queue"),
    # issue #18: appointments with a chosen provider (seeds 003 and 004)
    path("", include("partners.api.clinic_urls")),
    path("", include("partners.api.appointment_urls")),
    path("", include("partners.api.patient_urls")),
    path("", include("partners.api.specialist_urls")),
    path("", include("partners.api.video_urls")),
    path("", include("partners.api.specialist_self_urls")),
    path("", include("partners.api.search_urls")),  # issue #19: GET /services/search
    path("", include("partners.api.analytics_urls")),  # issue #19: seed 004 analytics
    path("", include("partners.api.scheduling_urls")),  # issue #20: travel time, smart scheduling (seed 002)
    path("", include("partners.api.chat_urls")),  # issue #20: the chat assistant (seed 002)
    path("", include("partners.api.pricing_urls")),  # issue #20: dynamic pricing (seed 002)
]
