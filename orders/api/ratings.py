"""POST /orders/{order_id}/rating: the resident rates a delivered order once (issue 17; seed 001 5.3 shows it).

``orders.services.ratings`` holds the rules (who, when, once, the vendor's average). Here: ``rating`` is a
whole number 1-5 (422 ``VALIDATION_ERROR`` on ``rating`` otherwise, 400 when missing) and ``review`` is
optional text of at most 2000 characters. The 201 answer is the rating with the vendor's new average
(``avg_rating``, a JSON number to 2 places) and ``total_ratings``, as 5.2/5.3 will show them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from core.api import valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer
from orders.services import ratings as service

TAG = "residents: society orders"
REVIEW_MAX = 2000


class SocietyOrderRatingInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    review = serializers.CharField(required=False, allow_blank=True, max_length=REVIEW_MAX, default="")


class SocietyOrderRatingVendor(serializers.Serializer):
    vendor_id = serializers.UUIDField()
    avg_rating = serializers.FloatField(help_text="The vendor's average over all its ratings, to 2 places.")
    total_ratings = serializers.IntegerField()


class SocietyOrderRatingOutput(serializers.Serializer):
    rating_id = serializers.UUIDField()
    order_id = serializers.UUIDField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    review = serializers.CharField()
    created_at = serializers.DateTimeField()
    vendor = SocietyOrderRatingVendor()


def rated_payload(rated: service.Rated) -> dict[str, Any]:
    made = rated.rating
    return {
        "rating_id": str(made.pk),
        "order_id": str(made.order_id),
        "rating": made.rating,
        "review": made.review,
        "created_at": timezone.localtime(made.created_at).isoformat(),
        "vendor": {
            "vendor_id": str(made.partner_id),
            "avg_rating": float(rated.avg_rating),
            "total_ratings": rated.total_ratings,
        },
    }


class SocietyOrderRatingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Rate the vendor of my delivered order (once)",
        request=SocietyOrderRatingInput,
        responses={201: SocietyOrderRatingOutput, 409: ErrorResponseSerializer},
    )
    def post(self, request: AuthenticatedRequest, order_id: Any) -> ApiResponse:
        data = valid(SocietyOrderRatingInput, request)
        rated = service.order_rate(user=request.user, order_id=order_id, rating=data["rating"], review=data["review"])
        return ApiResponse(rated_payload(rated), message="Thank you for rating this order", status=201)
