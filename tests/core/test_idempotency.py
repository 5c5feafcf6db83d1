"""``X-Idempotency-Key`` (core.idempotency) on a small view of the tests' own: what is kept under a key, what is not.

A response of 500 or more is not kept and the key is released, whether the view answered it or raised;
anything below 500 is kept and replayed. The payments tests cover the same through Razorpay being down
(tests/payments/test_razorpay_gateway.py).
"""

import uuid

import pytest
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from core.idempotency import IdempotentMixin
from core.models import IdempotencyKey
from core.responses import ApiResponse
from tests.accounts.helpers import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.test_idempotency")]

PATH = "/api/v1/test/idempotent"


class Outcomes:
    """What the view does on each call, in order: a status to answer, or "raise"."""

    planned: list[int | str] = []
    calls = 0


class IdempotentView(IdempotentMixin, APIView):
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def post(self, request):
        Outcomes.calls += 1
        outcome = Outcomes.planned.pop(0)
        if outcome == "raise":
            raise RuntimeError("the view broke")
        return ApiResponse({"call": Outcomes.calls}, status=outcome)


urlpatterns = [path(PATH.lstrip("/"), IdempotentView.as_view())]


@pytest.fixture
def plan():
    def planned(*outcomes):
        Outcomes.planned, Outcomes.calls = list(outcomes), 0

    yield planned
    Outcomes.planned, Outcomes.calls = [], 0


def post(api_client, key):
    return api_client.post(PATH, {"item": "one"}, format="json", HTTP_X_IDEMPOTENCY_KEY=key)


def test_a_500_answered_by_the_view_is_not_kept_and_the_same_key_runs_again(api_client, plan):
    plan(500, 201)
    key = str(uuid.uuid4())

    failed = post(api_client, key)
    released = not IdempotencyKey.objects.filter(key=key).exists()
    retried = post(api_client, key)
    replayed = post(api_client, key)

    assert failed.status_code == 500
    assert released
    assert retried.status_code == 201, retried.content
    assert "Idempotent-Replayed" not in retried
    assert retried.json()["data"] == {"call": 2}
    assert replayed.content == retried.content
    assert replayed["Idempotent-Replayed"] == "true"
    assert Outcomes.calls == 2
    assert IdempotencyKey.objects.get(key=key).response_status == 201


def test_an_error_raised_by_the_view_is_not_kept_and_the_same_key_runs_again(api_client, plan):
    plan("raise", 201)
    key = str(uuid.uuid4())

    failed = post(api_client, key)
    released = not IdempotencyKey.objects.filter(key=key).exists()
    retried = post(api_client, key)

    assert_error(failed, 500, "INTERNAL_SERVER_ERROR")
    assert released
    assert retried.status_code == 201, retried.content
    assert "Idempotent-Replayed" not in retried
    assert Outcomes.calls == 2


def test_an_answer_below_500_is_kept_and_replayed(api_client, plan):
    plan(422, 201)
    key = str(uuid.uuid4())

    first = post(api_client, key)
    again = post(api_client, key)

    assert first.status_code == again.status_code == 422
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Outcomes.calls == 1


def test_the_claim_and_the_answer_are_one_statement_each_with_no_savepoint(api_client, plan):
    """Issue #21: the key's two writes are written out once (``ON CONFLICT DO NOTHING`` for the claim), so a
    repeated key costs no ``IntegrityError`` and, inside a transaction (as here), no savepoint."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan(201)
    key = str(uuid.uuid4())

    with CaptureQueriesContext(connection) as first:
        post(api_client, key)
    with CaptureQueriesContext(connection) as again:
        replayed = post(api_client, key)

    keys = [q["sql"] for q in first if "core_idempotencykey" in q["sql"]]
    assert len(keys) == 2, keys
    assert "ON CONFLICT" in keys[0]
    assert keys[1].startswith('UPDATE "core_idempotencykey"')
    assert not [q["sql"] for q in first if "SAVEPOINT" in q["sql"]]
    assert not [q["sql"] for q in again if "ROLLBACK" in q["sql"]]  # the repeated key raised nothing
    assert replayed["Idempotent-Replayed"] == "true"
    assert Outcomes.calls == 1
