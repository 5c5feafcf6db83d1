"""OpenAPI: the response shapes of the back-office endpoints (``adminpanel.api``).

The views build these dicts in ``adminpanel.selectors`` and ``adminpanel.serializers`` (``user_row``,
``staff_row``, ``audit_row``); the serializers here only describe them, field for field.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.serializers import AddressOutput
from bookings.serializers import BookingDetailOutput, BookingOutput
from core.schema import page_of

MONEY = serializers.FloatField
RATE = serializers.FloatField


# --- analytics -------------------------------------------------------------------------------


class RevenuePointOutput(serializers.Serializer):
    date = serializers.DateField(help_text="The day, or the first day of the week, month or year.")
    revenue = MONEY()
    bookings = serializers.IntegerField()


class RevenueOutput(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.ChoiceField(choices=["day", "week", "month", "year"])
    total_revenue = MONEY()
    total_bookings = serializers.IntegerField()
    average_order_value = MONEY()
    breakdown = RevenuePointOutput(many=True)


class PartnerPerformanceRowOutput(serializers.Serializer):
    partner_id = serializers.UUIDField()
    partner_code = serializers.CharField()
    partner_name = serializers.CharField()
    total_bookings = serializers.IntegerField()
    completed_bookings = serializers.IntegerField()
    cancelled_bookings = serializers.IntegerField()
    total_earnings = MONEY()
    total_revenue = MONEY()
    average_rating = serializers.FloatField(allow_null=True)
    cancellation_rate = RATE(help_text="Percent.")


class PartnerPerformanceOutput(serializers.Serializer):
    partners = PartnerPerformanceRowOutput(many=True)


class TopPartnersOutput(PartnerPerformanceOutput):
    date_from = serializers.DateField()
    date_to = serializers.DateField()


class ServicePopularityRowOutput(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = serializers.CharField()
    category = serializers.CharField()
    tier = serializers.CharField()
    total_bookings = serializers.IntegerField()
    quantity = serializers.IntegerField()
    total_revenue = MONEY()
    average_rating = serializers.FloatField(allow_null=True)


class ServicePopularityOutput(serializers.Serializer):
    services = ServicePopularityRowOutput(many=True)


class BookingSourceRowOutput(serializers.Serializer):
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like a Field attribute (the metaclass moves it)
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like a Field attribute (the metaclass moves it)
    count = serializers.IntegerField()
    percentage = RATE()


class BookingsBySourceOutput(serializers.Serializer):
    sources = BookingSourceRowOutput(many=True)


class MetricsOutput(serializers.Serializer):
    total_customers = serializers.IntegerField()
    total_partners = serializers.IntegerField()
    total_revenue = MONEY()
    bookings_today = serializers.IntegerField()
    bookings_this_week = serializers.IntegerField()
    bookings_this_month = serializers.IntegerField()
    total_appointments = serializers.IntegerField(help_text="Bookings with a chosen provider, any status.")
    total_follow_ups = serializers.IntegerField(
        help_text="Appointments whose patient had an earlier completed appointment with the same provider."
    )
    appointments_by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Appointments per booking status (every status, zeros included)."
    )


class PincodeDemandRowOutput(serializers.Serializer):
    pincode = serializers.CharField()
    total_bookings = serializers.IntegerField()
    completed_bookings = serializers.IntegerField()
    pending_bookings = serializers.IntegerField()
    cancelled_bookings = serializers.IntegerField()
    completion_rate = RATE()
    cancellation_rate = RATE()
    available_vendors = serializers.IntegerField()
    demand_intensity = serializers.FloatField(help_text="Bookings per partner.")
    estimated_wait_time_hours = serializers.FloatField(allow_null=True)
    zone_status = serializers.ChoiceField(choices=["no_coverage", "high_demand", "low_demand", "optimal"])
    heat_intensity = serializers.FloatField()


class PincodeDemandSummaryOutput(serializers.Serializer):
    total_pincodes = serializers.IntegerField()
    total_bookings = serializers.IntegerField()
    total_vendors = serializers.IntegerField()
    high_demand_zones = serializers.IntegerField()
    optimal_zones = serializers.IntegerField()
    no_coverage_zones = serializers.IntegerField()


class PincodeDemandOutput(serializers.Serializer):
    days_back = serializers.IntegerField()
    pincodes = PincodeDemandRowOutput(many=True)
    summary = PincodeDemandSummaryOutput()


# --- dashboards ------------------------------------------------------------------------------


class DashboardStatsOutput(serializers.Serializer):
    total_bookings = serializers.IntegerField()
    pending_bookings = serializers.IntegerField()
    confirmed_bookings = serializers.IntegerField()
    completed_bookings = serializers.IntegerField()
    cancelled_bookings = serializers.IntegerField()
    total_revenue = MONEY()
    today_revenue = MONEY()
    active_partners = serializers.IntegerField()
    total_partners = serializers.IntegerField()
    pending_payouts = MONEY()


class DashboardBookingOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking_number = serializers.CharField()
    customer_name = serializers.CharField()
    status = serializers.CharField()
    payment_status = serializers.CharField()
    grand_total = MONEY()
    booking_date = serializers.DateField()


class DashboardPartnerOutput(serializers.Serializer):
    id = serializers.UUIDField()
    partner_code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField(help_text="The onboarding status.")
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class DashboardAlertOutput(serializers.Serializer):
    type = serializers.ChoiceField(choices=["payment_failed", "bookings_waiting_for_partner"])
    count = serializers.IntegerField()


class DashboardOutput(serializers.Serializer):
    stats = DashboardStatsOutput()
    recent_bookings = DashboardBookingOutput(many=True)
    recent_partners = DashboardPartnerOutput(many=True)
    alerts = DashboardAlertOutput(many=True)


class CacheHealthOutput(serializers.Serializer):
    healthy_caches = serializers.IntegerField()
    total_caches = serializers.IntegerField()
    health_percentage = serializers.FloatField()
    average_hit_rate = serializers.FloatField()
    status = serializers.ChoiceField(choices=["healthy", "degraded"])


class ActionCountOutput(serializers.Serializer):
    action = serializers.CharField()
    count = serializers.IntegerField()


class ActivityStatsOutput(serializers.Serializer):
    total_actions_24h = serializers.IntegerField()
    unique_users_24h = serializers.IntegerField()
    top_actions = ActionCountOutput(many=True)


class PincodeStatsOutput(serializers.Serializer):
    total_pincodes_served = serializers.IntegerField()
    avg_bookings_per_pincode = serializers.FloatField()
    active_vendors = serializers.IntegerField()


class DashboardStatsPageOutput(serializers.Serializer):
    cache_health = CacheHealthOutput()
    activity_stats = ActivityStatsOutput()
    pincode_stats = PincodeStatsOutput()


# --- notifications ---------------------------------------------------------------------------


class NotificationStatsOutput(serializers.Serializer):
    total_sent_today = serializers.IntegerField()
    total_sent_week = serializers.IntegerField()
    success_rate_today = serializers.FloatField()
    by_type_today = serializers.DictField(child=serializers.IntegerField(), help_text="Deliveries by event type.")
    by_method_today = serializers.DictField(child=serializers.IntegerField(), help_text="Deliveries by channel.")
    failed_today = serializers.IntegerField()
    pending_today = serializers.IntegerField()


class BusinessAlertsOutput(serializers.Serializer):
    active_alerts = serializers.IntegerField()
    critical_alerts = serializers.IntegerField()
    bookings_needing_partner = serializers.IntegerField()
    failed_deliveries_today = serializers.IntegerField()


class NotificationOverviewOutput(serializers.Serializer):
    notification_stats = NotificationStatsOutput()
    business_alerts = BusinessAlertsOutput()


class TaskStartedOutput(serializers.Serializer):
    task_id = serializers.CharField()


class BroadcastOutput(serializers.Serializer):
    segment = serializers.CharField()
    recipients = serializers.IntegerField()


# --- bookings --------------------------------------------------------------------------------


class AdminBookingCustomerOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)


class AdminBookingRowOutput(BookingOutput):
    customer = AdminBookingCustomerOutput()

    class Meta(BookingOutput.Meta):
        fields = [*BookingOutput.Meta.fields, "customer"]


AdminBookingsPage = page_of("AdminBookingsPage", "bookings", AdminBookingRowOutput(many=True))


class AdminBookingStatusOutput(serializers.Serializer):
    booking = BookingDetailOutput()


# --- users and staff -------------------------------------------------------------------------


class AdminUserRowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    phone_number = serializers.CharField(allow_null=True)
    email = serializers.EmailField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()
    total_bookings = serializers.IntegerField()
    total_spent = MONEY()
    created_at = serializers.DateTimeField()


AdminUsersPage = page_of("AdminUsersPage", "users", AdminUserRowOutput(many=True))


class AdminUserDetailUserOutput(AdminUserRowOutput):
    is_staff = serializers.BooleanField()
    last_login = serializers.DateTimeField(allow_null=True)


class AdminUserStatsOutput(serializers.Serializer):
    total_bookings = serializers.IntegerField()
    total_spent = MONEY()
    average_order_value = MONEY()
    cancelled_bookings = serializers.IntegerField()


class AdminUserDetailOutput(serializers.Serializer):
    user = AdminUserDetailUserOutput()
    bookings = BookingOutput(many=True, help_text="The latest 20, newest first.")
    addresses = AddressOutput(many=True)
    stats = AdminUserStatsOutput()


class StaffRowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    email = serializers.EmailField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    role_name = serializers.CharField(allow_null=True, help_text="The role in capitals.")
    is_active = serializers.BooleanField()
    last_login = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


AdminStaffPage = page_of("AdminStaffPage", "staff", StaffRowOutput(many=True))


class StaffOutput(serializers.Serializer):
    staff = StaffRowOutput()


class StaffStateOutput(serializers.Serializer):
    id = serializers.UUIDField()
    is_active = serializers.BooleanField()


class StaffToggleOutput(serializers.Serializer):
    staff = StaffStateOutput()
