"""Addresses (seed 000 "User Addresses"): exactly one default per user that has any.

The first address becomes the default; deleting the default promotes the
newest remaining one. Every change of the default locks the owner's user row
first, so concurrent "set default" calls run one after the other, and a
partial unique index (one ``is_default`` row per user) backs it in the
database. Another user's address is "not found", never "forbidden".
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.errors import AccountErrorCode
from accounts.models import Address, User
from core.errors import DomainError
from core.types import Id

EDITABLE = ("name", "address_line1", "address_line2", "city", "state", "pincode", "lat", "lng", "place_id")


def _lock_owner(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _get_own(user: User, address_id: Id) -> Address:
    address = Address.objects.select_for_update().filter(pk=address_id, user=user).first()
    if address is None:
        raise DomainError("Address not found.", code=AccountErrorCode.ADDRESS_NOT_FOUND, field="id", reason="not_found")
    return address


def address_create(*, user: User, data: dict[str, Any]) -> Address:
    with transaction.atomic():
        _lock_owner(user)
        make_default = bool(data.get("is_default")) or not Address.objects.filter(user=user).exists()
        if make_default:
            Address.objects.filter(user=user, is_default=True).update(is_default=False)
        fields = {key: data[key] for key in EDITABLE if key in data}
        return Address.objects.create(user=user, is_default=make_default, **fields)


def address_update(*, user: User, address_id: Id, data: dict[str, Any]) -> Address:
    with transaction.atomic():
        _lock_owner(user)
        address = _get_own(user, address_id)
        for key in EDITABLE:
            if key in data:
                setattr(address, key, data[key])
        if data.get("is_default") and not address.is_default:
            Address.objects.filter(user=user, is_default=True).update(is_default=False)
            address.is_default = True
        address.save()
        return address


def address_delete(*, user: User, address_id: Id) -> None:
    with transaction.atomic():
        _lock_owner(user)
        address = _get_own(user, address_id)
        was_default = address.is_default
        address.delete()
        if was_default:
            successor = Address.objects.filter(user=user).order_by("-created_at").first()
            if successor is not None:
                successor.is_default = True
                successor.save(update_fields=["is_default", "updated_at"])


def address_set_default(*, user: User, address_id: Id) -> Address:
    with transaction.atomic():
        _lock_owner(user)
        address = _get_own(user, address_id)
        if not address.is_default:
            Address.objects.filter(user=user, is_default=True).update(is_default=False)
            address.is_default = True
            address.save(update_fields=["is_default", "updated_at"])
        return address
