"""Payment links (seed 003) and the daily reconciliation, on the offline gateway."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from payments.gateways import get_gateway
from payments.models import Payment, PaymentStatus, ReconciliationReport
from payments.services.reconciliation import reconcile_day
from payments.tasks import reconcile_yesterday
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.payments.conftest import create_order, order_body

pytestmark = pytest.mark.django_db(transaction=True)


def test_front_desk_creates_a_link_and_its_status_follows_the_gateway(payer, invoices):
    desk = client_for(make_user(Role.FRONT_DESK))
    invoice = invoices.add(payer, amount="1500.00")

    created = desk.post(
        "/api/v1/payments/create-link",
        {**order_body(invoice), "amount": "1500.00", "customerName": "Jane Smith", "customerPhone": "+919876543210"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    link_id = created.json()["data"]["payment_link_id"]
    before = desk.get(f"/api/v1/payments/verify/{link_id}")
    get_gateway().simulate_link_payment(link_id)
    after = desk.get(f"/api/v1/payments/links/{link_id}")

    assert created.status_code == 201, created.content
    assert created.json()["data"]["short_url"]
    assert before.json()["data"]["status"] == "created"
    assert after.json()["data"]["status"] == "paid"
    assert after.json()["data"]["amount_paid"] == 1500.0
    assert Payment.objects.get().status == PaymentStatus.SUCCESS
    assert invoices.events_for(invoice.id) == [("pending", "success")]


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.CUSTOMER])
def test_links_are_for_the_roles_seed_003_names(role, payer, invoices):
    response = client_for(make_user(role)).post(
        "/api/v1/payments/links", order_body(invoices.add(payer)), format="json", HTTP_X_IDEMPOTENCY_KEY="k1"
    )

    assert_error(response, 403, "FORBIDDEN")


def test_unknown_link(payer):
    assert_error(
        client_for(make_user(Role.ADMIN)).get("/api/v1/payments/links/plink_nope"), 404, "PAYMENT_LINK_NOT_FOUND"
    )


def test_reconciliation_captures_what_a_lost_webhook_missed(payer, payer_client, invoices):
    invoice = invoices.add(payer)
    lost = create_order(payer_client, invoice).json()["data"]
    kept = create_order(payer_client, invoices.add(payer)).json()["data"]
    missed = get_gateway().simulate_checkout(lost["order_id"])  # paid at the gateway; no verify, no webhook reached us
    paid = get_gateway().simulate_checkout(kept["order_id"])
    payer_client.post(
        "/api/v1/payments/verify",
        {k: paid[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
        format="json",
    )
    # the day the gateway has them on (paid one straight after the other), not the clock's day now
    day = timezone.localdate(get_gateway().fetch_payment(missed["razorpay_payment_id"]).created_at)

    report = reconcile_day(day=day)

    assert report.gateway_payments == 2
    assert report.fixed == 1
    assert report.matched == 1
    assert report.discrepancies == 0
    assert Payment.objects.get(pk=lost["payment_id"]).status == PaymentStatus.SUCCESS
    assert invoices.events_for(invoice.id) == [("pending", "success")]


def test_reconciliation_flags_what_it_cannot_fix(payer, payer_client, invoices):
    paid = create_order(payer_client, invoices.add(payer)).json()["data"]
    captured = timezone.now()
    Payment.objects.filter(pk=paid["payment_id"]).update(
        status=PaymentStatus.SUCCESS, gateway_payment_id="pay_ghost", captured_at=captured
    )

    report = reconcile_day(day=timezone.localdate(captured))

    assert report.discrepancies == 1
    assert report.details["discrepancies"][0]["problem"] == "paid here, not listed by the gateway"


def test_the_report_is_rewritten_and_readable_by_finance(payer, payer_client, invoices, django_assert_num_queries):
    assert reconcile_yesterday()
    today = ReconciliationReport.objects.get().day + timedelta(days=1)  # the task's today, not the clock's now
    reconcile_day(day=today)
    reconcile_day(day=today)

    finance = client_for(make_user(Role.FINANCE))
    # the token's user, its own and its groups' permissions, the count, one page of reports
    with django_assert_num_queries(5):
        response = finance.get("/api/v1/payments/reconciliation")

    assert ReconciliationReport.objects.count() == 2
    assert response.json()["data"]["pagination"]["total"] == 2
    assert_error(client_for(make_user(Role.SUPPORT)).get("/api/v1/payments/reconciliation"), 403, "FORBIDDEN")


def test_the_reports_take_as_many_queries_for_four_days_as_for_one():
    first_day = date(2026, 11, 1)
    finance = client_for(make_user(Role.FINANCE))
    reconcile_day(day=first_day)
    one = query_counts(finance, ["/api/v1/payments/reconciliation"])
    for n in range(1, 4):
        reconcile_day(day=first_day + timedelta(days=n))

    four = query_counts(finance, ["/api/v1/payments/reconciliation"])

    reports = finance.get("/api/v1/payments/reconciliation").json()["data"]["reports"]
    assert [r["day"] for r in reports] == ["2026-11-04", "2026-11-03", "2026-11-02", "2026-11-01"]
    assert four == one
