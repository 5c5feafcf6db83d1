from django.urls import include, path

from bookings.api import admin, checkout, customer, reviews

urlpatterns = [
    path("checkout/prepare", checkout.CheckoutPrepareView.as_view(), name="checkout-prepare"),
    path("checkout/confirm", checkout.CheckoutConfirmView.as_view(), name="checkout-confirm"),
    path("bookings", customer.BookingListView.as_view(), name="bookings"),
    path("bookings/<uuid:booking_id>", customer.BookingDetailView.as_view(), name="booking-detail"),
    path("bookings/<uuid:booking_id>/cancel", customer.BookingCancelView.as_view(), name="booking-cancel"),
    path("bookings/<uuid:booking_id>/reschedule", customer.BookingRescheduleView.as_view(), name="booking-reschedule"),
    path("bookings/<uuid:booking_id>/rate", customer.BookingRateView.as_view(), name="booking-rate"),
    path("bookings/<uuid:booking_id>/payment", customer.BookingPaymentView.as_view(), name="booking-payment"),
    path("", include("bookings.photo_urls")),
    path("", include("bookings.signature_urls")),
    path("", include("bookings.dispute_urls")),
    path("reviews", reviews.ReviewsView.as_view(), name="reviews"),
    path("reviews/<uuid:review_id>", reviews.ReviewDetailView.as_view(), name="review-detail"),
    path("dashboard", customer.DashboardView.as_view(), name="dashboard"),
    path("promo-codes/validate", customer.PromoValidateView.as_view(), name="promo-validate"),
    path("contact", customer.ContactView.as_view(), name="contact"),
    path("notifications/appointment-confirmation", admin.ResendConfirmationView.as_view()),
    path("notifications/appointment-reminder", admin.SendReminderView.as_view()),
]
