"""Seed 001 3.1.6-3.1.8: a society's hierarchy, adding a node, and finding units.

Reading the tree and the units needs a signed-in person (a resident picks
their unit while registering); adding a node needs the permission on that
society (its society admin, or platform staff).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import query, valid
from core.errors import DomainError
from core.responses import ApiResponse
from societies import selectors
from societies.api import schemas as out
from societies.api.common import seed001_page
from societies.api.serializers import HierarchyQuery, NodeInput, UnitsQuery
from societies.errors import SocietyErrorCode
from societies.models import HierarchyNode
from societies.scope import society_for_staff, society_or_404
from societies.services import setup

TAG = "societies: hierarchy"


class HierarchyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="The society's tree",
        parameters=[OpenApiParameter("include_inactive", bool), OpenApiParameter("node_types", str)],
        responses=out.HierarchyOutput,
    )
    def get(self, request: Request, society_id: int) -> ApiResponse:
        society = society_or_404(society_id)
        params = query(HierarchyQuery, request)
        root = selectors.hierarchy(
            society, include_inactive=params["include_inactive"], node_types=params.get("node_types") or ()
        )
        return ApiResponse({"society_id": society.pk, "society_name": society.name, "root_node": root})


class NodesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Add a node", request=NodeInput, responses={201: out.NodeCreatedOutput})
    def post(self, request: AuthenticatedRequest, society_id: int) -> ApiResponse:
        society = society_for_staff(request.user, society_id, "societies.add_hierarchynode")
        node = setup.node_create(society=society, data=dict(valid(NodeInput, request)))
        return ApiResponse(
            {
                **selectors.node_row(node),
                "society_id": society.pk,
                "description": node.description,
                "created_at": node.created_at,
            },
            status=201,
            message="Hierarchy node created successfully",
        )


class UnitsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Units, with their ancestors and full path",
        parameters=[
            OpenApiParameter("search", str, description="Unit code or name"),
            OpenApiParameter("parent_node_id", int, description="Only the units beneath this node"),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses=out.UnitsPage,
    )
    def get(self, request: Request, society_id: int) -> ApiResponse:
        society = society_or_404(society_id)
        params = query(UnitsQuery, request)
        parent = None
        if params.get("parent_node_id"):
            parent = HierarchyNode.objects.filter(pk=params["parent_node_id"], society=society).first()
            if parent is None:
                raise DomainError(
                    "The node is not in this society.", code=SocietyErrorCode.NODE_NOT_FOUND, field="parent_node_id"
                )
        rows = selectors.units(society, search=params["search"], parent=parent)
        page = seed001_page(self, request, rows, lambda unit: unit, "units")
        page["units"] = selectors.units_page(page["units"])
        return ApiResponse(page)
