"""Seed 002's booking photos: ``GET``/``POST /bookings/{id}/photos``, the aliases ``GET /photos?booking=`` and
``POST /photos``, and ``DELETE /photos/{id}``.

Rules are in ``bookings.services.photos`` (P2-P4); reads in ``bookings.photo_selectors`` (P1). Uploads are
multipart (``booking`` (on ``/photos``), ``image_type``, ``image``, ``description``; ``imageType`` is accepted
too). ``image`` and ``thumbnail`` are absolute URLs. Someone who may not read the booking gets 404.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import AuthenticatedRequest
from bookings import photo_selectors
from bookings.models import BookingPhoto, PhotoType
from bookings.services import photos
from core.api import CamelCaseInput, query, valid
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer

TAG = "booking photos"
ERRORS = {403: ErrorResponseSerializer, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer}


class PhotoUploadInput(CamelCaseInput):
    """A photo of the job: ``before`` or ``after``, a JPEG, PNG or WebP image and an optional description."""

    ALIASES = {"imageType": "image_type"}

    image_type = serializers.ChoiceField(choices=PhotoType.choices)
    image = serializers.FileField(help_text="JPEG, PNG or WebP; its metadata (EXIF location...) is not kept.")
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BookingPhotoUploadInput(PhotoUploadInput):
    """The same, naming the booking (``POST /photos``)."""

    booking = serializers.UUIDField(help_text="The booking's id.")


class PhotoQuery(serializers.Serializer):
    booking = serializers.UUIDField(help_text="The booking's id.")


class PhotoOutput(serializers.Serializer):
    id = serializers.UUIDField()
    booking = serializers.UUIDField(help_text="The booking's id.")
    image = serializers.CharField(help_text="Absolute URL of the stored image.")
    thumbnail = serializers.CharField(allow_null=True, help_text="Absolute URL of a small copy.")
    image_type = serializers.ChoiceField(choices=PhotoType.choices)
    description = serializers.CharField()
    uploaded_by = serializers.UUIDField(allow_null=True, help_text="The user who added it.")
    uploaded_at = serializers.DateTimeField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    class Meta:
        ref_name = "BookingPhoto"


class PhotoListOutput(serializers.Serializer):
    count = serializers.IntegerField()
    results = PhotoOutput(many=True)

    class Meta:
        ref_name = "BookingPhotoList"


def _row(request: Request, photo: BookingPhoto) -> dict:
    return {
        "id": photo.id,
        "booking": photo.booking_id,
        "image": request.build_absolute_uri(photo.image.url),
        "thumbnail": request.build_absolute_uri(photo.thumbnail.url) if photo.thumbnail else None,
        "image_type": photo.image_type,
        "description": photo.description,
        "uploaded_by": photo.uploaded_by_id,
        "uploaded_at": photo.created_at,
        "width": photo.width,
        "height": photo.height,
    }


def _list(request: AuthenticatedRequest, booking_id) -> ApiResponse:
    rows = [_row(request, photo) for photo in photo_selectors.booking_photos(user=request.user, booking_id=booking_id)]
    return ApiResponse(PhotoListOutput({"count": len(rows), "results": rows}).data)


def _upload(request: AuthenticatedRequest, booking_id, data: dict) -> ApiResponse:
    photo = photos.photo_upload(
        actor=request.user,
        booking_id=booking_id,
        image_type=data["image_type"],
        upload=data["image"],
        description=data["description"],
    )
    return ApiResponse(PhotoOutput(_row(request, photo)).data, message="Photo added", status=201)


class BookingPhotosView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="A booking's photos, before and after the job",
        responses={200: PhotoListOutput, 404: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        return _list(request, booking_id)

    @extend_schema(
        tags=[TAG],
        summary="Add a photo of the job (the partner on it, or staff)",
        request={"multipart/form-data": PhotoUploadInput},
        responses={201: PhotoOutput, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest, booking_id) -> ApiResponse:
        return _upload(request, booking_id, valid(PhotoUploadInput, request))


class PhotosView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        operation_id="photos_by_booking",
        summary="A booking's photos (the booking named in the query)",
        parameters=[OpenApiParameter("booking", str, required=True, description="The booking's id.")],
        responses={200: PhotoListOutput, 404: ErrorResponseSerializer, 422: ErrorResponseSerializer},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        return _list(request, query(PhotoQuery, request)["booking"])

    @extend_schema(
        tags=[TAG],
        operation_id="photos_add",
        summary="Add a photo of the job, naming the booking",
        request={"multipart/form-data": BookingPhotoUploadInput},
        responses={201: PhotoOutput, **ERRORS},
    )
    def post(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(BookingPhotoUploadInput, request)
        return _upload(request, data["booking"], data)


class PhotoDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Delete a photo (its uploader or staff), until the customer signs the job off",
        responses={204: None, **ERRORS},
    )
    def delete(self, request: AuthenticatedRequest, photo_id) -> ApiResponse:
        photos.photo_delete(actor=request.user, photo_id=photo_id)
        return ApiResponse(status=204)
