"""Routes of issue #18 (patient_urls); included by partners/urls.py."""

from django.urls import path  # noqa: F401 (routes come with the slice)

urlpatterns: list = []
