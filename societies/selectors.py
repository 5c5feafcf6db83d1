"""Reads of societies: search, the hierarchy tree, units with their ancestors, residences, pending lists.

Every read here answers in a number of queries that does not grow with the
tree or the page: a tree is one query over the path column, built in memory;
a page of units or residences reads all the ancestors it names in one more
query (the ids are in the paths).

Where a unit is (seed 001 2.1's display fields) comes from its ancestors: the
level-2 group is the ``tower`` of a flat; the nearest ``FLOOR`` ancestor gives
``floor`` (its code when it is a number, else its display order; 0 is the
ground floor, and a house with no floor node is on 0); a house's ``street`` is
the node right above it that is not a floor (a street is a SECTION node under
a phase in the demo layout).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from partners.models import OnboardingStatus, Partner, PartnerKind, VendorService
from partners.services.vendors import PENDING_REVIEW
from societies import hooks
from societies.models import (
    GROUP_DEPTH,
    ApprovalStatus,
    AssignmentType,
    HierarchyNode,
    NodeType,
    Residence,
    ServiceArea,
    Society,
    SocietyStatus,
    SocietyType,
    UnitType,
    VendorAccess,
)

# --- search -------------------------------------------------------------------------------------------


def _unit_count(**residence_filter: Any) -> Coalesce:
    units = (
        HierarchyNode.objects.filter(society=OuterRef("pk"), node_type=NodeType.UNIT, is_active=True)
        .order_by()
        .values("society")
    )
    if residence_filter:
        units = units.filter(**residence_filter)
    return Coalesce(
        Subquery(units.annotate(n=Count("pk", distinct=True)).values("n")), Value(0), output_field=IntegerField()
    )


def with_counts(rows: QuerySet[Society]) -> QuerySet[Society]:
    return rows.annotate(
        unit_total=_unit_count(), unit_occupied=_unit_count(residences__verification_status=ApprovalStatus.VERIFIED)
    )


def society_search(*, q: str, city: str = "", society_type: str = "", limit: int = 10) -> list[Society]:
    """Seed 001 2.1.2: active, subscribed societies by name, address or pincode; name matches first."""
    rows = Society.objects.filter(status=SocietyStatus.ACTIVE, has_subscription=True).filter(
        Q(name__icontains=q) | Q(address__icontains=q) | Q(pincode__startswith=q)
    )
    if city:
        rows = rows.filter(city__iexact=city)
    if society_type:
        rows = rows.filter(society_type=society_type)
    rows = with_counts(rows).annotate(
        by_name=Count("pk", filter=Q(name__icontains=q)),
    )
    return list(rows.order_by("-by_name", "name")[:limit])


def society_counts(society: Society) -> dict[str, int | None]:
    total, occupied = getattr(society, "unit_total", 0), getattr(society, "unit_occupied", 0)
    flats = society.society_type == SocietyType.APARTMENT
    return {
        "total_flats": total if flats else None,
        "total_houses": None if flats else total,
        "occupied_flats": occupied if flats else None,
        "occupied_houses": None if flats else occupied,
    }


# --- the tree -----------------------------------------------------------------------------------------


def node_row(node: HierarchyNode) -> dict[str, Any]:
    return {
        "node_id": node.pk,
        "parent_node_id": node.parent_id,
        "node_type": node.node_type,
        "node_code": node.node_code,
        "node_name": node.node_name,
        "level_depth": node.level_depth,
        "path": node.path,
        "display_order": node.display_order,
        "is_active": node.is_active,
    }


NODE_FIELDS = (
    "pk",
    "parent_id",
    "node_type",
    "node_code",
    "node_name",
    "level_depth",
    "path",
    "display_order",
    "is_active",
)
ROW_KEYS = ("node_id", "parent_node_id", *NODE_FIELDS[2:])


def hierarchy(
    society: Society, *, include_inactive: bool = False, node_types: Iterable[str] = ()
) -> dict[str, Any] | None:
    """Seed 001 3.1.6: the tree from one query (plain tuples, no model instances: a tree may hold 50,000
    units). With ``node_types``, the matching nodes and the ancestors that lead to them."""
    rows = HierarchyNode.objects.filter(society=society).order_by("level_depth", "display_order", "node_code")
    if not include_inactive:
        rows = rows.filter(is_active=True)
    nodes = list(rows.values_list(*NODE_FIELDS))
    wanted = set(node_types)
    keep: set[int] | None = None
    if wanted:
        keep = set()
        for node in nodes:
            if node[2] in wanted:
                keep.add(node[0])
                keep.update(int(part) for part in node[6].split(".")[:-1])
    by_id: dict[int, dict[str, Any]] = {}
    root = None
    for node in nodes:  # parents come first: ordered by depth
        if keep is not None and node[0] not in keep:
            continue
        row = dict(zip(ROW_KEYS, node, strict=True))
        row["children"] = []
        by_id[node[0]] = row
        if node[1] is None:
            root = row
        elif node[1] in by_id:
            by_id[node[1]]["children"].append(row)
    return root


# --- units and where they are ---------------------------------------------------------------------


def ancestors_of(nodes: Iterable[HierarchyNode]) -> dict[int, HierarchyNode]:
    """Every ancestor of ``nodes``, by id, in one query."""
    ids = {pk for node in nodes for pk in node.ancestor_ids}
    return {n.pk: n for n in HierarchyNode.objects.filter(pk__in=ids)} if ids else {}


def _floor(node: HierarchyNode) -> int:
    return int(node.node_code) if node.node_code.isdigit() else node.display_order


def place(unit: HierarchyNode, above: dict[int, HierarchyNode], unit_type: str) -> dict[str, Any]:
    """Where a unit is, as seed 001 shows a residence: flat number, tower and floor, or house, street and floor."""
    chain = [above[pk] for pk in unit.ancestor_ids if pk in above]
    group = next((n for n in chain if n.level_depth == GROUP_DEPTH), None)
    floor_node = next((n for n in reversed(chain) if n.node_type == NodeType.FLOOR), None)
    floor = _floor(floor_node) if floor_node else 0
    if unit_type == UnitType.FLAT:
        return {"flat_number": unit.node_code, "tower": group.node_name if group else None, "floor": floor}
    street = next((n for n in reversed(chain) if n.node_type != NodeType.FLOOR and n.level_depth > 1), None)
    return {"house_number": unit.node_code, "street": street.node_name if street else None, "floor": floor}


def unit_row(unit: HierarchyNode, above: dict[int, HierarchyNode]) -> dict[str, Any]:
    chain = [above[pk] for pk in unit.ancestor_ids if pk in above]
    return {
        "node_id": unit.pk,
        "node_code": unit.node_code,
        "node_name": unit.node_name,
        "node_type": unit.node_type,
        "path": unit.path,
        "full_path": " / ".join([*(n.node_name for n in chain), unit.node_name]),
        "ancestors": [{"node_id": n.pk, "node_name": n.node_name, "node_type": n.node_type} for n in chain],
        "is_active": unit.is_active,
    }


def units(society: Society, *, search: str = "", parent: HierarchyNode | None = None) -> QuerySet[HierarchyNode]:
    """Seed 001 3.1.8: the active units of a society (beneath ``parent``), by code or name."""
    rows = HierarchyNode.objects.filter(society=society, node_type=NodeType.UNIT, is_active=True)
    if parent is not None:
        rows = rows.filter(path__startswith=f"{parent.path}.")
    if search:
        rows = rows.filter(Q(node_code__icontains=search) | Q(node_name__icontains=search))
    return rows.order_by("path")


def units_page(page: list[HierarchyNode]) -> list[dict[str, Any]]:
    above = ancestors_of(page)
    return [unit_row(unit, above) for unit in page]


# --- residences ---------------------------------------------------------------------------------------


def residences_of(user: User) -> list[Residence]:
    return list(
        Residence.objects.filter(user=user).select_related("society", "unit").order_by("-is_primary", "created_at")
    )


def residence_rows(residences: list[Residence]) -> list[dict[str, Any]]:
    above = ancestors_of(r.unit for r in residences)
    rows = []
    for r in residences:
        row = {
            "resident_id": str(r.pk),
            "society_id": r.society_id,
            "society_name": r.society.name,
            "society_type": r.society.society_type,
            "address": r.society.address,
            "city": r.society.city,
            "unit_node_id": r.unit_id,
            "unit_type": r.unit_type,
            **place(r.unit, above, r.unit_type),
            "verification_status": r.verification_status,
            "is_primary": r.is_primary,
            "is_active": r.is_active,
            "notes": r.notes,
            "submitted_at": r.created_at,
            "verified_at": r.verified_at,
        }
        if r.verification_status == ApprovalStatus.REJECTED:
            row["rejection_reason"] = r.rejection_reason
        rows.append(row)
    return rows


def active_residence(user: User) -> Residence | None:
    return Residence.objects.filter(user=user, is_active=True).select_related("society", "unit").first()


def pending_residents(society: Society, *, sort_by: str = "created_at", order: str = "desc") -> QuerySet[Residence]:
    rows = Residence.objects.filter(society=society, verification_status=ApprovalStatus.PENDING).select_related(
        "user", "unit"
    )
    key = "unit__node_code" if sort_by == "flat_number" else "created_at"
    return rows.order_by(("-" if order == "desc" else "") + key, "pk")


# --- vendors ------------------------------------------------------------------------------------------


def pending_vendor_access(society: Society) -> QuerySet[VendorAccess]:
    return (
        VendorAccess.objects.filter(society=society, approval_status=ApprovalStatus.PENDING)
        .select_related("partner__user")
        .prefetch_related("partner__vendor_services__service")
        .order_by("requested_at", "pk")
    )


def groups(society: Society, *, group_type: str = "") -> QuerySet[HierarchyNode]:
    rows = HierarchyNode.objects.filter(society=society, level_depth=GROUP_DEPTH)
    if group_type:
        rows = rows.filter(node_type=group_type)
    return rows.order_by("display_order", "node_code")


def coverage(society: Society, areas: list[ServiceArea]) -> dict[str, Any]:
    """How much of the society a vendor's areas cover (seed 001 3.1.9's ``coverage_summary``)."""
    all_groups = list(groups(society).filter(is_active=True))
    whole = any(a.assignment_type == AssignmentType.SOCIETY for a in areas)
    names = [a.node.node_name for a in areas if a.node is not None]
    assigned = len(all_groups) if whole else len(names)
    paths = [a.node.path for a in areas if a.node is not None]
    unit_rows = HierarchyNode.objects.filter(society=society, node_type=NodeType.UNIT, is_active=True)
    if not whole:
        match = Q(pk__in=[])
        for path in paths:
            match |= Q(path__startswith=f"{path}.")
        unit_rows = unit_rows.filter(match)
    return {
        "covers_entire_society": whole,
        "assignment_level": "SOCIETY" if whole else "GROUP",
        "groups_assigned": assigned,
        "groups_assigned_names": [g.node_name for g in all_groups] if whole else names,
        "total_groups_in_society": len(all_groups),
        "estimated_households": unit_rows.count(),
        "coverage_percentage": round(100 * assigned / len(all_groups)) if all_groups else (100 if whole else 0),
    }


def vendors_pending_review() -> QuerySet[Partner]:
    """Seed 001 3.2.1: vendors the platform has not decided yet, with how many societies each asked for."""
    return (
        Partner.objects.filter(kind=PartnerKind.VENDOR, onboarding_status__in=PENDING_REVIEW)
        .select_related("user")
        .prefetch_related("vendor_services__service")
        .annotate(societies_requested=Count("society_access", distinct=True))
        .order_by("created_at", "pk")
    )


def vendors_serving(society: Society, unit: HierarchyNode) -> QuerySet[Partner]:
    """Vendors approved by the platform and the society whose areas cover ``unit`` (the whole society, or a
    group above it) and who have a published rate card there (``hooks.live_vendor_ids``): the vendors the
    resident can order from."""
    covering = ServiceArea.objects.filter(society=society, partner=OuterRef("pk"), is_active=True).filter(
        Q(node__isnull=True) | Q(node_id__in=unit.ancestor_ids)
    )
    approved = VendorAccess.objects.filter(
        society=society, partner=OuterRef("pk"), approval_status=ApprovalStatus.APPROVED
    )
    return Partner.objects.filter(
        kind=PartnerKind.VENDOR, onboarding_status=OnboardingStatus.VERIFIED, is_active=True
    ).filter(Exists(covering), Exists(approved), pk__in=hooks.live_vendor_ids(society.pk))


def categories_of(vendors: QuerySet[Partner]) -> list[str]:
    """The category keys of the services those vendors offer (seed 001 2.1.4's ``active_categories``)."""
    rows = VendorService.objects.filter(partner__in=vendors, is_active=True)
    return sorted(set(rows.values_list("service__category__key", flat=True)))


def active_society_of(user: User) -> dict[str, Any] | None:
    """Seed 001 9.1's ``active_society`` on the profile."""
    residence = active_residence(user)
    if residence is None:
        return None
    where = place(residence.unit, ancestors_of([residence.unit]), residence.unit_type)
    return {
        "society_id": residence.society_id,
        "society_name": residence.society.name,
        "unit_type": residence.unit_type,
        "flat_number": where.get("flat_number") or where.get("house_number"),
    }
