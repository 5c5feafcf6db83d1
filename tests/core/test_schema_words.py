"""The OpenAPI schema reads as documentation for the people who use the API (issue 22, "API docs in the users'
words"): no public text names a seed (the specifications the project started from; maintainers keep those
references in code comments and docs/), every operation has a summary, every tag used has a one-line
description, and the info block points to the README.

Public text is every ``summary``, ``description`` and ``title`` anywhere in the schema (operations,
parameters, request bodies, responses, components and their fields, enum descriptions, the info block) and
every tag name. drf-spectacular takes a view's or serializer's docstring as its description, so those count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

SEED = re.compile(r"\bseeds?\b", re.IGNORECASE)
TEXT_KEYS = ("summary", "description", "title")
METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


def _texts_in(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every ``summary``/``description``/``title`` string under ``node``, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                yield where, value
            elif key == "properties" and isinstance(value, dict):
                for name, field in value.items():
                    yield from _texts_in(field, f"{where}.{name}")
            else:
                yield from _texts_in(value, where)
    elif isinstance(node, list):
        for item in node:
            yield from _texts_in(item, where)


def operations(schema: dict) -> Iterator[tuple[str, dict]]:
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHODS and isinstance(operation, dict):
                yield f"{method.upper()} {path}", operation


def public_texts(schema: dict) -> Iterator[tuple[str, str]]:
    """(where, text) for every public text of the schema: ``where`` names the operation or component."""
    yield from _texts_in(schema.get("info", {}), "info")
    yield from _texts_in(schema.get("externalDocs", {}), "externalDocs")
    for tag in schema.get("tags", []):
        yield "tags list", str(tag.get("name", ""))
        yield from _texts_in(tag, f"tag {tag.get('name')!r}")
    for where, operation in operations(schema):
        for tag in operation.get("tags", []):
            yield f"{where} (tag)", tag
        yield from _texts_in(operation, where)
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        yield from _texts_in(component, f"component {name}")
    for kind in ("parameters", "responses", "requestBodies", "securitySchemes"):
        for name, component in schema.get("components", {}).get(kind, {}).items():
            yield from _texts_in(component, f"{kind} {name}")


def seed_mentions(schema: dict) -> list[str]:
    return sorted({f"{where}: {text!r}" for where, text in public_texts(schema) if SEED.search(text)})


def tags_without_description(schema: dict) -> list[str]:
    described = {tag["name"] for tag in schema.get("tags", []) if str(tag.get("description", "")).strip()}
    used = {tag for _, operation in operations(schema) for tag in operation.get("tags", [])}
    return sorted(used - described)


def operations_without_summary(schema: dict) -> list[str]:
    return sorted(where for where, operation in operations(schema) if not str(operation.get("summary", "")).strip())


def links_readme(schema: dict) -> bool:
    docs = schema.get("externalDocs") or {}
    return "README.md" in str(docs.get("url", "")) or "README.md" in str(schema.get("info", {}).get("description"))


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


# --- the schema as served -----------------------------------------------------------------------------------


def test_no_public_text_names_a_seed(schema):
    found = seed_mentions(schema)

    assert not found, f"{len(found)} public texts name a seed (say it in the users' words):\n" + "\n".join(found)


def test_every_tag_used_has_a_description(schema):
    missing = tags_without_description(schema)

    assert not missing, "tags used without a line in SPECTACULAR_SETTINGS['TAGS'] (config/settings/openapi.py): " + (
        ", ".join(repr(tag) for tag in missing)
    )


def test_every_described_tag_is_used(schema):
    used = {tag for _, operation in operations(schema) for tag in operation.get("tags", [])}
    stale = sorted(tag["name"] for tag in schema.get("tags", []) if tag["name"] not in used)

    assert not stale, f"tags described but used by no operation: {stale}"


def test_every_operation_has_a_summary(schema):
    missing = operations_without_summary(schema)

    assert not missing, f"{len(missing)} operations without a summary:\n" + "\n".join(missing)


def test_the_info_block_points_to_the_readme(schema):
    assert links_readme(schema), "info.description or externalDocs should name README.md (install, run, test)"


def test_the_docs_page_serves_the_same_words(api_client):
    served = api_client.get("/api/schema/?format=json").json()

    assert links_readme(served)
    assert not seed_mentions(served)
    assert not tags_without_description(served)


# --- the checkers themselves --------------------------------------------------------------------------------

FAKE: dict[str, Any] = {
    "info": {"title": "API", "description": "See README.md."},
    "tags": [{"name": "bookings", "description": "My bookings."}],
    "paths": {
        "/a": {
            "get": {
                "tags": ["bookings"],
                "summary": "List (seed 004)",
                "parameters": [{"name": "centreId", "description": "Seed 003 centreId"}],
            },
            "post": {"tags": ["orders (seed 001)"], "description": "Seeds 003 and 004."},
        }
    },
    "components": {
        "schemas": {
            "Row": {
                "description": "A row.",
                "properties": {
                    "status": {"description": "* `a` - seed A", "enum": ["a"]},
                    "nested": {"type": "array", "items": {"properties": {"deep": {"description": "Seed 002."}}}},
                    "seeded": {"description": "Filled by seed_demo, seeded daily."},
                },
            }
        }
    },
}


def test_the_seed_checker_looks_everywhere():
    found = seed_mentions(FAKE)

    assert found == sorted(
        [
            "GET /a: 'List (seed 004)'",
            "GET /a: 'Seed 003 centreId'",
            "POST /a (tag): 'orders (seed 001)'",
            "POST /a: 'Seeds 003 and 004.'",
            "component Row.nested.deep: 'Seed 002.'",
            "component Row.status: '* `a` - seed A'",
        ]
    )


def test_the_other_checkers():
    assert tags_without_description(FAKE) == ["orders (seed 001)"]
    assert operations_without_summary(FAKE) == ["POST /a"]
    assert links_readme(FAKE)
    assert not links_readme({"info": {"description": "No link."}})
