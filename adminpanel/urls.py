"""Every staff path under ``/api/v1/admin/`` (and seed 002's ``/admin-dashboard/``): the cross-app
endpoints of ``adminpanel.api`` and each app's own staff endpoints (``<app>/api/admin.py``)."""

from django.urls import include, path

from accounts.api import admin as accounts_admin
from accounts.roles import Role
from accounts.views.session import RolesView
from adminpanel.api import analytics, bookings, dashboard, notifications, people, system
from bookings.api import admin as bookings_admin
from catalog.api import admin as catalog_admin

urlpatterns = [
    path("admin/dashboard", dashboard.DashboardView.as_view()),
    path("admin/bookings", bookings.AdminBookingsView.as_view()),
    path("admin/bookings/<uuid:booking_id>", bookings_admin.AdminBookingDetailView.as_view()),
    path("admin/bookings/<uuid:booking_id>/status", bookings.AdminBookingStatusView.as_view()),
    path("admin/bookings/<uuid:booking_id>/cancel", bookings_admin.AdminBookingCancelView.as_view()),
    path("admin/bookings/<uuid:booking_id>/refund", bookings_admin.AdminBookingRefundView.as_view()),
    path("admin/services", catalog_admin.AdminServicesView.as_view()),
    path("admin/services/<uuid:service_id>", catalog_admin.AdminServiceDetailView.as_view()),
    path("admin/categories", catalog_admin.AdminCategoriesView.as_view()),
    path("admin/categories/<int:category_id>", catalog_admin.AdminCategoryDetailView.as_view()),
    path("admin/promo-codes", bookings_admin.AdminPromoCodesView.as_view()),
    path("admin/promo-codes/<uuid:promo_id>", bookings_admin.AdminPromoCodeDetailView.as_view()),
    path("admin/contact-submissions", bookings_admin.AdminContactSubmissionsView.as_view()),
    path("admin/contact-submissions/<uuid:submission_id>", bookings_admin.AdminContactSubmissionView.as_view()),
    path("admin/users", people.AdminUsersView.as_view()),
    path("admin/users/<uuid:user_id>", people.AdminUserDetailView.as_view()),
    path("admin/users/<uuid:user_id>/status", accounts_admin.AdminUserStatusView.as_view()),
    path("admin/staff", people.AdminStaffListView.as_view()),
    path("admin/staff/managers", people.AdminStaffRoleCreateView.as_view(role=Role.OPS_MANAGER)),
    path("admin/staff/centre-managers", people.AdminStaffRoleCreateView.as_view(role=Role.CENTRE_MANAGER)),
    path("admin/staff/care-coordinators", people.AdminStaffRoleCreateView.as_view(role=Role.CARE_COORDINATOR)),
    path("admin/staff/front-desk", people.AdminStaffRoleCreateView.as_view(role=Role.FRONT_DESK)),
    path("admin/staff/<uuid:user_id>", people.AdminStaffDetailView.as_view()),
    path("admin/staff/<uuid:user_id>/toggle-active", people.AdminStaffToggleView.as_view()),
    path("admin/roles", RolesView.as_view()),
    path("admin/analytics/revenue", analytics.RevenueView.as_view()),
    path("admin/analytics/partner-performance", analytics.PartnerPerformanceView.as_view()),
    path("admin/analytics/service-popularity", analytics.ServicePopularityView.as_view()),
    path("admin/analytics/top-partners", analytics.TopPartnersView.as_view()),
    path("admin/analytics/bookings-by-source", analytics.BookingsBySourceView.as_view()),
    path("admin/analytics/dashboard", analytics.MetricsView.as_view()),
    path("admin/analytics/pincode-demand", analytics.PincodeDemandView.as_view()),
    path("admin/settings", system.SettingsView.as_view()),
    path("admin/audit-logs", system.AuditLogsView.as_view()),
    path("admin/cache", system.CacheView.as_view()),
    path("admin/notifications/stats", notifications.NotificationStatsView.as_view()),
    path("admin/notifications/broadcast", notifications.BroadcastView.as_view()),
    # Seed 002's admin dashboard paths, kept as written (they collide with nothing).
    path("admin-dashboard/cache", system.CacheView.as_view()),
    path("admin-dashboard/pincode-scaling/data", analytics.PincodeDemandView.as_view()),
    path("admin-dashboard/edit-history", system.AuditLogsView.as_view()),
    path("admin-dashboard/dashboard/stats", dashboard.DashboardStatsView.as_view()),
    path("admin-dashboard/notifications", notifications.NotificationStatsView.as_view()),
    path("", include("adminpanel.api.report_urls")),  # issue #20: seed 002 reports and analytics
]
