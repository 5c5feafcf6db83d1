"""Seed 001 7.1: GET /services/{service_id}/workflow, a service's workflow steps (public, seed C20).

* The service's default template (``catalog.workflows``), else its first template; its steps in order.
* An unknown service, or one with no template yet, is 404 ``NOT_FOUND`` on ``service_id`` (reasons
  ``not_found`` and ``no_workflow``). Reading never creates a template: a service gets its default when
  the demo data is seeded or when it is first ordered.
* Any service, active or not: orders placed before a service was withdrawn still run on its steps.
* Three queries whatever the number of steps (the service, the template, its steps).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from catalog import selectors
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from core.views import PublicAPIView

TAG = "catalog"


class ServiceWorkflowStep(serializers.Serializer):
    step_id = serializers.IntegerField()
    step_name = serializers.CharField()
    step_key = serializers.CharField()
    step_order = serializers.IntegerField()
    is_required = serializers.BooleanField()
    requires_photo = serializers.BooleanField()
    estimated_duration_minutes = serializers.IntegerField()
    order_status_on_complete = serializers.CharField()


class ServiceWorkflowTemplate(serializers.Serializer):
    template_id = serializers.IntegerField()
    template_name = serializers.CharField()
    is_default = serializers.BooleanField()
    steps = ServiceWorkflowStep(many=True)


class ServiceWorkflowService(serializers.Serializer):
    service_id = serializers.UUIDField()
    service_name = serializers.CharField()
    service_key = serializers.CharField()


class ServiceWorkflowOutput(serializers.Serializer):
    service = ServiceWorkflowService()
    workflow = ServiceWorkflowTemplate()


def _missing(message: str, reason: str) -> DomainError:
    return DomainError(message, code=ErrorCode.NOT_FOUND, field="service_id", reason=reason)


def service_workflow(service_id: UUID) -> dict[str, Any]:
    service = selectors.service_with_workflows(service_id)
    if service is None:
        raise _missing("Service not found.", "not_found")
    templates = list(service.workflow_templates.all())
    if not templates:
        raise _missing("This service has no workflow yet.", "no_workflow")
    template = templates[0]
    return {
        "service": {"service_id": str(service.pk), "service_name": service.name, "service_key": service.service_key},
        "workflow": {
            "template_id": template.pk,
            "template_name": template.name,
            "is_default": template.is_default,
            "steps": [
                {
                    "step_id": step.pk,
                    "step_name": step.step_name,
                    "step_key": step.step_key,
                    "step_order": step.step_order,
                    "is_required": step.is_required,
                    "requires_photo": step.requires_photo,
                    "estimated_duration_minutes": step.estimated_duration_minutes,
                    "order_status_on_complete": step.order_status_on_complete,
                }
                for step in template.steps.all()
            ],
        },
    }


class ServiceWorkflowView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="A service's workflow steps, in order: what the vendor does for each order of it",  # seed 001 7.1
        responses={200: ServiceWorkflowOutput, 404: ErrorResponseSerializer},
    )
    def get(self, request: Request, service_id: UUID) -> ApiResponse:
        return ApiResponse(service_workflow(service_id))
