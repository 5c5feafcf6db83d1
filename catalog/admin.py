from django.contrib import admin

from catalog.models import Category, Service, WorkflowStep, WorkflowTemplate
from core.admin_display import money


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = ("name", "service_key", "tier", "product_cost", "market_price", "duration_minutes", "is_active")
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "is_live", "display_order", "updated_at")
    list_filter = ("is_live",)
    list_editable = ("is_live", "display_order")
    search_fields = ("name", "key")
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "category",
        "tier",
        money("product_cost", "price"),
        money("market_price"),
        "duration_minutes",
        "is_active",
    )
    list_filter = ("category", "tier", "is_active", "pricing_model")
    list_editable = ("is_active",)
    search_fields = ("name", "service_key", "service_type")
    list_select_related = ("category",)
    readonly_fields = ("id", "created_at", "updated_at")
    actions = ["activate", "deactivate"]

    @admin.action(description="Make the selected services bookable")
    def activate(self, request, queryset) -> None:
        for service in queryset:  # save() per row, so the catalog cache is invalidated
            service.is_active = True
            service.save(update_fields=["is_active", "updated_at"])

    @admin.action(description="Stop the selected services being bookable")
    def deactivate(self, request, queryset) -> None:
        for service in queryset:
            service.is_active = False
            service.save(update_fields=["is_active", "updated_at"])


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0
    fields = (
        "step_order",
        "step_key",
        "step_name",
        "is_required",
        "requires_photo",
        "estimated_duration_minutes",
        "order_status_on_complete",
    )


@admin.register(WorkflowTemplate)
class WorkflowTemplateAdmin(admin.ModelAdmin):
    """A service's steps (seed 001 7.1). Orders copy them when placed: an edit changes new orders only."""

    list_display = ("name", "service", "is_default", "updated_at")
    list_filter = ("is_default", "service__category")
    search_fields = ("name", "service__name", "service__service_key")
    list_select_related = ("service",)
    raw_id_fields = ("service",)
    inlines = [WorkflowStepInline]
