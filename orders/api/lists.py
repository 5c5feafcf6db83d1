"""GET /orders: the signed-in person's society orders, for the resident app and the vendor app (issue 17).

The seed has no list of orders; issue 17's apps need one. Readings taken:

* ``role=resident`` lists the orders the caller placed (in every society they live in); ``role=vendor``
  the orders placed with the caller's vendor profile. Without ``role`` a person with a vendor profile
  gets their vendor list and anyone else their resident list: a vendor app calls with no parameter, and
  a vendor who also orders as a resident asks ``role=resident``. ``role=vendor`` without a vendor profile
  is 403 ``FORBIDDEN`` (field ``role``); a resident with no orders yet gets an empty page.
* ``status`` filters on one status or several, comma-separated (``DELIVERED,PAYMENT_RECEIVED``); an
  unknown status is 422 ``VALIDATION_ERROR`` on ``status``.
* Newest first; ``page``/``limit`` as every list (``core.api.paginate``, 20 a page).
* Each row: ``{order_id, order_number, status, vendor{vendor_id, business_name}, resident{full_name,
  flat_number}, pickup_datetime, estimated_price, final_price, item_count, rating, created_at}``.
  ``item_count`` is the approved count once there is one, else the estimated count; ``rating`` is the
  resident's rating of the order (1-5) or null, so the resident app knows what is left to rate; money is
  a JSON number (``final_price`` null until the count is approved).
* One query for the page (the vendor, the resident, the unit and the rating joined), one for the total:
  the number of queries does not depend on the number of orders.

The view is :class:`SocietyOrderListMixin`, meant to sit on ``orders.api.orders.SocietyOrdersView`` (the
``POST /orders`` view) so that both methods share the path. The read is ``orders.selectors.orders_of``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import paginate, query
from core.responses import ApiResponse
from core.schema import page_of
from orders import selectors
from orders.models import Order, OrderRating, OrderStatus

TAGS = ["residents: society orders", "vendors: society orders"]
ROLES = ("resident", "vendor")

if TYPE_CHECKING:
    _ViewBase = APIView
else:
    _ViewBase = object


class SocietyOrderListQuery(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLES, required=False)
    status = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def validate_status(self, value: str) -> list[str]:
        statuses = [part.strip().upper() for part in value.split(",") if part.strip()]
        unknown = [s for s in statuses if s not in OrderStatus.values]
        if unknown:
            raise serializers.ValidationError(f"Unknown order status: {', '.join(unknown)}.")
        return statuses


class SocietyOrderRowVendor(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    business_name = serializers.CharField()


class SocietyOrderRowResident(serializers.Serializer):
    full_name = serializers.CharField()
    flat_number = serializers.CharField()


class SocietyOrderRow(serializers.Serializer):
    order_id = serializers.UUIDField()
    order_number = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    vendor = SocietyOrderRowVendor()
    resident = SocietyOrderRowResident()
    pickup_datetime = serializers.DateTimeField()
    estimated_price = serializers.FloatField()
    final_price = serializers.FloatField(allow_null=True, help_text="Null until the count is approved.")
    item_count = serializers.IntegerField(help_text="The approved count once there is one, else the estimate.")
    rating = serializers.IntegerField(allow_null=True, help_text="The resident's rating of this order, if any.")
    created_at = serializers.DateTimeField()


SocietyOrdersPage = page_of("SocietyOrdersPage", "orders", SocietyOrderRow(many=True))


def _rating(order: Order) -> int | None:
    try:
        return order.rating.rating
    except OrderRating.DoesNotExist:
        return None


def order_row(order: Order) -> dict[str, Any]:
    return {
        "order_id": str(order.pk),
        "order_number": order.order_number,
        "status": order.status,
        "vendor": {"vendor_id": str(order.partner_id), "business_name": order.partner.business_name},
        "resident": {
            "full_name": order.residence.user.full_name,
            "flat_number": order.residence.unit.node_code,
        },
        "pickup_datetime": timezone.localtime(order.pickup_datetime).isoformat(),
        "estimated_price": float(order.estimated_price),
        "final_price": None if order.final_price is None else float(order.final_price),
        "item_count": order.estimated_item_count if order.actual_item_count is None else order.actual_item_count,
        "rating": _rating(order),
        "created_at": timezone.localtime(order.created_at).isoformat(),
    }


# GET of ``/orders`` (put it first among the bases of the view that also answers POST).
class SocietyOrderListMixin(_ViewBase):
    @extend_schema(
        tags=TAGS,
        summary="My society orders: those I placed, or those placed with me as a vendor",
        operation_id="orders_list",
        parameters=[
            OpenApiParameter("role", str, enum=list(ROLES), description="Default: vendor if I am one, else resident"),
            OpenApiParameter("status", str, description="One status or several, comma-separated"),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses=SocietyOrdersPage,
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        params = query(SocietyOrderListQuery, request)
        rows = selectors.orders_of(user=request.user, role=params.get("role"), statuses=params["status"])
        return ApiResponse(paginate(self, request, rows, order_row, "orders"))
