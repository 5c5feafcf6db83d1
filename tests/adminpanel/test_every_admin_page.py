"""Every page of the Django admin, for the super admin and for each staff role (issue #22).

Generated from the admin registry: for every registered model, its changelist, its add form and one row's
change form are opened by a member of each staff role. The answer expected comes from the permission
matrix (``accounts.roles.ROLE_PERMISSIONS``, which ``tests/accounts/test_role_grants.py`` keeps equal to the
groups and to docs/permissions.md): 200 when the role holds the model's view or change permission (the add
form: its add permission, where the admin allows adding at all), 403 otherwise, which is what Django's admin
answers a signed-in staff member without the permission. A society admin runs the societies of the rows.

A model registered later is covered with no new test: its rows are built generically (every required field
filled, foreign keys built the same way), or by the builder ``tests/adminpanel/admin_rows.BUILDERS`` names for
it when that cannot work.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role
from bookings.models import Booking
from partners.models import PartnerAssignment
from payments.models import Payment
from societies.models import Society, SocietyAdminScope
from tests.adminpanel.admin_rows import build
from tests.adminpanel.helpers import paid_booking, query_counts
from tests.conftest import make_user
from tests.factories import PartnerFactory
from tests.societies import helpers as societies

pytestmark = pytest.mark.django_db

REGISTRY = admin.site._registry
MODELS = sorted(REGISTRY, key=lambda model: model._meta.label)
ROLES = sorted(STAFF_ROLES, key=lambda role: role.value)


def _url(model, page: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)
    except NoReverseMatch:
        return None  # e.g. the settings page: one form instead of rows


def _holds(role: Role, model, *actions: str) -> bool:
    if role == Role.SUPER_ADMIN:
        return True
    return any(
        f"{model._meta.app_label}.{action}_{model._meta.model_name}" in ROLE_PERMISSIONS[role] for action in actions
    )


def _admin_allows_adding(model) -> bool:
    """What the admin says to a super admin (some admins never add: rows come from the services)."""
    request = type("Request", (), {"user": User(is_superuser=True, is_active=True)})()
    return REGISTRY[model].has_add_permission(request)


def expected_pages(model, row, role: Role) -> list[tuple[str, str, int]]:
    """(page, url, status) of each page of ``model`` for a member of ``role``."""
    may_view = _holds(role, model, "view", "change")
    pages = [("changelist", _url(model, "changelist"), 200 if may_view else 403)]
    add = _url(model, "add")
    if add:
        pages.append(("add", add, 200 if _admin_allows_adding(model) and _holds(role, model, "add") else 403))
    change = _url(model, "change", row.pk)
    if change:
        pages.append(("change", change, 200 if may_view else 403))
    return pages


CASES = [pytest.param(model, role, id=f"{model._meta.label}-{role.value}") for model in MODELS for role in ROLES]


@pytest.mark.parametrize(("model", "role"), CASES)
def test_every_admin_page_answers_as_the_role_permissions_say(model, role):
    row = build(model)
    person = make_user(role)
    if role == Role.SOCIETY_ADMIN:  # they run the societies of the rows shown
        SocietyAdminScope.objects.bulk_create(SocietyAdminScope(user=person, society=s) for s in Society.objects.all())
    client = Client()
    client.force_login(person)

    pages = expected_pages(model, row, role)
    answers = {page: client.get(url).status_code for page, url, _ in pages}

    assert answers == {page: expected for page, _, expected in pages}


def test_the_cases_cover_every_registered_model_for_every_staff_role():
    assert len(CASES) == len(REGISTRY) * len(STAFF_ROLES)
    assert Role.SOCIETY_ADMIN in ROLES
    assert Role.SUPER_ADMIN in ROLES


def _plural_oddity(singular: str, plural: str) -> str | None:
    """What is wrong with Django's default plural (the singular with an "s") of ``singular``, if anything."""
    one, many = singular.split()[-1].lower(), plural.split()[-1].lower()
    if many.endswith("ss") and not one.endswith("ss"):
        return "ss"  # "addresss", "statuss"
    if re.search(r"[^aeiou]ys$", many):
        return "ys after a consonant"  # "categorys", "entrys"
    if re.search(r"(s|x|z|ch|sh)$", one) and many == one + "s":
        return "s after a hissing sound"  # "boxs", "batchs"
    return None


def test_every_model_has_an_english_plural():
    odd = {
        model._meta.label: (str(model._meta.verbose_name_plural), oddity)
        for model in apps.get_models()
        if (oddity := _plural_oddity(str(model._meta.verbose_name), str(model._meta.verbose_name_plural)))
    }

    assert odd == {}


@pytest.mark.parametrize(
    ("singular", "plural", "oddity"),
    [
        ("address", "addresss", "s after a hissing sound"),
        ("status", "statuss", "ss"),
        ("category", "categorys", "ys after a consonant"),
        ("ledger entry", "ledger entrys", "ys after a consonant"),
        ("batch", "batchs", "s after a hissing sound"),
        ("address", "addresses", None),
        ("delivery", "deliveries", None),
        ("day", "days", None),
        ("vendor access", "vendor access", None),
    ],
)
def test_the_plural_check_tells_english_from_django_default(singular, plural, oddity):
    assert _plural_oddity(singular, plural) == oddity


