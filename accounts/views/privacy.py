"""My personal data (issue #21, seed 000 "GDPR-compliant data handling"): download it, delete my account.

``GET /users/me/data`` answers every app's data about the signed-in person (core.privacy) as a JSON attachment;
``DELETE /users/me`` anonymises the account in place (accounts.services.erasure). Both act on the caller only:
there is no user id in the path, so nobody reads or deletes another person's data here.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

from accounts.authentication import AuthenticatedRequest
from accounts.services import erasure
from accounts.views.common import USERS, SignedInView, valid
from core import privacy
from core.responses import ApiResponse
from core.schema import ErrorResponseSerializer


class AccountDeleteInput(serializers.Serializer):
    confirm = serializers.CharField(help_text='Must be "DELETE".')
    password = serializers.CharField(
        required=False, allow_blank=True, help_text="The account's password, when it has one."
    )


class MyDataView(SignedInView):
    """Download everything the platform holds about me."""

    @extend_schema(
        tags=[USERS],
        operation_id="my_data_export",
        summary="Download my data",
        description=(
            "Profile, addresses, bookings with their items, appointments, society orders, payments and refunds, "
            "reviews, loyalty, notifications, disputes and the messages I wrote, as one JSON attachment."
        ),
        responses={200: inline_serializer("MyDataExport", {"profile": serializers.DictField()})},
    )
    def get(self, request: AuthenticatedRequest) -> ApiResponse:
        data = {"exported_at": timezone.now(), **privacy.export(request.user)}
        response = ApiResponse(data)
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
        response["Cache-Control"] = "no-store"
        return response


class MyAccountView(SignedInView):
    """Delete my account: anonymised in place once nothing is open."""

    @extend_schema(
        tags=[USERS],
        operation_id="my_account_delete",
        summary="Delete my account",
        description=(
            'Send {"confirm": "DELETE"} and, when the account has a password, the password. Refused with 409 '
            "naming each open booking, dispute or society order while any is open (a booking pending payment, "
            "pending, assigned, confirmed or in progress; an order neither closed nor cancelled)."
        ),
        request=AccountDeleteInput,
        responses={
            200: inline_serializer(
                "AccountDeleted", {"deleted": serializers.BooleanField(), "anonymised": serializers.ListField()}
            ),
            400: OpenApiResponse(ErrorResponseSerializer, description="No confirmation sent"),
            409: OpenApiResponse(ErrorResponseSerializer, description="Open bookings or orders"),
            422: OpenApiResponse(ErrorResponseSerializer, description="No confirmation or a wrong password"),
        },
    )
    def delete(self, request: AuthenticatedRequest) -> ApiResponse:
        data = valid(AccountDeleteInput, request).validated_data
        ran = erasure.account_delete(user=request.user, confirm=data["confirm"], password=data.get("password"))
        return ApiResponse({"deleted": True, "anonymised": ran}, message="Your account has been deleted")
