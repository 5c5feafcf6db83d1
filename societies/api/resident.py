"""Seed 001 2.1: the roster check, society search, resident registration, switching society, residences.

Search is public (a person looks for their society before registering); the
rest act on the signed-in person (verify-otp signed them in), so the roster
is only ever read for the caller's own verified phone (see
``societies.services.residents``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from accounts.services.profile import own_phone
from accounts.services.tokens import tokens_issue
from core.api import query, valid
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from core.types import Id
from societies import selectors
from societies.api import schemas as out
from societies.api.common import residences_payload, society_row, yourself
from societies.api.serializers import CheckRosterInput, ResidentRegisterInput, SearchQuery, SwitchInput
from societies.models import ApprovalStatus
from societies.services import residents

TAG = "societies: residents"


class CheckRosterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Find my phone on society rosters",
        request=CheckRosterInput,
        responses=out.CheckRosterOutput,
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(CheckRosterInput, request)
        phone = own_phone(request.user, data.get("phone"))
        entries = list(residents.roster_entries(phone))
        above = selectors.ancestors_of(e.unit for e in entries)
        rows = [
            {
                "society_id": e.society_id,
                "society_name": e.society.name,
                "society_type": e.society.society_type,
                "address": e.society.address,
                "city": e.society.city,
                "unit_node_id": e.unit_id,
                "unit_type": e.society.unit_type,
                **selectors.place(e.unit, above, e.society.unit_type),
                "suggested_name": e.suggested_name,
                "is_primary": e.is_primary,
                "notes": e.notes,
            }
            for e in entries
        ]
        body: dict[str, Any] = {
            "found_in_roster": bool(rows),
            "has_multiple_societies": len({r["society_id"] for r in rows}) > 1,
            "residences": rows,
        }
        if not rows:
            body["message"] = "Phone number not found in any society roster. Please search and select your society."
        elif body["has_multiple_societies"]:
            body["message"] = "Multiple residences found. Please select which society to use as primary."
        return ApiResponse(body)


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="Search societies",
        parameters=[
            OpenApiParameter("q", str, required=True, description="At least 2 characters: name, address or pincode"),
            OpenApiParameter("city", str),
            OpenApiParameter("society_type", str, enum=["APARTMENT", "LAYOUT"]),
            OpenApiParameter("limit", int, description="Default 10, at most 50"),
        ],
        responses=out.SearchOutput,
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(SearchQuery, request)
        found = selectors.society_search(**params)
        body = {"societies": [society_row(s) for s in found], "total_results": len(found), "query": params["q"]}
        if not found:
            body["message"] = (
                f"No societies found matching '{params['q']}'. Please check the spelling or contact support."
            )
        return ApiResponse(body)


def _user_row(request: AuthenticatedRequest) -> dict:
    user = request.user
    verified = user.residences.filter(verification_status=ApprovalStatus.VERIFIED).exists()
    return {
        "user_id": str(user.pk),
        "phone": user.phone,
        "full_name": user.full_name,
        "email": user.email,
        "user_type": "RESIDENT",
        "is_verified": verified,
    }


class RegisterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Register as a resident (first society, or an additional one)",
        request=ResidentRegisterInput,
        responses={
            201: out.RegisterOutput,
            200: out.RegisterOutput,
            404: OpenApiResponse(ErrorResponseSerializer, description="No such society or unit"),
        },
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(ResidentRegisterInput, request)
        claimed = data.get("temp_user_id") or data.get("user_id")
        if claimed is not None and str(claimed) != str(request.user.pk):
            raise DomainError(
                "You can only register yourself.", code=ErrorCode.FORBIDDEN, field="user_id", reason="not_yours"
            )
        _, kind = residents.residence_register(user=request.user, data=data)
        payload = residences_payload(request.user)
        if kind == residents.ADDITIONAL:
            body = {k: payload[k] for k in ("user_id", "residences", "active_society")}
            return ApiResponse(body, message="Additional society added successfully")
        body = {
            "user": _user_row(request),
            "residences": payload["residences"],
            "active_society": payload["active_society"],
            "tokens": {
                k: v
                for k, v in tokens_issue(user=request.user).items()
                if k in ("access_token", "refresh_token", "expires_in")
            },
        }
        if kind == residents.PENDING:
            body["next_steps"] = {
                "message": "Your registration is pending society admin approval",
                "estimated_time": "24 hours",
                "can_browse": True,
                "can_place_orders": False,
            }
            return ApiResponse(body, status=201, message="Registration submitted for verification")
        return ApiResponse(body, status=201, message="Registration successful")


class SwitchSocietyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Switch my active society", request=SwitchInput, responses=out.SwitchOutput)
    def post(self, request: AuthenticatedRequest, user_id: Id) -> ApiResponse:
        user = yourself(request, user_id)
        if user.pk != request.user.pk:
            raise DomainError("You can only switch your own society.", code=ErrorCode.FORBIDDEN, reason="not_yours")
        data = valid(SwitchInput, request)
        target, previous = residents.residence_switch(user=user, society_id=data["society_id"])
        society = target.society
        place = selectors.place(target.unit, selectors.ancestors_of([target.unit]), target.unit_type)
        vendors = selectors.vendors_serving(society, target.unit)
        return ApiResponse(
            {
                "user_id": str(user.pk),
                "previous_society": {"society_id": previous.society_id, "society_name": previous.society.name}
                if previous is not None
                else None,
                "active_society": {
                    "society_id": society.pk,
                    "society_name": society.name,
                    "society_type": society.society_type,
                    "address": society.address,
                    "city": society.city,
                },
                "residence": {
                    "resident_id": str(target.pk),
                    "unit_type": target.unit_type,
                    **{k: v for k, v in place.items() if k in ("flat_number", "house_number", "floor")},
                    "verification_status": target.verification_status,
                },
                "available_vendors": vendors.count(),
                "active_categories": selectors.categories_of(vendors),
            },
            message="Active society switched successfully",
        )


class ResidencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="My residences", responses=out.ResidencesOutput)
    def get(self, request: AuthenticatedRequest, user_id: Id) -> ApiResponse:
        return ApiResponse(residences_payload(yourself(request, user_id)))
