"""Societies for tests, built through the services (a tree, a roster, admins, vendors) and signed-in clients."""

from __future__ import annotations

from itertools import count

from accounts.models import User
from accounts.roles import Role
from accounts.services.roles import user_set_roles
from catalog.models import Category, Service
from partners.models import OnboardingStatus, Partner, PartnerKind
from partners.services.profiles import new_partner_code
from societies.models import HierarchyNode, NodeType, Society, SocietyAdminScope, SocietyType
from societies.services import setup
from tests.conftest import client_for
from tests.factories import UserFactory

_names = count(1)


def apartment(*, towers: int = 2, floors: int = 2, flats: int = 2, name: str | None = None, **fields) -> Society:
    """An apartment society: towers A, B... each with floors 0.. and flats <tower>-<floor>0<n>."""
    society = setup.society_create(
        data={
            "name": name or f"Test Apartments {next(_names)}",
            "society_type": SocietyType.APARTMENT,
            "address": "1 Test Road",
            "city": "Kolkata",
            "state": "West Bengal",
            "pincode": "700091",
            **fields,
        }
    )
    for t in range(towers):
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[t % 26] + ("" if t < 26 else str(t))
        group = setup.group_create(
            society=society,
            data={"group_name": f"Tower {letter}", "group_code": f"T{letter}", "group_type": NodeType.TOWER},
        )
        for f in range(floors):
            floor = setup.node_create(
                society=society,
                data={
                    "parent_node_id": group.pk,
                    "node_type": NodeType.FLOOR,
                    "node_code": str(f),
                    "node_name": f"Floor {f}",
                },
            )
            HierarchyNode.objects.bulk_create(
                HierarchyNode(
                    society=society,
                    parent=floor,
                    node_type=NodeType.UNIT,
                    node_code=f"{letter}-{f}0{n}",
                    node_name=f"Flat {letter}-{f}0{n}",
                    level_depth=4,
                )
                for n in range(1, flats + 1)
            )
            for unit in HierarchyNode.objects.filter(parent=floor, path=""):
                unit.path = f"{floor.path}.{unit.pk}"
                unit.save(update_fields=["path"])
    return society


def unit(society: Society, code: str) -> HierarchyNode:
    return HierarchyNode.objects.get(society=society, node_code=code)


def group(society: Society, code: str) -> HierarchyNode:
    return HierarchyNode.objects.get(society=society, node_code=code, level_depth=2)


def resident(phone: str | None = None, **fields) -> User:
    """A person signed in by OTP: their phone is verified."""
    kwargs = {"is_phone_verified": True, **fields}
    if phone:
        kwargs["phone"] = phone
    user = UserFactory(**kwargs)
    user_set_roles(user=user, roles=[Role.CUSTOMER])
    return user


def society_admin(*societies: Society) -> User:
    user = UserFactory()
    user_set_roles(user=user, roles=[Role.SOCIETY_ADMIN])
    for society in societies:
        SocietyAdminScope.objects.create(user=user, society=society)
    return user


def vendor(*, verified: bool = True, business_name: str = "Sparkle Laundry") -> Partner:
    user = UserFactory(is_phone_verified=True)
    partner = Partner(
        user=user,
        partner_code=new_partner_code(),
        kind=PartnerKind.VENDOR,
        business_name=business_name,
        store_address="Shop 1",
        onboarding_status=OnboardingStatus.VERIFIED if verified else OnboardingStatus.PENDING,
    )
    partner.save()
    if verified:
        user_set_roles(user=user, roles=[Role.PARTNER])
    return partner


def laundry_services() -> list[Service]:
    category, _ = Category.objects.get_or_create(key="LAUNDRY", defaults={"name": "Laundry"})
    return [
        Service.objects.get_or_create(
            category=category,
            service_key=key,
            defaults={"name": name, "default_turnaround_hours": hours, "product_cost": "15.00", "service_type": name},
        )[0]
        for key, name, hours in (("IRONING", "Ironing Only", 24), ("WASHING_IRONING", "Washing + Ironing", 48))
    ]


__all__ = ["apartment", "client_for", "group", "laundry_services", "resident", "society_admin", "unit", "vendor"]
