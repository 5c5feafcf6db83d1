import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def schema(api_client):
    response = api_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_envelope_and_error_shape_are_components(schema):
    components = schema["components"]["schemas"]

    assert {"SuccessEnvelope", "ErrorResponse", "Error", "ErrorDetails", "ErrorMetadata"} <= set(components)
    assert set(components["ErrorResponse"]["required"]) == {"success", "error"}
    assert set(components["Error"]["required"]) == {"code", "message", "details", "metadata"}
    assert set(components["SuccessEnvelope"]["required"]) == {"success", "data"}


def test_success_responses_are_wrapped_in_the_envelope(schema):
    ok = schema["paths"]["/api/v1/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert ok["allOf"][0] == {"$ref": "#/components/schemas/SuccessEnvelope"}
    assert ok["allOf"][1]["properties"]["data"] == {"$ref": "#/components/schemas/Health"}


def test_error_responses_reference_the_error_component(schema):
    responses = schema["paths"]["/api/v1/health/ready"]["get"]["responses"]

    for status in ("500", "503"):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorResponse"
        }


def test_what_the_schema_says_is_what_is_sent(schema, api_client):
    """The live health response has every field the schema requires."""
    body = api_client.get("/api/v1/health").json()
    health = schema["components"]["schemas"]["Health"]

    assert set(schema["components"]["schemas"]["SuccessEnvelope"]["required"]) <= set(body)
    assert set(health["required"]) <= set(body["data"])


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/api/docs", "/api/schema"])
def test_docs_pages_are_served(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 200


@pytest.mark.urls("tests.core.urls")
def test_each_operation_lists_the_errors_it_can_give(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]

    assert {"400", "422", "500"} <= set(paths["/api/v1/test/echo"]["post"]["responses"])
    assert {"401", "403"} <= set(paths["/api/v1/test/private"]["get"]["responses"])
    assert "429" in paths["/api/v1/test/throttled"]["get"]["responses"]
    assert "401" not in paths["/api/v1/health"]["get"]["responses"]


@pytest.mark.urls("tests.core.urls")
def test_paginated_lists_describe_items_and_pagination(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    ok = schema["paths"]["/api/v1/test/users"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page_ref = ok["allOf"][1]["properties"]["data"]["$ref"].rsplit("/", 1)[1]
    params = {p["name"] for p in schema["paths"]["/api/v1/test/users"]["get"]["parameters"]}

    assert set(components[page_ref]["properties"]) == {"users", "pagination"}
    assert components[page_ref]["properties"]["pagination"] == {"$ref": "#/components/schemas/Pagination"}
    assert {"page", "limit"} <= params


def test_schema_generation_has_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_an_id_in_the_body_or_query_lists_404(schema):
    paths = schema["paths"]

    assert "404" in paths["/api/v1/orders"]["post"]["responses"]  # society_id, vendor_id: unknown is 404
    assert "404" in paths["/api/v1/booking/available-slots"]["get"]["responses"]  # ?clinicianId=
    assert "404" not in paths["/api/v1/auth/login"]["post"]["responses"]  # nothing named by id
