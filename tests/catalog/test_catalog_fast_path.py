"""GET /services/catalog without parameters skips DRF's request wrapping (issue #21): the same answer either way."""

from __future__ import annotations

import io

import pytest

from catalog.demo import seed
from catalog.views import CatalogView

pytestmark = pytest.mark.django_db

SAME = ("Content-Type", "Allow", "Content-Length")


def test_the_plain_catalog_is_the_answer_drf_gives(api_client, monkeypatch):
    seed(io.StringIO())
    through_drf: list[str] = []
    get = CatalogView.get

    def counted(self, request):
        through_drf.append(request.path)
        return get(self, request)

    monkeypatch.setattr(CatalogView, "get", counted)

    plain = api_client.get("/api/v1/services/catalog")
    assert through_drf == []  # the hot path did not enter DRF
    drf = api_client.get("/api/v1/services/catalog?category=")  # a parameter that filters nothing: through DRF

    assert through_drf == ["/api/v1/services/catalog"]
    assert plain.status_code == drf.status_code == 200
    assert plain.content == drf.content
    assert {h: plain.headers.get(h) for h in SAME} == {h: drf.headers.get(h) for h in SAME}
    assert plain.json()["data"]["all_services"]
    assert api_client.post("/api/v1/services/catalog").status_code == 405  # other methods: DRF as before
