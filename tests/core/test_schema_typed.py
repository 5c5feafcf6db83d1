"""Every 2xx JSON response in the OpenAPI schema has a typed ``data`` (DESIGN.md section 2).

A generated client and a schema fuzzer can only use a response whose payload is
described: ``data`` must be a ``$ref`` to a component with properties, an
object with ``properties`` or typed ``additionalProperties``, a scalar, an enum
(``core.schema.NULL_DATA``: always null, the message says what was done) or an
array of such items; a referenced component is looked into. 204s and file
downloads (non-JSON media types) have no ``data``; any other 2xx without a body
is reported. Issue 15 item 5: "the OpenAPI schema has no untyped success response".
"""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

ENVELOPE_REF = "#/components/schemas/SuccessEnvelope"
SCALARS = {"string", "integer", "number", "boolean"}


def _resolve(schema: dict, components: dict) -> dict | None:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    return components.get(ref.rsplit("/", 1)[1])


def _is_typed(schema: dict | None, components: dict, depth: int = 0) -> bool:
    """Whether ``schema`` describes its shape; ``$ref``s are followed into components."""
    if not schema:
        return False
    resolved = _resolve(schema, components)
    if not resolved:
        return False
    if depth > 3:
        return True
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in resolved:
            parts = resolved[combinator]
            return bool(parts) and all(_is_typed(part, components, depth + 1) for part in parts)
    kind = resolved.get("type")
    if kind in SCALARS or "enum" in resolved:
        return True
    if kind == "array":
        return _is_typed(resolved.get("items"), components, depth + 1)
    if resolved.get("properties"):
        return True
    additional = resolved.get("additionalProperties")
    return isinstance(additional, dict) and _is_typed(additional, components, depth + 1)


def _data_schema(schema: dict) -> dict | None:
    """The ``data`` part of ``allOf: [SuccessEnvelope, {properties: {data: ...}}]``; None if not enveloped."""
    parts = schema.get("allOf") or []
    if not parts or parts[0].get("$ref") != ENVELOPE_REF:
        return None
    for part in parts[1:]:
        data = part.get("properties", {}).get("data")
        if data is not None:
            return data
    return {}


def untyped_operations(schema: dict) -> list[str]:
    components = schema.get("components", {}).get("schemas", {})
    offending = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for code, response in operation.get("responses", {}).items():
                if not code.startswith("2") or code == "204":
                    continue
                content = response.get("content") or {}
                json_media = content.get("application/json")
                if json_media is None:
                    if not content:  # an empty 2xx other than 204 still tells a client nothing
                        offending.append(f"{method.upper()} {path} ({code}: no content)")
                    continue  # file downloads and other media types are fine
                data = _data_schema(json_media.get("schema") or {})
                if data is None:
                    offending.append(f"{method.upper()} {path} ({code}: not enveloped)")
                elif not _is_typed(data, components):
                    offending.append(f"{method.upper()} {path}")
    return sorted(set(offending))


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_every_success_response_has_a_typed_data(schema):
    offending = untyped_operations(schema)

    assert not offending, f"{len(offending)} operations have an untyped 2xx data:\n" + "\n".join(offending)


def test_the_checker_tells_typed_from_untyped():
    components = {
        "Empty": {"type": "object"},
        "Thing": {"type": "object", "properties": {"id": {"type": "integer"}}},
    }

    assert not _is_typed({}, components)
    assert not _is_typed({"type": "object"}, components)
    assert not _is_typed({"$ref": "#/components/schemas/Empty"}, components)
    assert not _is_typed({"type": "array", "items": {}}, components)
    assert not _is_typed({"type": "array", "items": {"$ref": "#/components/schemas/Empty"}}, components)
    assert _is_typed({"$ref": "#/components/schemas/Thing"}, components)
    assert _is_typed({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}, components)
    assert not _is_typed({"type": "object", "additionalProperties": {}}, components)
    assert _is_typed({"type": "object", "additionalProperties": {"type": "string"}}, components)
