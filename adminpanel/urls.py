from django.urls import path

from accounts.roles import Role
from accounts.views.session import RolesView
from adminpanel import views
from catalog.api import admin as catalog_admin

urlpatterns = [
    path("admin/dashboard", views.DashboardView.as_view()),
    path("admin/bookings", views.AdminBookingsView.as_view()),
    path("admin/bookings/<uuid:booking_id>", views.AdminBookingDetailView.as_view()),
    path("admin/bookings/<uuid:booking_id>/status", views.AdminBookingStatusView.as_view()),
    path("admin/bookings/<uuid:booking_id>/cancel", views.AdminBookingCancelView.as_view()),
    path("admin/bookings/<uuid:booking_id>/refund", views.AdminBookingRefundView.as_view()),
    path("admin/services", catalog_admin.AdminServicesView.as_view()),
    path("admin/services/<uuid:service_id>", catalog_admin.AdminServiceDetailView.as_view()),
    path("admin/categories", catalog_admin.AdminCategoriesView.as_view()),
    path("admin/categories/<int:category_id>", catalog_admin.AdminCategoryDetailView.as_view()),
    path("admin/promo-codes", views.AdminPromoCodesView.as_view()),
    path("admin/promo-codes/<uuid:promo_id>", views.AdminPromoCodeDetailView.as_view()),
    path("admin/contact-submissions", views.AdminContactSubmissionsView.as_view()),
    path("admin/contact-submissions/<uuid:submission_id>", views.AdminContactSubmissionView.as_view()),
    path("admin/users", views.AdminUsersView.as_view()),
    path("admin/users/<uuid:user_id>", views.AdminUserDetailView.as_view()),
    path("admin/users/<uuid:user_id>/status", views.AdminUserStatusView.as_view()),
    path("admin/staff", views.AdminStaffListView.as_view()),
    path("admin/staff/managers", views.AdminStaffRoleCreateView.as_view(role=Role.OPS_MANAGER)),
    path("admin/staff/centre-managers", views.AdminStaffRoleCreateView.as_view(role=Role.CENTRE_MANAGER)),
    path("admin/staff/care-coordinators", views.AdminStaffRoleCreateView.as_view(role=Role.CARE_COORDINATOR)),
    path("admin/staff/front-desk", views.AdminStaffRoleCreateView.as_view(role=Role.FRONT_DESK)),
    path("admin/staff/<uuid:user_id>", views.AdminStaffDetailView.as_view()),
    path("admin/staff/<uuid:user_id>/toggle-active", views.AdminStaffToggleView.as_view()),
    path("admin/roles", RolesView.as_view()),
    path("admin/analytics/revenue", views.RevenueView.as_view()),
    path("admin/analytics/partner-performance", views.PartnerPerformanceView.as_view()),
    path("admin/analytics/service-popularity", views.ServicePopularityView.as_view()),
    path("admin/analytics/top-partners", views.TopPartnersView.as_view()),
    path("admin/analytics/bookings-by-source", views.BookingsBySourceView.as_view()),
    path("admin/analytics/dashboard", views.MetricsView.as_view()),
    path("admin/analytics/pincode-demand", views.PincodeDemandView.as_view()),
    path("admin/settings", views.SettingsView.as_view()),
    path("admin/audit-logs", views.AuditLogsView.as_view()),
    path("admin/cache", views.CacheView.as_view()),
    path("admin/notifications/stats", views.NotificationStatsView.as_view()),
    path("admin/notifications/broadcast", views.BroadcastView.as_view()),
    # Seed 002's admin dashboard paths, kept as written (they collide with nothing).
    path("admin-dashboard/cache", views.CacheView.as_view()),
    path("admin-dashboard/pincode-scaling/data", views.PincodeDemandView.as_view()),
    path("admin-dashboard/edit-history", views.AuditLogsView.as_view()),
    path("admin-dashboard/dashboard/stats", views.DashboardStatsView.as_view()),
    path("admin-dashboard/notifications", views.NotificationStatsView.as_view()),
]
