"""Model signals the partners app listens to (connected in ``PartnersConfig.ready``): caches and live availability.

Bookings reaches partners through ``partners.port`` (``bookings.hooks.PartnerPort``), not through signals;
these receivers only keep derived data fresh when partner rows change (Django's model signals as extension
points, which STYLE.md allows).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from catalog.models import Category, Service
from core import snapshot
from partners.live import availability_changed, next_weekday
from partners.matching import REACH_CACHE_KEY
from partners.models import (
    Partner,
    PartnerAssignment,
    PartnerAvailability,
    PartnerTimeOff,
    ServiceAreaPincode,
)
from partners.slots import slots_changed


def _slots_changed(sender, **kwargs) -> None:
    slots_changed()
    transaction.on_commit(slots_changed)  # again once committed: a slot question in between saw the old rows


def _assignment_saved(sender, instance, **kwargs) -> None:
    availability_changed(instance.partner_id, [timezone.localdate(instance.busy_from)])


def _hours_saved(sender, instance, **kwargs) -> None:
    availability_changed(instance.partner_id, [next_weekday(instance.day_of_week)])


def _forget_reach(sender, instance, **kwargs) -> None:
    """Now, and again after commit (a search in between may have cached the old reach)."""
    snapshot.forget(REACH_CACHE_KEY)
    transaction.on_commit(lambda: snapshot.forget(REACH_CACHE_KEY))


def connect() -> None:
    post_save.connect(_forget_reach, sender=Partner, dispatch_uid="partners.forget_reach")
    # Category and Service move the version on too: seed 004's search answers are cached under it.
    for model in (
        Partner,
        PartnerAssignment,
        PartnerAvailability,
        ServiceAreaPincode,
        PartnerTimeOff,
        Category,
        Service,
    ):
        post_save.connect(_slots_changed, sender=model, dispatch_uid=f"partners.slots_changed.{model.__name__}")
        post_delete.connect(_slots_changed, sender=model, dispatch_uid=f"partners.slots_gone.{model.__name__}")
    for model, receiver in ((PartnerAssignment, _assignment_saved), (PartnerAvailability, _hours_saved)):
        post_save.connect(receiver, sender=model, dispatch_uid=f"partners.live.{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"partners.live_gone.{model.__name__}")
