"""Small views that exercise the API plumbing (envelope, errors, pagination) for the tests."""

from django.http import Http404
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.views import APIView

from accounts.models import User
from core.errors import DomainError, ErrorCode
from core.responses import ApiResponse
from core.throttles import AnonRateThrottle


class EchoInput(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    age = serializers.IntegerField(min_value=0)


class EchoView(APIView):
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def post(self, request):
        data = EchoInput(data=request.data)
        data.is_valid(raise_exception=True)
        return ApiResponse(data.validated_data, message="Echoed", status=201)

    def delete(self, request):
        return ApiResponse(status=204)


class BoomView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("secret internal detail")


class MissingView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise Http404("no such thing")


class DomainErrorView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise DomainError(
            "You are not registered in the specified society",
            code=ErrorCode.NOT_FOUND,
            field="society_id",
            reason="not_registered",
            context={"available_societies": [{"society_id": 1}]},
        )


class PrivateView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return ApiResponse({"user": str(request.user.pk)})


class Never(BasePermission):
    def has_permission(self, request, view):
        return False


class ForbiddenView(APIView):
    permission_classes = [Never]
    authentication_classes: list = []

    def get(self, request):
        return ApiResponse({})


class OnePerDay(AnonRateThrottle):
    rate = "1/day"
    scope = "test-one-per-day"


class ThrottledView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [OnePerDay]

    def get(self, request):
        return ApiResponse({"ok": True})


class UserRow(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email"]


class UserListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []
    serializer_class = UserRow
    queryset = User.objects.order_by("email")
    pagination_items_key = "users"
    pagination_default_limit = 5
