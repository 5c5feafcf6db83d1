"""Daily reconciliation (seed 000): the gateway's payments for a day against ours.

A payment the gateway captured but we still show as pending or failed (a lost
webhook) is captured here, through the same transition as the webhook would
have used. What cannot be fixed automatically (a gateway payment we have no
order for, a payment we show as paid that the gateway shows failed, one of
ours the gateway does not list) is a discrepancy for staff; one of ours made at
the gateway before midnight and captured here after it is on the gateway's
list of the day before, not missing from this day's. The report is kept per
day and gateway and is rewritten if the day is run again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from payments.gateways import get_gateway
from payments.gateways.base import Gateway, GatewayError
from payments.models import PAID_STATUSES, Payment, ReconciliationReport
from payments.services.payments import payment_apply_gateway_state


def reconcile_day(*, day: date) -> ReconciliationReport:
    zone = ZoneInfo(settings.TIME_ZONE)
    since = datetime.combine(day, time.min, tzinfo=zone)
    until = since + timedelta(days=1)
    gateway = get_gateway()
    seen: set[str] = set()
    matched = fixed = 0
    problems: list[dict[str, str]] = []
    fixes: list[dict[str, str]] = []
    count = 0
    for gateway_payment in gateway.list_payments(since=since, until=until):
        count += 1
        seen.add(gateway_payment.id)
        ours = (
            Payment.objects.filter(gateway_payment_id=gateway_payment.id).first()
            or Payment.objects.filter(gateway_order_id=gateway_payment.order_id).first()
            if gateway_payment.order_id
            else Payment.objects.filter(gateway_payment_id=gateway_payment.id).first()
        )
        if ours is None:
            problems.append({"gateway_payment_id": gateway_payment.id, "problem": "no order of ours"})
            continue
        captured = gateway_payment.status in ("captured", "refunded")
        if captured and ours.status not in PAID_STATUSES:
            payment_apply_gateway_state(payment_pk=ours.pk, gateway_payment=gateway_payment)
            fixed += 1
            fixes.append({"payment_id": str(ours.pk), "gateway_payment_id": gateway_payment.id, "fix": "captured"})
        elif not captured and ours.status in PAID_STATUSES and ours.gateway_payment_id == gateway_payment.id:
            problems.append({"payment_id": str(ours.pk), "problem": f"paid here, {gateway_payment.status} at gateway"})
        else:
            matched += 1
    ours_paid = Payment.objects.filter(
        gateway=gateway.name, status__in=PAID_STATUSES, captured_at__gte=since, captured_at__lt=until
    ).exclude(gateway_payment_id__in=seen)
    for payment in ours_paid.only("pk", "gateway_payment_id"):
        if _captured_on_another_day(gateway, payment.gateway_payment_id, since=since, until=until):
            continue  # that day's report covers it
        problems.append({"payment_id": str(payment.pk), "problem": "paid here, not listed by the gateway"})
    with transaction.atomic():
        report, _ = ReconciliationReport.objects.update_or_create(
            day=day,
            gateway=gateway.name,
            defaults={
                "gateway_payments": count,
                "matched": matched,
                "fixed": fixed,
                "discrepancies": len(problems),
                "details": {"fixes": fixes, "discrepancies": problems},
            },
        )
    return report


def _captured_on_another_day(
    gateway: Gateway, gateway_payment_id: str | None, *, since: datetime, until: datetime
) -> bool:
    """Whether the gateway has this payment captured, made on another day than ``since``-``until``.

    The gateway lists payments by the moment they were made; we note when we learnt of the capture. A payment
    made before midnight and captured here after it (a late webhook, or the nightly reconciliation fixing a
    lost one) is on the gateway's list of the day before: not a discrepancy of this day.
    """
    if not gateway_payment_id:
        return False
    try:
        found = gateway.fetch_payment(gateway_payment_id)
    except GatewayError:
        return False
    made = found.created_at
    return found.status in ("captured", "refunded") and made is not None and not since <= made < until
