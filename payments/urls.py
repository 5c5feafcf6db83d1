from django.urls import path

from payments import views
from payments.gateways import offline_checkout_enabled

urlpatterns = [
    path("payments/orders", views.CreateOrderView.as_view(), name="payment-orders"),
    path("payments/create-order", views.CreateOrderView.as_view(), name="payment-create-order"),
    path("payments/process-deposit", views.ProcessDepositView.as_view(), name="payment-process-deposit"),
    path("payments/process-full-payment", views.ProcessBalanceView.as_view(), name="payment-process-full-payment"),
    path("payments/verify", views.VerifyView.as_view(), name="payment-verify"),
    path("payments/webhook", views.WebhookView.as_view(), name="payment-webhook"),
    path("payments/history", views.PaymentHistoryView.as_view(), name="payment-history"),
    path("payments/refund", views.RefundView.as_view(), name="payment-refund"),
    path("payments/cash", views.CashPaymentView.as_view(), name="payment-cash"),
    path("payments/links", views.PaymentLinkCreateView.as_view(), name="payment-links"),
    path("payments/create-link", views.PaymentLinkCreateView.as_view(), name="payment-create-link"),
    path("payments/links/<str:link_id>", views.PaymentLinkStatusView.as_view(), name="payment-link-status"),
    path("payments/verify/<str:link_id>", views.PaymentLinkStatusView.as_view(), name="payment-link-verify"),
    path("payments/reconciliation", views.ReconciliationListView.as_view(), name="payment-reconciliation"),
    path("payments/<uuid:payment_id>", views.PaymentDetailView.as_view(), name="payment-detail"),
    path("payments/<uuid:payment_id>/status", views.PaymentStatusView.as_view(), name="payment-status"),
]

if offline_checkout_enabled():
    # Plays Razorpay Checkout for the embedded default; never routed in production or with Razorpay.
    urlpatterns.insert(
        0, path("payments/offline/checkout", views.OfflineCheckoutView.as_view(), name="payment-offline-checkout")
    )
