"""Setting a society up: the society and its root, hierarchy nodes, groups, and the roster.

* A node's ``path`` needs its own id, so it is written in the same
  transaction just after the insert; ``level_depth`` is the parent's plus one.
  The parent must be a node of the same society (404 ``NODE_NOT_FOUND``
  otherwise, so another society's ids are not confirmed) and a node code is
  unique among its siblings (409, the database's unique index decides a race).
* A group (seed 001 3.1.5) is a level-2 node of a group type.
* The roster is imported whole or not at all: every row is checked first (the
  phone, and a unit of this society), and a bad row is reported with its line
  number; then all rows are written in one transaction. A row already on the
  roster (same phone and unit) is updated, so an import can be run again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.validators import normalize_phone
from core import audit
from core.errors import DomainError, ErrorCode
from societies.errors import SocietyErrorCode
from societies.models import GROUP_TYPES, HierarchyNode, NodeType, RosterEntry, Society
from societies.scope import society_or_404


def society_create(*, data: dict[str, Any], by: User | None = None) -> Society:
    """A society and its root node (type SOCIETY, depth 1)."""
    with transaction.atomic():
        society = Society.objects.create(**data)
        root = HierarchyNode.objects.create(
            society=society,
            node_type=NodeType.SOCIETY,
            node_code=f"S{society.pk}",
            node_name=society.name,
            level_depth=1,
        )
        root.path = str(root.pk)
        root.save(update_fields=["path"])
        audit.record_created(society, action="create_society", actor=by, extra={"root_node_id": root.pk})
    return society


def root_of(society: Society) -> HierarchyNode:
    return HierarchyNode.objects.get(society=society, parent__isnull=True)


def node_create(*, society: Society, data: dict[str, Any]) -> HierarchyNode:
    """Seed 001 3.1.7: a node under ``data['parent_node_id']`` (the root when it is omitted)."""
    parent_id = data.pop("parent_node_id", None)
    with transaction.atomic():
        parent: HierarchyNode | None = (
            root_of(society)
            if parent_id is None
            else HierarchyNode.objects.select_for_update().filter(pk=parent_id, society=society).first()
        )
        if parent is None:
            raise DomainError(
                "The parent node is not in this society.", code=SocietyErrorCode.NODE_NOT_FOUND, field="parent_node_id"
            )
        if data["node_type"] == NodeType.SOCIETY:
            raise DomainError(
                "A society has one SOCIETY node, its root.",
                code=ErrorCode.VALIDATION_ERROR,
                field="node_type",
                reason="root_only",
            )
        node = HierarchyNode(society=society, parent=parent, level_depth=parent.level_depth + 1, **data)
        try:
            with transaction.atomic():
                node.save()
        except IntegrityError as exc:
            raise DomainError(
                f"A node with code {data['node_code']} already exists here.",
                code=ErrorCode.CONFLICT,
                field="node_code",
                reason="duplicate",
            ) from exc
        node.path = f"{parent.path}.{node.pk}"
        node.save(update_fields=["path"])
    return node


def group_create(*, society: Society, data: dict[str, Any]) -> HierarchyNode:
    """Seed 001 3.1.5: a group is a level-2 node (a building, tower, phase...) under the society's root."""
    if data["group_type"] not in GROUP_TYPES:
        raise DomainError(
            "group_type must be one of " + ", ".join(sorted(GROUP_TYPES)) + ".",
            code=ErrorCode.VALIDATION_ERROR,
            field="group_type",
            reason="invalid_choice",
        )
    return node_create(
        society=society,
        data={
            "node_type": data["group_type"],
            "node_code": data["group_code"],
            "node_name": data["group_name"],
            "description": data.get("description", ""),
            "total_floors": data.get("total_floors"),
            "total_units": data.get("total_units"),
            "display_order": data.get("display_order", 0),
        },
    )


# --- the roster -------------------------------------------------------------------------------------

