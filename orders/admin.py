"""Django admin for rate cards (each with its items, the draft; the published snapshot read-only) and the
vendors' per-society services."""

from __future__ import annotations

from django.contrib import admin

from orders.models import RateCard, RateCardItem, SocietyVendorService


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
