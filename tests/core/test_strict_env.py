"""Boolean environment variables are parsed strictly: a typo is a start-up error, not a silent False."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import StrictEnv
from tests.core.test_settings import manage


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("TRUE", True), (" 1 ", True), ("on", True), ("no", False), ("0", False)]
)
def test_the_usual_spellings_of_true_and_false_are_read(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_SWITCH", raw)

    assert StrictEnv().bool("SOME_SWITCH", default=not expected) is expected


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_an_unset_or_empty_variable_takes_the_default(monkeypatch, raw):
    monkeypatch.delenv("SOME_SWITCH", raising=False)
    if raw is not None:
        monkeypatch.setenv("SOME_SWITCH", raw)

    assert StrictEnv().bool("SOME_SWITCH", default=True) is True


@pytest.mark.parametrize("raw", ["ture", "flase", "2", "enabled"])
def test_anything_else_is_refused_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("SOME_SWITCH", raw)

    with pytest.raises(ImproperlyConfigured, match=f"SOME_SWITCH={raw!r} is not a boolean"):
        StrictEnv().bool("SOME_SWITCH", default=False)


def test_a_typo_in_a_settings_boolean_stops_start_up():
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "WEBHOOKS_ALLOW_HTTP": "ture"})

    assert result.returncode != 0
    assert "WEBHOOKS_ALLOW_HTTP='ture' is not a boolean" in result.stderr
