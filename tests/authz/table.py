"""The routes with an object id under /api/v1 (from Django's URL resolver) and the table of expected answers
(docs/object-permissions.md) that the matrix test checks them against."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz.world import KINDS, STAFF

TABLE = Path(__file__).resolve().parents[2] / "docs" / "object-permissions.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
WRITES = ("POST", "PUT", "PATCH")
NO_OWNER = "—"
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    path: str  # the route as Django spells it: "api/v1/bookings/<uuid:booking_id>"
    methods: tuple[str, ...]
    view: str

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM.finditer(self.path)]

    def url(self, values: dict[str, object]) -> str:
        return "/" + PARAM.sub(lambda m: str(values[m.group("name")]), self.path)


def _walk(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        path = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, path)
        elif isinstance(pattern, URLPattern):
            yield path, pattern


def routes(*, with_id: bool = True) -> dict[str, Route]:
    """Every /api/v1 route (with an object id in its path, unless told) and the HTTP methods its view answers."""
    found: dict[str, Route] = {}
    for path, pattern in _walk(get_resolver()):
        if not path.startswith("api/v1/") or (with_id and "<" not in path):
            continue
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        if view is None:
            raise AssertionError(f"{path}: a function view; the matrix reads a class's methods")
        allowed = {name.upper() for name in getattr(view, "http_method_names", [])}
        methods = tuple(m for m in METHODS if hasattr(view, m.lower()) and m in allowed)
        found[path] = Route(path, methods, f"{view.__module__}.{view.__name__}")
    return found


# --- the table ------------------------------------------------------------------------------------------------

ACTORS = ("own", "peer", "anon", *STAFF, "society_admin")
HEADER = ["route", "method", "owner", "own", "peer", "anon", "staff", "society admin (other society)"]


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    owner: str  # a kind of KINDS, or NO_OWNER
    expected: dict[str, int]  # actor -> status code ("own", "peer", "anon", "SA".. "FD", "society_admin")
    line: int


def parse_staff(cell: str) -> dict[str, int]:
    """``403`` or ``403 (200: SA AD; 404: SU)``: one answer for every staff role, with the exceptions named."""
    match = re.fullmatch(r"(\d{3})(?: \((.*)\))?", cell.strip())
    if not match:
        raise ValueError(f"bad staff cell {cell!r}")
    answers = dict.fromkeys(STAFF, int(match.group(1)))
    for group in filter(None, (match.group(2) or "").split(";")):
        code, names = group.split(":")
        for name in names.split():
            if name not in STAFF:
                raise ValueError(f"unknown staff role {name!r} in {cell!r}")
            answers[name] = int(code)
    return answers


def format_staff(answers: dict[str, int]) -> str:
    codes = list(answers.values())
    common = max(set(codes), key=lambda code: (codes.count(code), -code))
    groups = {}
    for name, code in answers.items():
        if code != common:
            groups.setdefault(code, []).append(name)
    rest = "; ".join(f"{code}: {' '.join(names)}" for code, names in sorted(groups.items()))
    return f"{common} ({rest})" if rest else str(common)


def read_table(path: Path = TABLE) -> list[Row]:
    rows: list[Row] = []
    for number, text in enumerate(path.read_text().splitlines(), 1):
        if not text.startswith("| `api/v1/"):
            continue
        cells = [cell.strip() for cell in text.strip().strip("|").split("|")]
        if len(cells) != len(HEADER):
            raise ValueError(f"{path.name}:{number}: {len(cells)} cells, the header has {len(HEADER)}")
        route, method, owner, own, peer, anon, staff, society_admin = cells
        if owner != NO_OWNER and owner not in KINDS:
            raise ValueError(f"{path.name}:{number}: unknown owner kind {owner!r}")
        expected = {"anon": int(anon), **parse_staff(staff), "society_admin": int(society_admin)}
        if owner != NO_OWNER:
            expected.update(own=int(own), peer=int(peer))
        rows.append(Row(route.strip("`"), method, owner, expected, number))
    return rows


def format_row(route: str, method: str, owner: str, answers: dict[str, int]) -> str:
    mine = [str(answers[a]) if owner != NO_OWNER else NO_OWNER for a in ("own", "peer")]
    staff = format_staff({name: answers[name] for name in STAFF})
    cells = [f"`{route}`", method, owner, *mine, str(answers["anon"]), staff, str(answers["society_admin"])]
    return "| " + " | ".join(cells) + " |"
