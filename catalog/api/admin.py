"""Staff catalog endpoints: seed 000's ``/admin/services`` and the staff side of seed 001's categories.

Routed by ``adminpanel.urls`` under ``/api/v1/admin/``. Reads need
``catalog.view_service`` / ``catalog.view_category``; writes the catalog
permissions of ``accounts.roles`` (``_RUN_CATALOG``): ``add_service`` to
create a service, ``change_service`` to change one, ``delete_service`` to
deactivate one, and ``change_category`` for every category write (the matrix
grants no separate ``add_category``; a category is only ever deactivated, so
that is a change too). Writes go through ``catalog.services`` (audited).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from catalog import selectors, services
from catalog import serializers as io
from core.api import paginate, query, valid
from core.errors import DomainError, ErrorCode
from core.permissions import require_perms_by_method
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

TAG = "admin: catalog"
CHANGE_CATEGORY = "catalog.change_category"
CONFLICT = {409: ErrorResponseSerializer}
BAD_QUERY = {400: ErrorResponseSerializer, 422: ErrorResponseSerializer}


def _service_row(service) -> dict:
    return io.AdminServiceOutput(service).data


def _category_row(category) -> dict:
    return io.AdminCategoryOutput(category).data


# --- services ---------------------------------------------------------------------------------


class AdminServicesView(APIView):
    permission_classes = [require_perms_by_method(read="catalog.view_service", write="catalog.add_service")]

    @extend_schema(
        tags=[TAG],
        summary="All services, active or not",
        operation_id="admin_services_list",
        parameters=[
            OpenApiParameter("category", str, description="Category name or key"),
            OpenApiParameter("category_id", int),
            OpenApiParameter("tier", str, description="Minimal, Exclusive or E-Lite"),
            OpenApiParameter("is_active", bool),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int, description="Default 50, at most 100"),
        ],
        responses={200: io.AdminServiceList, **BAD_QUERY},
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.staff_services(**query(io.AdminServicesQuery, request))
        return ApiResponse(paginate(self, request, rows, _service_row, "services", 50))

    @extend_schema(
        tags=[TAG],
        summary="Create a service (its category too, when the name is new)",
        operation_id="admin_services_create",
        request=io.AdminServiceInput,
        responses={201: io.AdminServiceResult, **CONFLICT},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        service = services.service_create(
            data=valid(io.AdminServiceInput, request),
            may_create_category=request.user.has_perm(CHANGE_CATEGORY),
            actor=request.user,
        )
        return ApiResponse({"service": _service_row(service)}, status=201, message="Service created")


class AdminServiceDetailView(APIView):
    permission_classes = [require_perms_by_method(read="catalog.view_service", write="catalog.change_service")]

    @extend_schema(
        tags=[TAG], summary="A service", operation_id="admin_services_retrieve", responses=io.AdminServiceResult
    )
    def get(self, request: Request, service_id) -> ApiResponse:
        return ApiResponse({"service": _service_row(services.service_get(service_id=service_id))})

    @extend_schema(
        tags=[TAG],
        summary="Update a service (only the fields sent)",
        operation_id="admin_services_update",
        request=io.AdminServiceUpdateInput,
        responses={200: io.AdminServiceResult, **CONFLICT},
    )
    def put(self, request: AuthenticatedRequest, service_id) -> ApiResponse:
        service = services.service_update(
            service_id=service_id,
            data=valid(io.AdminServiceUpdateInput, request),
            may_create_category=request.user.has_perm(CHANGE_CATEGORY),
            actor=request.user,
        )
        return ApiResponse({"service": _service_row(service)}, message="Service updated")

    @extend_schema(
        tags=[TAG],
        summary="Update a service (only the fields sent)",
        operation_id="admin_services_partial_update",
        request=io.AdminServiceUpdateInput,
        responses={200: io.AdminServiceResult, **CONFLICT},
    )
    def patch(self, request: AuthenticatedRequest, service_id) -> ApiResponse:
        return self.put(request, service_id)

    @extend_schema(
        tags=[TAG],
        summary="Delete a service: it is deactivated (bookings keep pointing at it)",
        operation_id="admin_services_destroy",
        request=None,
        responses={200: io.AdminServiceResult},
    )
    def delete(self, request: AuthenticatedRequest, service_id) -> ApiResponse:
        if not request.user.has_perm("catalog.delete_service"):
            raise DomainError("You do not have permission to perform this action.", code=ErrorCode.FORBIDDEN)
        service = services.service_deactivate(service_id=service_id, actor=request.user)
        return ApiResponse({"service": _service_row(service)}, message="Service deleted successfully")


# --- categories -------------------------------------------------------------------------------


class AdminCategoriesView(APIView):
    permission_classes = [require_perms_by_method(read="catalog.view_category", write=CHANGE_CATEGORY)]

    @extend_schema(
        tags=[TAG],
        summary="All categories, live or not, with their service counts",
        operation_id="admin_categories_list",
        parameters=[
            OpenApiParameter("is_live", bool),
            OpenApiParameter("search", str, description="Part of the name or key"),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int, description="Default 50, at most 100"),
        ],
        responses={200: io.AdminCategoryList, **BAD_QUERY},
    )
    def get(self, request: Request) -> ApiResponse:
        rows = selectors.staff_categories(**query(io.AdminCategoriesQuery, request))
        return ApiResponse(paginate(self, request, rows, _category_row, "categories", 50))

    @extend_schema(
        tags=[TAG],
        summary="Create a service category",  # seed 001 5.1 fields
        operation_id="admin_categories_create",
        request=io.AdminCategoryInput,
        responses={201: io.AdminCategoryResult, **CONFLICT},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        category = services.category_create(data=valid(io.AdminCategoryInput, request), actor=request.user)
        return ApiResponse(
            {"category": _category_row(selectors.staff_category(category.pk))}, status=201, message="Category created"
        )


class AdminCategoryDetailView(APIView):
    permission_classes = [require_perms_by_method(read="catalog.view_category", write=CHANGE_CATEGORY)]

    @extend_schema(
        tags=[TAG], summary="A category", operation_id="admin_categories_retrieve", responses=io.AdminCategoryResult
    )
    def get(self, request: Request, category_id: int) -> ApiResponse:
        return ApiResponse({"category": _category_row(selectors.staff_category(category_id))})

    @extend_schema(
        tags=[TAG],
        summary="Update a category (only the fields sent)",
        operation_id="admin_categories_update",
        request=io.AdminCategoryUpdateInput,
        responses={200: io.AdminCategoryResult, **CONFLICT},
    )
    def put(self, request: AuthenticatedRequest, category_id: int) -> ApiResponse:
        data = valid(io.AdminCategoryUpdateInput, request)
        services.category_update(category_id=category_id, data=data, actor=request.user)
        return ApiResponse(
            {"category": _category_row(selectors.staff_category(category_id))}, message="Category updated"
        )

    @extend_schema(
        tags=[TAG],
        summary="Update a category (only the fields sent)",
        operation_id="admin_categories_partial_update",
        request=io.AdminCategoryUpdateInput,
        responses={200: io.AdminCategoryResult, **CONFLICT},
    )
    def patch(self, request: AuthenticatedRequest, category_id: int) -> ApiResponse:
        return self.put(request, category_id)

    @extend_schema(
        tags=[TAG],
        summary='Deactivate a category: not live ("Coming Soon"), nothing in it bookable',
        operation_id="admin_categories_destroy",
        request=None,
        responses={200: io.AdminCategoryResult},
    )
    def delete(self, request: AuthenticatedRequest, category_id: int) -> ApiResponse:
        services.category_deactivate(category_id=category_id, actor=request.user)
        return ApiResponse(
            {"category": _category_row(selectors.staff_category(category_id))}, message="Category deactivated"
        )
