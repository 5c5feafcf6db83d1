from django.urls import path

from bookings import views

urlpatterns = [
    path("promo-codes/validate", views.PromoValidateView.as_view(), name="promo-validate"),
    path("contact", views.ContactView.as_view(), name="contact"),
]
