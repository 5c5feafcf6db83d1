"""The token's user is read by one statement written once (accounts.authentication, issue #21), not built by the
ORM on every request: the same user, every field converted as the ORM would, the same refusals."""

from __future__ import annotations

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from accounts.authentication import PlatformJWTAuthentication
from accounts.models import User
from accounts.services.tokens import tokens_issue
from tests.accounts.helpers import assert_error
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_the_tokens_user_is_the_orms_user_field_for_field(django_assert_num_queries):
    person = make_user(full_name="Asha Rao", preferences={"language": "hi", "quiet": [22, 7]})
    token = AccessToken(tokens_issue(user=person)["access_token"])

    with django_assert_num_queries(1):
        read = PlatformJWTAuthentication().get_user(token)

    expected = User.objects.get(pk=person.pk)
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read.preferences == {"language": "hi", "quiet": [22, 7]}  # the JSON decoded, as the ORM does
    assert (read._state.adding, read._state.db) == (False, "default")
    read.full_name = "Asha R."
    read.save(update_fields=["full_name"])  # an instance like any other
    assert User.objects.get(pk=person.pk).full_name == "Asha R."


def test_a_token_whose_user_is_gone_is_unauthorized():
    person = make_user()
    client = client_for(person)
    person.delete()

    assert_error(client.get("/api/v1/auth/me"), 401, "UNAUTHORIZED")
