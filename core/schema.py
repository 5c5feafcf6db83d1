"""OpenAPI: the envelope and the error shape as reusable components.

Every 2xx JSON response in the schema is ``allOf: [SuccessEnvelope, {data: <the
view's schema>}]``, so a generated client sees exactly what is sent. Every
operation also lists the error responses it can really give, each an
``ErrorResponse``: 400 and 422 where there is input (a body, or query
parameters: a bad page number is 400, a value that fails its field 422), 401/403 where
authentication or permission is required, 404 where the path, a query parameter or a body field names an
object by id (``society_id``, ``serviceIds``),
429 where a throttle applies, and 500. Views add their own with
``extend_schema(responses={409: ErrorResponseSerializer})``.

A time of day (``TimeField``) is a string ``HH:MM[:SS[.ffffff]]`` described by a
pattern, not ``format: time``: JSON Schema's ``time`` is RFC 3339's full-time,
which needs a UTC offset that DRF never writes ("10:00:00"), so a validating
client (or the schema fuzzer in tests/fuzz) rejected every time we send.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class SuccessEnvelopeSerializer(serializers.Serializer):
    success = serializers.BooleanField(help_text="Always true.")
    data = serializers.JSONField(allow_null=True, help_text="The endpoint's payload.")  # type: ignore[assignment]  # a field named like a Serializer attribute (the metaclass moves it)
    message = serializers.CharField(required=False, help_text="Optional human-readable message.")

    class Meta:
        ref_name = "SuccessEnvelope"


class ErrorDetailsSerializer(serializers.Serializer):
    field = serializers.CharField(required=False, help_text="The request field at fault.")
    reason = serializers.CharField(required=False, help_text="A short snake_case reason.")
    context = serializers.DictField(required=False, help_text="Recovery data; every field's errors when several.")  # type: ignore[assignment]  # a field named like a Serializer attribute (the metaclass moves it)

    class Meta:
        ref_name = "ErrorDetails"


class ErrorMetadataSerializer(serializers.Serializer):
    timestamp = serializers.DateTimeField()
    request_id = serializers.CharField(help_text="Also sent as the X-Request-ID header.")
    retry_after_seconds = serializers.IntegerField(required=False, help_text="On 429 only.")

    class Meta:
        ref_name = "ErrorMetadata"


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable SCREAMING_SNAKE_CASE code.")
    message = serializers.CharField(help_text="Human-readable, actionable message.")
    details = ErrorDetailsSerializer()
    metadata = ErrorMetadataSerializer()

    class Meta:
        ref_name = "Error"


class ErrorResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField(help_text="Always false.")
    error = ErrorSerializer()

    class Meta:
        ref_name = "ErrorResponse"


class PaginationSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total = serializers.IntegerField()
    total_pages = serializers.IntegerField()

    class Meta:
        ref_name = "Pagination"


def page_of(name: str, key: str, item: serializers.Field, **extra: serializers.Field) -> serializers.Serializer:
    """The data of a ``core.api.paginate`` list: ``{key: [item, ...], "pagination": Pagination, **extra}``.

    ``item`` is a field or serializer instance with ``many=True`` (``page_of("UsersPage", "users", Row(many=True))``);
    ``extra`` names the keys a view adds beside the page (``unread_count=serializers.IntegerField()``).
    """
    return inline_serializer(name, {key: item, "pagination": PaginationSerializer(), **extra})


# ``data`` of a 200 that answers only with the envelope's ``message`` (``ApiResponse(None, message=...)``).
NULL_DATA = {
    "type": "object",
    "nullable": True,
    "enum": [None],
    "description": "Always null: the envelope's message says what was done.",
}


ERROR_DESCRIPTIONS = {
    "400": "INVALID_REQUEST: malformed body or parameters, or a required field missing",
    "401": "UNAUTHORIZED (or TOKEN_EXPIRED): authentication required",
    "403": "FORBIDDEN: not allowed for this user",
    "404": "NOT_FOUND",
    "422": "VALIDATION_ERROR or a business-rule code",
    "429": "RATE_LIMIT_EXCEEDED: see metadata.retry_after_seconds and Retry-After",
    "500": "INTERNAL_SERVER_ERROR",
}


# ``HH:MM``, ``HH:MM:SS`` or ``HH:MM:SS.ffffff``: what DRF's TimeField writes and reads.
TIME_OF_DAY_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


_ID_NAME = re.compile(r"(_id|_ids|Id|Ids)$")


class EnvelopeAutoSchema(AutoSchema):
    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> dict:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            schema = {key: value for key, value in schema.items() if key != "format"}
            schema["pattern"] = TIME_OF_DAY_PATTERN
        return schema

    def _get_paginator(self) -> Any:
        paginator = super()._get_paginator()
        if paginator is not None:
            self.resolve_serializer(PaginationSerializer, "response")  # registers the Pagination component
            paginator.items_key = getattr(self.view, "pagination_items_key", paginator.items_key)
        return paginator

    def _get_response_for_code(
        self, serializer: Any, status_code: str, media_types: Any = None, direction: Any = "response"
    ) -> dict:
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if status_code.startswith("2") and "content" in response:
            envelope = self.resolve_serializer(SuccessEnvelopeSerializer, "response").ref
            for media in response["content"].values():
                if "schema" in media:
                    media["schema"] = {
                        "allOf": [envelope, {"type": "object", "properties": {"data": media["schema"]}}],
                    }
        return response

    def _default_error_codes(self) -> list[str]:
        codes = []
        has_body = self.method in ("POST", "PUT", "PATCH")
        has_query = any(parameter.get("in") == "query" for parameter in self._get_parameters())
        if has_body or has_query or self._get_paginator() is not None or self.get_filter_backends():
            codes.append("400")
        permissions = self.view.get_permissions() if hasattr(self.view, "get_permissions") else []
        if any(not isinstance(permission, AllowAny) for permission in permissions):
            codes += ["401", "403"]
        if "{" in self.path or self._names_an_object(has_body):
            codes.append("404")
        if has_body or has_query:
            codes.append("422")
        if hasattr(self.view, "get_throttles") and self.view.get_throttles():
            codes.append("429")
        codes.append("500")
        return codes

    def _names_an_object(self, has_body: bool) -> bool:
        """A query parameter or body field that names an object by id (``society_id``, ``serviceIds``...): when
        there is no such object the answer is 404 (found by the schema fuzzer, one endpoint at a time)."""
        names = [parameter.get("name", "") for parameter in self._get_parameters() if parameter.get("in") == "query"]
        if has_body:
            serializer = force_instance(self.get_request_serializer())
            serializer = getattr(serializer, "child", serializer)
            names += list(getattr(serializer, "fields", {}))
        return any(_ID_NAME.search(name) for name in names)

    def _get_response_bodies(self, direction: Any = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code in self._default_error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorResponseSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses


class InternalTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI: the internal APIs' service token (``core.internal``) is a bearer token of its own."""

    target_class = "core.internal.InternalTokenAuthentication"
    name = "internalServiceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "INTERNAL_API_TOKEN (a service token, not a JWT)"}
