from django.urls import path

from catalog import views
from catalog.api import workflow

urlpatterns = [
    path("services/catalog", views.CatalogView.as_view(), name="services-catalog"),
    path("services/<uuid:service_id>", views.ServiceDetailView.as_view(), name="service-detail"),
    path("services/<uuid:service_id>/workflow", workflow.ServiceWorkflowView.as_view(), name="service-workflow"),
    path("categories", views.CategoriesView.as_view(), name="categories"),
]