def _changelist_queries(client, model) -> int:
    return query_counts(client, [_url(model, "changelist")])[_url(model, "changelist")]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_reads_as_many_queries_for_three_rows_as_for_one(model):
    boss = make_user(Role.SUPER_ADMIN)
    client = Client()
    client.force_login(boss)
    build(model)
    one = _changelist_queries(client, model)
    build(model), build(model)

    assert _changelist_queries(client, model) == one


def _completed_bookings(count: int, workers) -> None:
    """``count`` paid, completed bookings (each with its payment), done by ``workers`` in turn."""
    for n in range(count):
        booking = paid_booking(status="completed")
        PartnerAssignment.objects.create(
            booking=booking,
            partner=workers[n % len(workers)],
            status="completed",
            busy_from=booking.scheduled_start,
            busy_until=booking.scheduled_end,
            accepted_at=timezone.now(),
            partner_earning=700,
            commission_percentage=70,
        )


def test_the_busiest_changelists_read_as_many_queries_for_thirty_rows_as_for_three():
    lists = (Booking, Payment, PartnerAssignment)
    busiest = [_url(model, "changelist") for model in lists]
    readers = [role for role in ROLES if all(_holds(role, model, "view", "change") for model in lists)]
    clients = {}
    for role in readers:
        clients[role] = Client()
        clients[role].force_login(make_user(role))
    workers = [PartnerFactory(), PartnerFactory()]
    _completed_bookings(3, workers)
    few = {role: query_counts(client, busiest) for role, client in clients.items()}

    _completed_bookings(27, workers)
    many = {role: query_counts(client, busiest) for role, client in clients.items()}

    assert len(readers) > 1
    assert Booking.objects.count() == Payment.objects.count() == PartnerAssignment.objects.count() == 30
    assert many == few


# Decimal fields that are not money: rates, ratings and scores.
NOT_MONEY = ("rate", "rating", "score")
# Lists staff do not search or filter, and why.
NO_SEARCH_OR_FILTER = {
    "auth.Group": "Django's own, a handful of roles",
    "token_blacklist.OutstandingToken": "simplejwt's own",
    "token_blacklist.BlacklistedToken": "simplejwt's own",
    "core.SystemSetting": "one form, not a list",
    "payments.ReconciliationReport": "one row a day per gateway: the date hierarchy and the gateway filter find it",
}


def test_no_list_shows_a_money_field_raw():
    raw = [
        f"{model._meta.label}.{name}"
        for model, model_admin in REGISTRY.items()
        for name in model_admin.list_display
        if isinstance(name, str)
        and name in {field.name for field in model._meta.concrete_fields}
        and isinstance(field := model._meta.get_field(name), models.DecimalField)
        and field.decimal_places == 2
        and not field.name.endswith(NOT_MONEY)
    ]

    assert raw == []


def test_every_list_staff_use_can_be_searched_and_filtered():
    missing = [
        (model._meta.label, "search" if not model_admin.search_fields else "filter")
        for model, model_admin in REGISTRY.items()
        if model._meta.label not in NO_SEARCH_OR_FILTER
        and not (model_admin.search_fields and (model_admin.list_filter or model_admin.date_hierarchy))
    ]

    assert missing == []


def test_money_columns_read_as_rupees():
    from bookings.models import PromoCode

    boss = make_user(Role.SUPER_ADMIN)
    client = Client()
    client.force_login(boss)
    paid_booking(total="1180.00")
    PromoCode.objects.create(code="TENOFF", discount_type="percentage", discount_value=Decimal("10.00"))
    PromoCode.objects.create(code="FIFTY", discount_type="fixed", discount_value=Decimal("50.00"))

    bookings = client.get("/admin/bookings/booking/").content.decode()
    payments = client.get("/admin/payments/payment/").content.decode()
    promos = client.get("/admin/bookings/promocode/").content.decode()

    assert '<td class="field-grand_total">₹1,180.00</td>' in bookings
    assert '<td class="field-amount">₹1,180.00</td>' in payments
    assert '<td class="field-discount">10%</td>' in promos
    assert '<td class="field-discount">₹50.00</td>' in promos


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_list_answers_a_search(model):
    client = Client()
    client.force_login(make_user(Role.SUPER_ADMIN))
    build(model)

    assert client.get(_url(model, "changelist"), {"q": "Asha 9876"}).status_code == 200


SOCIETY_ADMINS_READ = [model for model in MODELS if _holds(Role.SOCIETY_ADMIN, model, "view", "change")]


@pytest.mark.parametrize("model", SOCIETY_ADMINS_READ, ids=lambda model: model._meta.label)
def test_a_society_admin_of_another_society_sees_no_row_of_this_one(model):
    row = build(model)
    elsewhere = make_user(Role.SOCIETY_ADMIN)
    SocietyAdminScope.objects.create(user=elsewhere, society=societies.apartment(towers=1, floors=1, flats=1))
    client = Client()
    client.force_login(elsewhere)

    listed = client.get(_url(model, "changelist"))
    opened = client.get(_url(model, "change", row.pk))

    assert listed.status_code == 200
    assert row.pk not in {shown.pk for shown in listed.context["cl"].result_list}
    assert (opened.status_code, opened["Location"]) == (302, reverse("admin:index"))
