"""Django admin for the money layer: money fields read-only, ledger read-only, webhooks reprocessable,
payments refundable (through the refund service) by those who may refund."""

from __future__ import annotations

from django.contrib import admin, messages

from core import audit
from core.admin_display import money
from core.errors import DomainError
from payments.gateways.base import GatewayError
from payments.models import (
    LedgerAccount,
    LedgerEntry,
    Payment,
    PaymentLink,
    PaymentWebhook,
    ReconciliationReport,
    Refund,
    RefundType,
    WebhookStatus,
)
from payments.services.refunds import refund_create
from payments.services.webhooks import webhook_reprocess


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ("amount", "refund_type", "status", "gateway_refund_id", "reason", "processed_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("receipt", "payable_type", "payable_id", "user", "kind", money("amount"), "status", "gateway")
    list_filter = ("status", "gateway", "kind", "method", "currency")
    search_fields = (
        "receipt",
        "payable_id",
        "gateway_order_id",
        "gateway_payment_id",
        "user__email",
        "user__phone",
        "user__full_name",
    )
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    inlines = [RefundInline]
    actions = ["refund_in_full"]

    @admin.action(description="Refund what is left of the selected payments", permissions=["refund"])
    def refund_in_full(self, request, queryset) -> None:
        """Through the refund service (locks, refundable checks, gateway), one payment at a time; audited."""
        done = 0
        for payment in queryset:
            try:
                refund = refund_create(
                    payment_pk=payment.pk,
                    refund_type=RefundType.FULL,
                    reason="Refund from the admin",
                    requested_by=request.user,
                )
            except (DomainError, GatewayError) as exc:
                self.message_user(request, f"{payment.receipt}: {exc}", messages.ERROR)
                continue
            audit.record(
                action="refund_payment",
                resource_type="payment",
                resource_id=payment.pk,
                changes={"refund_id": str(refund.pk), "amount": {"old": None, "new": str(refund.amount)}},
                request=request,
            )
            done += 1
        if done:
            self.message_user(request, f"{done} refund(s) started.", messages.SUCCESS)

    def has_refund_permission(self, request) -> bool:
        return request.user.has_perm("payments.add_refund")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("payment", money("amount"), "refund_type", "status", "gateway_refund_id", "created_at")
    date_hierarchy = "created_at"
    list_filter = ("status", "refund_type")
    search_fields = ("gateway_refund_id", "payment__receipt")
    list_select_related = ("payment",)


@admin.register(PaymentWebhook)
class PaymentWebhookAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "event_id", "gateway_order_id", "status", "is_verified", "retry_count", "created_at")
    list_filter = ("status", "event_type", "is_verified")
    search_fields = ("event_id", "gateway_order_id", "gateway_payment_id", "gateway_refund_id")
    date_hierarchy = "created_at"
    actions = ["reprocess"]

    @admin.action(description="Reprocess the selected deliveries", permissions=["reprocess"])
    def reprocess(self, request, queryset) -> None:
        results = [webhook_reprocess(webhook_pk=webhook.pk) for webhook in queryset]
        done = sum(1 for status in results if status == WebhookStatus.PROCESSED)
        self.message_user(request, f"Reprocessed {len(results)} deliveries; {done} processed.", messages.INFO)

    def has_reprocess_permission(self, request) -> bool:
        return request.user.has_perm("payments.change_paymentwebhook")


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "posting_id", "account", money("amount"), "currency", "memo", "payment")
    list_filter = ("account", "currency")
    search_fields = ("memo", "payable_id", "posting_id")
    list_select_related = ("account", "payment")
    date_hierarchy = "created_at"


@admin.register(PaymentLink)
class PaymentLinkAdmin(ReadOnlyAdmin):
    list_display = ("gateway_link_id", "status", money("amount_paid"), "customer_name", "expires_at", "created_by")
    date_hierarchy = "created_at"
    list_filter = ("status",)
    search_fields = ("gateway_link_id", "customer_name", "customer_phone", "customer_email")
    list_select_related = ("created_by",)


@admin.register(ReconciliationReport)
class ReconciliationReportAdmin(ReadOnlyAdmin):
    list_display = ("day", "gateway", "gateway_payments", "matched", "fixed", "discrepancies")
    list_filter = ("gateway",)
    date_hierarchy = "day"
