"""Routes of seed 004's service search (issue #19); included by partners/urls.py.

``catalog.urls`` (included first) has ``services/<uuid:service_id>``, which never matches "search".
"""

from django.urls import path

from partners.api import search

urlpatterns: list = [
    path("services/search", search.ServiceSearchView.as_view(), name="services-search"),
    path("services/categories", search.ServiceCategoriesView.as_view(), name="services-categories"),
]