ROSTER_COLUMNS = ("phone", "unit_node_id", "suggested_name", "is_primary", "notes")
_TRUE = {"1", "true", "yes", "y", "t"}


@dataclass(frozen=True)
class RosterRow:
    line: int
    phone: str
    unit_node_id: int
    suggested_name: str
    is_primary: bool
    notes: str


def rows_from_csv(text: str) -> list[dict[str, Any]]:
    """The CSV's rows as dicts (header ``phone,unit_node_id,suggested_name,is_primary,notes``), line numbers kept."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("phone", "unit_node_id") if c not in (reader.fieldnames or [])]
    if missing:
        raise DomainError(
            "The CSV needs a header with " + ", ".join(ROSTER_COLUMNS) + ".",
            code=ErrorCode.VALIDATION_ERROR,
            field="file",
            reason="bad_header",
            context={"missing": missing},
        )
    return [{**row, "line": reader.line_num} for row in reader]


def _bad_row(row: dict[str, Any], index: int, field: str, message: str) -> DomainError:
    """A CSV row is named by its line in the file (``file``); a JSON row by its place in ``rows`` (``rows.0``)."""
    line = row.get("line")
    where = "file" if line is not None else f"rows.{index}.{field}"
    return DomainError(
        f"Line {line}: {message}" if line is not None else f"Row {index}: {message}",
        code=ErrorCode.VALIDATION_ERROR,
        field=where,
        reason="bad_row",
        context={"line": line, "row": index, "field": field},
    )


def _checked(society: Society, rows: Iterable[dict[str, Any]]) -> list[RosterRow]:
    rows = list(rows)
    if not rows:
        raise DomainError("The roster has no rows.", code=ErrorCode.VALIDATION_ERROR, field="rows", reason="empty")
    unit_ids = set()
    for index, row in enumerate(rows):
        try:
            unit_ids.add(int(row.get("unit_node_id") or 0))
        except (TypeError, ValueError):
            raise _bad_row(row, index, "unit_node_id", "unit_node_id must be a number.") from None
    units = set(
        HierarchyNode.objects.filter(
            pk__in=unit_ids, society=society, node_type=NodeType.UNIT, is_active=True
        ).values_list("pk", flat=True)
    )
    checked = []
    for index, row in enumerate(rows):
        try:
            phone = normalize_phone(str(row.get("phone") or ""))
        except ValidationError:
            phone = None
        if not phone:
            raise _bad_row(row, index, "phone", f"{row.get('phone')!r} is not a valid phone number.")
        unit_id = int(row["unit_node_id"])
        if unit_id not in units:
            raise _bad_row(row, index, "unit_node_id", f"{unit_id} is not a unit of {society.name}.")
        primary = row.get("is_primary")
        checked.append(
            RosterRow(
                line=int(row.get("line") or index + 1),
                phone=phone,
                unit_node_id=unit_id,
                suggested_name=str(row.get("suggested_name") or "").strip()[:255],
                is_primary=primary if isinstance(primary, bool) else str(primary or "").strip().lower() in _TRUE,
                notes=str(row.get("notes") or "").strip(),
            )
        )
    return checked


def roster_import(*, society_id: int, rows: Iterable[dict[str, Any]], by: User | None = None) -> dict[str, int]:
    """Check every row, then write them all in one transaction; answers how many were added and updated."""
    society = society_or_404(society_id)
    checked = _checked(society, rows)
    added = updated = 0
    with transaction.atomic():
        for row in checked:
            _, created = RosterEntry.objects.update_or_create(
                society=society,
                phone=row.phone,
                unit_id=row.unit_node_id,
                defaults={"suggested_name": row.suggested_name, "is_primary": row.is_primary, "notes": row.notes},
            )
            added, updated = added + created, updated + (not created)
        audit.record(
            action="import_roster",
            resource_type="society",
            resource_id=society.pk,
            changes={"added": added, "updated": updated},
            actor=by,
        )
    return {"society_id": society.pk, "added": added, "updated": updated, "total_rows": len(checked)}
