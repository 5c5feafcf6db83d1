"""Rows of every model registered in the Django admin, for tests that open each admin page.

``build(model)`` makes a new row: by the builder ``BUILDERS`` names for the model (a service writes those rows
with their related rows, or a constraint needs values that agree), else generically: every required field
filled with a made-up value, foreign keys built the same way.
"""

from __future__ import annotations

import io
import itertools
import uuid
from collections.abc import Callable
from datetime import time, timedelta
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.postgres.fields import ArrayField
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from PIL import Image
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.roles import Role
from bookings.models import BookingPhoto, BookingSignature, Dispute, DisputeMessage
from core import system_settings
from core.models import SystemSetting
from payments.models import Payment
from societies.models import AssignmentType, ServiceArea
from tests.adminpanel.helpers import paid_booking
from tests.conftest import make_user
from tests.factories import CategoryFactory, PartnerAssignmentFactory, PartnerFactory, ServiceFactory
from tests.orders import helpers as orders
from tests.societies import helpers as societies

REGISTRY = admin.site._registry

_n = itertools.count(1)


def _order():
    society, resident, partner = orders.neighbourhood(flats=1)
    return orders.placed(society, resident, partner)


def _outstanding_token():
    token = RefreshToken.for_user(make_user())  # records its outstanding row
    return OutstandingToken.objects.get(jti=token["jti"])


def _service_area():
    """A vendor serving one tower (a society-wide area has no node; a group's needs one of that society)."""
    society = societies.apartment(towers=1, floors=1, flats=1)
    node = societies.group(society, "TA")
    return ServiceArea.objects.create(
        partner=societies.vendor(), society=society, assignment_type=AssignmentType.GROUP, node=node
    )


def _setting():
    """The next setting still at its deployment default, stored (as staff would on the settings page)."""
    key = next(key for key in system_settings.DEFINITIONS if not SystemSetting.objects.filter(key=key).exists())
    system_settings.settings_update(actor=None, changes={key: system_settings.value(key)})
    return SystemSetting.objects.get(key=key)


def _booking_photo():
    """A photo as ``photo_upload`` stores it: an image and its thumbnail in storage."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(buffer, "JPEG")
    photo = BookingPhoto(booking=paid_booking(), image_type="before", content_type="image/jpeg")
    photo.image.save(f"{photo.booking_id}/{photo.pk}.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.thumbnail.save(f"{photo.booking_id}/{photo.pk}.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.width, photo.height = 8, 6
    photo.save()
    return photo


def _booking_signature():
    """A sign-off request as ``signature_request`` writes it (pending, no drawn image yet)."""
    now = timezone.now()
    return BookingSignature.objects.create(
        booking=paid_booking(), requested_at=now, expires_at=now + timedelta(hours=48)
    )


def _dispute():
    """A dispute as ``dispute_open`` writes it, with a message from its customer."""
    booking = paid_booking()
    dispute = Dispute.objects.create(
        booking=booking, customer=booking.user, dispute_type="quality_issue", title="Stains", description="Two."
    )
    DisputeMessage.objects.create(dispute=dispute, sender=booking.user, content="Please look.")
    return dispute


def _blacklisted_token():
    return BlacklistedToken.objects.create(token=_outstanding_token())


# Rows the generic builder cannot make (a service writes them with their related rows, or a constraint needs
# values that agree with each other); keyed by the model's label.
BUILDERS: dict[str, Callable[[], models.Model]] = {
    "accounts.User": lambda: make_user(Role.CUSTOMER),
    "auth.Group": lambda: Group.objects.create(name=f"group {next(_n)}"),
    "bookings.Booking": paid_booking,
    "bookings.BookingPhoto": _booking_photo,
    "bookings.BookingSignature": _booking_signature,
    "bookings.Dispute": _dispute,
    "payments.Payment": lambda: Payment.objects.get(payable_id=str(paid_booking().pk)),
    "catalog.Category": lambda: CategoryFactory(key=f"CATEGORY_{next(_n)}"),
    "catalog.Service": lambda: ServiceFactory(service_key=f"SERVICE_{next(_n)}"),
    "partners.Partner": PartnerFactory,
    "partners.PartnerAssignment": PartnerAssignmentFactory,
    "orders.Order": _order,
    "core.SystemSetting": _setting,
    "societies.ServiceArea": _service_area,
    "token_blacklist.OutstandingToken": _outstanding_token,
    "token_blacklist.BlacklistedToken": _blacklisted_token,
}


def _value(field: models.Field):
    """A valid value for a required field, made up (foreign keys: a row built for them)."""
    n = next(_n)
    if isinstance(field, models.ForeignKey):
        return build(field.related_model)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, ArrayField):
        return []
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.EmailField):
        return f"row{n}@example.com"
    if isinstance(field, models.URLField):
        return f"https://example.com/{n}"
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1.00")
    if isinstance(field, models.IntegerField):  # the small, big and positive ones too
        return n if field.unique else 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate() - timedelta(days=n)
    if isinstance(field, models.TimeField):
        return time(10)
    if isinstance(field, models.DurationField):
        return timedelta(minutes=30)
    if isinstance(field, models.BinaryField):
        return b""
    if isinstance(field, models.CharField | models.TextField):
        return f"{field.name[:8]}{n}"[: field.max_length or None]
    raise NotImplementedError(f"No generic value for {field.model._meta.label}.{field.name}: add it to BUILDERS")


def _required(field: models.Field) -> bool:
    return (
        field.concrete
        and not isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField)
        and not field.null
        and not field.has_default()
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    )


def build(model: type[models.Model]) -> models.Model:
    """A new row of ``model``: through ``BUILDERS`` when it names the model, else every required field filled
    (and every foreign key its list shows, so that a list's query per row shows)."""
    if model._meta.label in BUILDERS:
        return BUILDERS[model._meta.label]()
    shown = set(REGISTRY[model].list_display) if model in REGISTRY else set()  # filled, to show in the list
    values = {
        field.name: _value(field)
        for field in model._meta.concrete_fields
        if _required(field) or (field.name in shown and isinstance(field, models.ForeignKey))
    }
    return model._default_manager.create(**values)
