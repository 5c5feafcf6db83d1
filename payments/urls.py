from django.urls import path

from payments.api import admin, customer, gateway, manual
from payments.gateways import offline_checkout_enabled

urlpatterns = [
    path("payments/orders", customer.CreateOrderView.as_view(), name="payment-orders"),
    path("payments/create-order", customer.CreateOrderView.as_view(), name="payment-create-order"),
    path("payments/process-deposit", customer.ProcessDepositView.as_view(), name="payment-process-deposit"),
    path("payments/process-full-payment", customer.ProcessBalanceView.as_view(), name="payment-process-full-payment"),
    path("payments/verify", customer.VerifyView.as_view(), name="payment-verify"),
    path("payments/webhook", gateway.WebhookView.as_view(), name="payment-webhook"),
    path("payments/history", customer.PaymentHistoryView.as_view(), name="payment-history"),
    path("payments/refund", admin.RefundView.as_view(), name="payment-refund"),
    path("payments/cash", admin.CashPaymentView.as_view(), name="payment-cash"),
    path("payments/links", admin.PaymentLinkCreateView.as_view(), name="payment-links"),
    path("payments/create-link", admin.PaymentLinkCreateView.as_view(), name="payment-create-link"),
    path("payments/links/<str:link_id>", admin.PaymentLinkStatusView.as_view(), name="payment-link-status"),
    path("payments/verify/<str:link_id>", admin.PaymentLinkStatusView.as_view(), name="payment-link-verify"),
    path("payments/reconciliation", admin.ReconciliationListView.as_view(), name="payment-reconciliation"),
    path("payments/<uuid:payment_id>", customer.PaymentDetailView.as_view(), name="payment-detail"),
    path("payments/<uuid:payment_id>/status", customer.PaymentStatusView.as_view(), name="payment-status"),
    path(
        "payments/<uuid:payment_id>/process_manual_payment",
        manual.ProcessManualPaymentView.as_view(),
        name="payment-process-manual",
    ),
]

if offline_checkout_enabled():
    # Plays Razorpay Checkout for the embedded default; never routed in production or with Razorpay.
    urlpatterns.insert(
        0, path("payments/offline/checkout", gateway.OfflineCheckoutView.as_view(), name="payment-offline-checkout")
    )
