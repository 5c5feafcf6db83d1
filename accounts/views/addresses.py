"""User addresses (seed 000): list (seed 002: ``?is_default=true|false``), create, update, delete, set default."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema

from accounts import selectors
from accounts import serializers as io
from accounts.authentication import AuthenticatedRequest
from accounts.services import addresses as address_services
from accounts.views.common import ADDRESSES, SignedInView, valid
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import NULL_DATA, ErrorResponseSerializer

# --- addresses -----------------------------------------------------------------------------------------


class AddressListView(SignedInView):
    @extend_schema(
        tags=[ADDRESSES],
        summary="My addresses",
        parameters=[OpenApiParameter("is_default", bool, description="Only my default address (true) or the others")],
        responses={200: io.AddressOutput(many=True), 422: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        rows = selectors.addresses_of(request.user)
        flag = request.query_params.get("is_default", request.query_params.get("isDefault"))
        if flag is not None:  # seed 002's filter
            if flag.lower() not in ("true", "false", "1", "0"):
                raise DomainError(
                    "is_default is true or false.",
                    code=ErrorCode.VALIDATION_ERROR,
                    field="is_default",
                    reason="invalid",
                )
            rows = rows.filter(is_default=flag.lower() in ("true", "1"))
        return ApiResponse(io.AddressOutput(rows, many=True).data)

    @extend_schema(
        tags=[ADDRESSES], summary="Add an address", request=io.AddressInput, responses={201: io.AddressOutput}
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(io.AddressInput, request).validated_data
        address = address_services.address_create(user=request.user, data=data)
        return ApiResponse(io.AddressOutput(address).data, message="Address added", status=201)


class AddressDetailView(SignedInView):
    @extend_schema(tags=[ADDRESSES], summary="Update an address", request=io.AddressInput, responses=io.AddressOutput)
    def put(self, request: AuthenticatedRequest, address_id) -> ApiResponse:
        partial = request.method == "PATCH"
        data = valid(io.AddressInput, request, partial=partial).validated_data
        address = address_services.address_update(user=request.user, address_id=address_id, data=data)
        return ApiResponse(io.AddressOutput(address).data, message="Address updated")

    @extend_schema(
        tags=[ADDRESSES], summary="Update part of an address", request=io.AddressInput, responses=io.AddressOutput
    )
    def patch(self, request: AuthenticatedRequest, address_id) -> ApiResponse:
        return self.put(request, address_id)

    @extend_schema(tags=[ADDRESSES], summary="Delete an address", responses={200: NULL_DATA})
    def delete(self, request: AuthenticatedRequest, address_id) -> ApiResponse:
        address_services.address_delete(user=request.user, address_id=address_id)
        return ApiResponse(None, message="Address deleted successfully")


class AddressSetDefaultView(SignedInView):
    @extend_schema(tags=[ADDRESSES], summary="Make an address the default", request=None, responses=io.AddressOutput)
    def patch(self, request: AuthenticatedRequest, address_id) -> ApiResponse:
        address = address_services.address_set_default(user=request.user, address_id=address_id)
        return ApiResponse(io.AddressOutput(address).data, message="Default address updated")

    post = patch
