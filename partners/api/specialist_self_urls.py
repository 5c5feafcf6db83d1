"""Routes of issue #19's specialist self-service (seed 004); included by partners/urls.py."""

from django.urls import path

from partners.api import specialists

urlpatterns: list = [
    path("specialists/profile", specialists.SpecialistProfileView.as_view(), name="specialist-self-profile"),
    path("specialists/services", specialists.SpecialistServicesView.as_view(), name="specialist-self-services"),
    path(
        "specialists/services/<uuid:service_id>",
        specialists.SpecialistServiceView.as_view(),
        name="specialist-self-service",
    ),
    path(
        "specialists/availability",
        specialists.SpecialistAvailabilityView.as_view(),
        name="specialist-self-availability",
    ),
    path(
        "specialists/availability/block",
        specialists.SpecialistBlocksView.as_view(),
        name="specialist-self-blocks",
    ),
    path(
        "specialists/availability/block/<uuid:block_id>",
        specialists.SpecialistBlockView.as_view(),
        name="specialist-self-block",
    ),
]
