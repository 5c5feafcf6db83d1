"""Writes a draft of docs/object-permissions.md's rows: what the code answers today, for every route and method.

Not collected by the suite (the file name does not start with ``test_``); run it by name when adding routes:

    AUTHZ_RECORD=/tmp/draft.md .venv/bin/pytest tests/authz/record_table.py

then read the draft, fix what is wrong in the code or the row, and paste the row into the table.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.authz.table import METHODS, format_row
from tests.authz.test_object_matrix import ROUTES, ROWS, guess_owner, observe

pytestmark = pytest.mark.django_db


def test_record(world, case):
    target = os.environ.get("AUTHZ_RECORD")
    assert target, "name the draft's file: AUTHZ_RECORD=/tmp/draft.md"
    known = {(row.route, row.method): row.owner for row in ROWS}
    lines = []
    for path, route in sorted(ROUTES.items()):
        for method in (m for m in METHODS if m in route.methods):
            owner = known.get((path, method)) or guess_owner(path)
            lines.append(format_row(path, method, owner, observe(world, case, route, method, owner)))
    Path(target).write_text("\n".join(lines) + "\n")
