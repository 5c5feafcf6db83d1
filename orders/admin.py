"""Django admin for rate cards (each with its items, the draft; the published snapshot read-only), the
vendors' per-society services, orders (read-only, with their lines, services, counts, disputes and timeline)
and payment disputes with the two resolutions. A society admin sees the rows of their societies only
(``societies.admin.ScopedToSocieties``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.admin_display import rupees
from core.errors import DomainError
from orders.models import (
    CountUpdate,
    DisputeResolution,
    Order,
    OrderDispute,
    OrderItem,
    OrderService,
    OrderStep,
    OrderTimeline,
    RateCard,
    RateCardItem,
    SocietyVendorService,
)
from orders.payable import ORDER_PAYABLE
from payments.models import Payment
from societies.admin import ScopedToSocieties


class RateCardItemInline(admin.TabularInline):
    model = RateCardItem
    extra = 0
    fields = ("service", "item_name", "description", "price_per_piece", "display_order", "is_active")
    raw_id_fields = ("service",)


@admin.register(RateCard)
class RateCardAdmin(admin.ModelAdmin):
    list_display = ("pk", "partner", "society", "category", "is_published", "published_at", "is_active")
    list_filter = ("is_published", "is_active", "category", "society")
    search_fields = ("partner__business_name", "partner__partner_code", "society__name")
    list_select_related = ("partner__user", "society", "category")
    readonly_fields = ("partner", "society", "category", "published_at", "published_items", "created_at", "updated_at")
    inlines = [RateCardItemInline]


@admin.register(SocietyVendorService)
class SocietyVendorServiceAdmin(admin.ModelAdmin):
    list_display = ("partner", "society", "service", "turnaround_hours", "is_active")
    list_filter = ("is_active", "society")
    search_fields = ("partner__business_name", "service__name", "society__name")
    list_select_related = ("partner__user", "society", "service")
    raw_id_fields = ("partner", "service")


class ReadOnlyInline(admin.TabularInline):
    """History shown beside the order; rows change only through the services (steps, counts, payments)."""

    extra = 0
    can_delete = False

    related: tuple[str, ...] = ()

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("orders.view_order")  # the order's history is part of the order

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    related = ("service",)
    fields = ("service", "item_name", "quantity", "unit_price", "total_price", "delivery_days")


class OrderServiceInline(ReadOnlyInline):
    model = OrderService
    related = ("service",)
    fields = ("service", "status", "current_step_order", "total_steps", "ready_at")


class CountUpdateInline(ReadOnlyInline):
    model = CountUpdate
    related = ("decided_by",)
    fields = ("status", "total_items", "total_amount", "approval_deadline", "question", "decided_at", "decided_by")


class OrderDisputeInline(ReadOnlyInline):
    model = OrderDispute
    related = ("resolved_by",)
    fields = ("status", "reason", "details", "raised_at", "resolution", "resolved_at", "resolved_by")


class OrderTimelineInline(ReadOnlyInline):
    model = OrderTimeline
    fields = ("created_at", "status", "message")


@admin.register(Order)
class OrderAdmin(ScopedToSocieties):
    """Orders are read here; they move only through the API's services (each move is on the timeline)."""

    list_display = (
        "order_number",
        "status",
        "society",
        "vendor",
        "resident",
        "pickup_datetime",
        "amount",
        "created_at",
    )
    list_filter = ("status", "payment_type", "society")
    search_fields = ("order_number", "partner__business_name", "residence__user__phone", "residence__user__full_name")
    list_select_related = ("society", "partner", "residence__user")
    date_hierarchy = "created_at"
    inlines = [OrderItemInline, OrderServiceInline, CountUpdateInline, OrderDisputeInline, OrderTimelineInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Order._meta.concrete_fields] + ["workflow", "payments"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Workflow steps")
    def workflow(self, order: Order) -> str:
        steps = OrderStep.objects.filter(order_service__order=order).select_related("order_service__service")
        rows = (
            (s.order_service.service.name, s.step_order, s.step_name, s.status, s.completed_at or "", len(s.photos))
            for s in steps.order_by("order_service_id", "step_order")
        )
        body = format_html_join("", "<tr><td>{}</td><td>{}. {}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        head = "<tr><th>Service</th><th>Step</th><th>Status</th><th>Completed</th><th>Photos</th></tr>"
        return format_html("<table>" + head + "{}</table>", body)

    @admin.display(description="Payments")
    def payments(self, order: Order) -> str:
        rows = Payment.objects.filter(payable_type=ORDER_PAYABLE, payable_id=str(order.pk)).order_by("created_at")
        lines = (
            (p.get_gateway_display(), p.get_kind_display(), p.get_status_display(), rupees(p.amount), p.created_at)
            for p in rows
        )
        return format_html_join(SafeString("<br>"), "{} {} {} {} ({})", lines) or "—"

    @admin.display(description="Vendor", ordering="partner__business_name")
    def vendor(self, order: Order) -> str:
        return order.partner.business_name

    @admin.display(description="Resident", ordering="residence__user__full_name")
    def resident(self, order: Order) -> str:
        return order.residence.user.full_name or str(order.residence.user.phone)

    @admin.display(description="Amount")
    def amount(self, order: Order) -> str:
        return rupees(order.final_price if order.final_price is not None else order.estimated_price)


@admin.register(OrderDispute)
class OrderDisputeAdmin(ScopedToSocieties):
    """Payment disputes of the admin's societies, resolved with the two actions (through the service)."""

    society_path = "order__society"
    list_display = ("order", "status", "reason", "raised_at", "resolution", "resolved_at", "resolved_by")
    list_filter = ("status", "reason", "resolution")
    search_fields = ("order__order_number", "details")
    list_select_related = ("order", "resolved_by")
    actions = ["resolve_paid", "resolve_not_received"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in OrderDispute._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _resolve(self, request, queryset, resolution: str) -> None:
        from orders.services.disputes import dispute_resolve

        done = 0
        for dispute in queryset:
            try:
                dispute_resolve(user=request.user, dispute_id=dispute.pk, resolution=resolution, notes="Django admin")
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{dispute}: {exc.message}", level=messages.WARNING)
        self.message_user(request, f"{done} dispute(s) resolved.")

    @admin.action(description="Resolve: the resident did pay (close the order)", permissions=["change"])
    def resolve_paid(self, request, queryset) -> None:
        self._resolve(request, queryset, DisputeResolution.PAYMENT_CONFIRMED)

    @admin.action(description="Resolve: payment not received (back to delivered)", permissions=["change"])
    def resolve_not_received(self, request, queryset) -> None:
        self._resolve(request, queryset, DisputeResolution.PAYMENT_NOT_RECEIVED)
