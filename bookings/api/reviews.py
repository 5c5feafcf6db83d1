"""Seed 004's reviews: ``POST /reviews``, ``GET /reviews``, ``PUT`` and ``DELETE /reviews/{id}``.

Rules are in ``bookings.services.reviews`` (RV1, RV2, RV4); reads in ``bookings.reviews_selectors``. Requests
take the seed's camelCase (``bookingId``, ``specialistId``, ``customerId``) or snake_case; answers are snake_case
(DESIGN section 2). The list is public (a marketplace shows reviews before sign-in) and names a customer by first
name and last initial only. A new review's answer says the loyalty points it earned (seed's
``loyaltyPointsEarned``: 10 for a booking's first review, 0 when a deleted review is written again).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings import reviews_selectors
from bookings.models import Review
from bookings.services import reviews
from core.api import CamelCaseInput, paginate, query, valid
from core.responses import ApiResponse
from core.schema import NULL_DATA, ErrorResponseSerializer, page_of

TAG = "reviews"
ERRORS = {404: ErrorResponseSerializer, 409: ErrorResponseSerializer, 422: ErrorResponseSerializer}


def _tags() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=10, help_text="Short labels."
    )


class ReviewCreateInput(CamelCaseInput):
    """A review of my completed booking: 1 to 5 stars, a comment and tags; ``bookingId`` is accepted for
    ``booking_id``."""

    ALIASES = {"bookingId": "booking_id"}

    booking_id = serializers.UUIDField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    tags = _tags()


class ReviewUpdateInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    tags = _tags()


class ReviewQuery(CamelCaseInput):
    ALIASES = {"specialistId": "specialist_id", "customerId": "customer_id"}

    specialist_id = serializers.UUIDField(required=False)
    customer_id = serializers.UUIDField(required=False)
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False)


class ReviewOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking_id = serializers.UUIDField()
    customer_id = serializers.UUIDField()
    specialist_id = serializers.UUIDField(source="partner_id", allow_null=True)
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "Review"


class ReviewWrittenOutput(serializers.Serializer):
    review = ReviewOutput()


class ReviewCreatedOutput(ReviewWrittenOutput):
    loyalty_points_earned = serializers.IntegerField(
        help_text="Points this review earned (10 for a booking's first review; 0 after a delete and re-review)."
    )


class ReviewerOutput(serializers.Serializer):
    first_name = serializers.CharField(help_text="The first word of the customer's full name.")
    last_initial = serializers.CharField(help_text='"S." for Smith; empty without a last name.')
    avatar = serializers.CharField(allow_null=True)


class ReviewServiceOutput(serializers.Serializer):
    name = serializers.CharField(allow_null=True)


class ReviewRowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    customer = ReviewerOutput()
    service = ReviewServiceOutput()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class RatingDistributionOutput(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {str(star): serializers.IntegerField() for star in reviews_selectors.STARS}


ReviewsPage = page_of(
    "ReviewsPage",
    "reviews",
    ReviewRowOutput(many=True),
    average_rating=serializers.FloatField(),
    total_reviews=serializers.IntegerField(),
    rating_distribution=RatingDistributionOutput(),
)


def _row(review: Review) -> dict:
    customer = review.customer
    names = customer.full_name.split()  # never the email or phone: the list is public
    first, last = (names[0], names[-1]) if len(names) > 1 else (names[0] if names else "", "")
    return {
        "id": review.id,
        "rating": review.rating,
        "comment": review.comment,
        "tags": review.tags,
        "customer": {
            "first_name": first,
            "last_initial": f"{last[0].upper()}." if last else "",
            "avatar": customer.profile_photo_url,
        },
        "service": {"name": getattr(review, "service_name", None)},
        "created_at": review.created_at,
        "edited_at": review.edited_at,
    }


class ReviewsView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        tags=[TAG],
        summary="Reviews, newest first, with the average and the star breakdown",
        parameters=[
            OpenApiParameter("specialistId", str, description="The reviewed specialist's id."),
            OpenApiParameter("customerId", str, description="The author's id."),
            OpenApiParameter("rating", int, description="Only this many stars (1-5)."),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
        responses={200: ReviewsPage, 422: ErrorResponseSerializer},
    )
    def get(self, request: Request) -> ApiResponse:
        params = query(ReviewQuery, request)
        who = {"specialist_id": params.get("specialist_id"), "customer_id": params.get("customer_id")}
        rows = reviews_selectors.reviews_list(**who, rating=params.get("rating"))
        data = paginate(self, request, rows, _row, "reviews")
        data.update(reviews_selectors.reviews_summary(**who))
        return ApiResponse(data)

    @extend_schema(
        tags=[TAG],
        summary="Review my completed booking, once",
        request=ReviewCreateInput,
        responses={201: ReviewCreatedOutput, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(ReviewCreateInput, request)
        review = reviews.review_create(user=request.user, **data)
        earned = getattr(review, "loyalty_points_earned", 0)  # set by review_create
        body = {"review": ReviewOutput(review).data, "loyalty_points_earned": earned}
        return ApiResponse(body, message="Review submitted", status=201)


class ReviewDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Edit my review within the edit window",
        request=ReviewUpdateInput,
        responses={200: ReviewWrittenOutput, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def put(self, request: AuthenticatedRequest, review_id) -> ApiResponse:
        data = valid(ReviewUpdateInput, request)
        review = reviews.review_update(user=request.user, review_id=review_id, **data)
        return ApiResponse({"review": ReviewOutput(review).data}, message="Review updated")

    @extend_schema(
        tags=[TAG],
        summary="Delete my review",
        responses={200: NULL_DATA, 404: ErrorResponseSerializer},
    )
    def delete(self, request: AuthenticatedRequest, review_id) -> ApiResponse:
        reviews.review_delete(user=request.user, review_id=review_id)
        return ApiResponse(None, message="Review deleted")
