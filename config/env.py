"""Reading the environment strictly: a boolean that is neither true nor false is a start-up error.

django-environ reads ``DJANGO_DEBUG=ture`` as ``False`` without a word, so a typo
in a deployment silently turns a switch off (or, for ``WEBHOOKS_ALLOW_HTTP`` and
friends, leaves it in a state nobody chose). healthchecks' ``envbool`` refuses
anything it does not know; :class:`StrictEnv` does the same for every
``env.bool(...)`` in ``config/settings``.
"""

from __future__ import annotations

import os
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
FALSE = frozenset({"0", "false", "no", "off", "n", "f"})


class StrictEnv(environ.Env):
    def bool(self, var: str, default: Any = environ.Env.NOTSET) -> bool:  # type: ignore[override]
        raw = os.environ.get(var)
        if raw is None or raw.strip() == "":
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable (true or false).")
            return bool(default)
        value = raw.strip().lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise ImproperlyConfigured(f"{var}={raw!r} is not a boolean: use true or false (or 1/0, yes/no, on/off).")
