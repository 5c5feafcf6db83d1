from django.urls import path

from bookings import views

urlpatterns = [
    path("checkout/prepare", views.CheckoutPrepareView.as_view(), name="checkout-prepare"),
    path("checkout/confirm", views.CheckoutConfirmView.as_view(), name="checkout-confirm"),
    path("bookings", views.BookingListView.as_view(), name="bookings"),
    path("bookings/<uuid:booking_id>", views.BookingDetailView.as_view(), name="booking-detail"),
    path("bookings/<uuid:booking_id>/cancel", views.BookingCancelView.as_view(), name="booking-cancel"),
    path("bookings/<uuid:booking_id>/reschedule", views.BookingRescheduleView.as_view(), name="booking-reschedule"),
    path("bookings/<uuid:booking_id>/rate", views.BookingRateView.as_view(), name="booking-rate"),
    path("dashboard", views.DashboardView.as_view(), name="dashboard"),
    path("promo-codes/validate", views.PromoValidateView.as_view(), name="promo-validate"),
    path("contact", views.ContactView.as_view(), name="contact"),
    path("notifications/appointment-confirmation", views.ResendConfirmationView.as_view()),
    path("notifications/appointment-reminder", views.SendReminderView.as_view()),
]
