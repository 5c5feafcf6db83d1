import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]


def test_first_page_uses_the_view_default_limit_and_names_its_items(api_client, django_assert_max_num_queries):
    UserFactory.create_batch(12)

    # count(*) + one page of rows, whatever the page size
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/test/users")

    assert response.status_code == 200
    data = response.json()["data"]
    assert len(data["users"]) == 5
    assert data["pagination"] == {"page": 1, "limit": 5, "total": 12, "total_pages": 3}


def test_query_count_does_not_grow_with_the_page(api_client, django_assert_max_num_queries):
    UserFactory.create_batch(60)

    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/test/users?limit=50")

    assert len(response.json()["data"]["users"]) == 50


def test_last_page_and_past_the_end(api_client):
    UserFactory.create_batch(12)

    last = api_client.get("/api/v1/test/users?page=3").json()["data"]
    past = api_client.get("/api/v1/test/users?page=9").json()["data"]

    assert len(last["users"]) == 2
    assert past["users"] == []
    assert past["pagination"]["total"] == 12


def test_limit_is_capped_at_100(api_client):
    response = api_client.get("/api/v1/test/users?limit=1000")

    assert response.json()["data"]["pagination"]["limit"] == 100


@pytest.mark.parametrize(("query", "field"), [("page=0", "page"), ("page=abc", "page"), ("limit=-5", "limit")])
def test_bad_page_or_limit_is_invalid_request(api_client, query, field):
    response = api_client.get(f"/api/v1/test/users?{query}")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert error["details"]["field"] == field
