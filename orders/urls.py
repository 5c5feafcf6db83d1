from django.urls import path

from orders.api import copy, count, discovery, orders, payment, rate_cards, ratings, workflow

urlpatterns = [
    # seed 001 section 4 (the segment after rate-cards/ is a society id in GET, a card id below it)
    path("vendors/<uuid:vendor_id>/rate-cards", rate_cards.RateCardsView.as_view(), name="vendor-rate-cards"),
    path(
        "vendors/<uuid:vendor_id>/rate-cards/<int:society_id>",
        rate_cards.RateCardView.as_view(),
        name="vendor-rate-card",
    ),
    path(
        "vendors/<uuid:vendor_id>/rate-cards/<int:rate_card_id>/items",
        rate_cards.RateCardItemsView.as_view(),
        name="vendor-rate-card-items",
    ),
    path(
        "vendors/<uuid:vendor_id>/rate-cards/<int:rate_card_id>/publish",
        rate_cards.RateCardPublishView.as_view(),
        name="vendor-rate-card-publish",
    ),
    # seed 001 2.3.1
    path("vendors/<uuid:vendor_id>/services/copy", copy.ServicesCopyView.as_view(), name="vendor-services-copy"),
    # seed 001 5.2-5.3 discovery
    path("societies/<int:society_id>/vendors", discovery.SocietyVendorsView.as_view(), name="society-vendors"),
    path("vendors/<uuid:vendor_id>", discovery.VendorDetailView.as_view(), name="vendor-detail"),
    # seed 001 6.1-6.2
    path("orders", orders.SocietyOrdersView.as_view(), name="society-orders"),
    path("orders/<uuid:order_id>", orders.SocietyOrderView.as_view(), name="society-order"),
    # seed 001 6.3-6.4 count, cancellation (routes of orders.api.count)
    path(
        "orders/<uuid:order_id>/update-count",
        count.SocietyOrderUpdateCountView.as_view(),
        name="society-order-update-count",
    ),
    path(
        "orders/<uuid:order_id>/approve-count",
        count.SocietyOrderApproveCountView.as_view(),
        name="society-order-approve-count",
    ),
    path("orders/<uuid:order_id>/cancel", count.SocietyOrderCancelView.as_view(), name="society-order-cancel"),
    # seed 001 7 workflows (routes of orders.api.workflow)
    path(
        "orders/<uuid:order_id>/workflow-progress",
        workflow.SocietyOrderProgressView.as_view(),
        name="society-order-workflow-progress",
    ),
    path(
        "orders/<uuid:order_id>/workflow/<uuid:service_id>/complete-step",
        workflow.SocietyOrderStepCompleteView.as_view(),
        name="society-order-complete-step",
    ),
    # seed 001 8 payments, disputes, V2 in-app (routes of orders.api.payment)
    path(
        "orders/<uuid:order_id>/mark-payment-received",
        payment.SocietyOrderMarkPaymentView.as_view(),
        name="society-order-mark-payment",
    ),
    path(
        "orders/<uuid:order_id>/payment-status",
        payment.SocietyOrderPaymentStatusView.as_view(),
        name="society-order-payment-status",
    ),
    path(
        "orders/<uuid:order_id>/dispute-payment",
        payment.SocietyOrderDisputeView.as_view(),
        name="society-order-dispute-payment",
    ),
    path("orders/<uuid:order_id>/pay", payment.SocietyOrderPayView.as_view(), name="society-order-pay"),
    path("society-admin/order-disputes", payment.SocietyOrderDisputesView.as_view(), name="society-order-disputes"),
    path(
        "society-admin/order-disputes/<uuid:dispute_id>/resolve",
        payment.SocietyOrderDisputeResolveView.as_view(),
        name="society-order-dispute-resolve",
    ),
    # ratings (routes of orders.api.ratings)
    path("orders/<uuid:order_id>/rating", ratings.SocietyOrderRatingView.as_view(), name="society-order-rating"),
]
