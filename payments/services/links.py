"""Payment links (seed 003): staff create a hosted payment page for a payable; its status comes from the gateway.

The link pays a pending ``Payment`` of the payable. When the gateway reports
the link paid (``payment_link.paid`` webhook, or a status check), the
payment becomes a success through the same transition as any other.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from accounts.models import User
from core.errors import DomainError
from payments import registry
from payments.errors import PaymentErrorCode
from payments.gateways import get_gateway
from payments.gateways.base import from_paise, to_paise
from payments.models import PaymentKind, PaymentLink, PaymentLinkStatus
from payments.services.payments import (
    _check_requested,
    _receipt,
    amount_for,
    new_payment,
    payment_apply_gateway_state,
)


def payment_link_create(
    *,
    created_by: User,
    payable_type: str,
    payable_id: str,
    amount: Decimal | None = None,
    kind: str = PaymentKind.FULL,
    customer_name: str = "",
    customer_phone: str = "",
    customer_email: str = "",
) -> PaymentLink:
    payable = registry.describe(payable_type, payable_id)
    to_pay = amount_for(payable, kind)
    _check_requested(payable, to_pay, amount, None)
    gateway = get_gateway()
    receipt = _receipt(payable.reference)
    expire_by = int(time.time()) + settings.PAYMENT_LINK_VALID_HOURS * 3600
    customer = {
        k: v for k, v in {"name": customer_name, "contact": customer_phone, "email": customer_email}.items() if v
    }
    link = gateway.create_payment_link(
        amount_paise=to_paise(to_pay),
        currency=payable.currency,
        description=payable.description[:2048],
        reference_id=receipt,
        customer=customer,
        expire_by=expire_by,
        notes={"payable_type": payable.type, "payable_id": payable.id},
    )
    with transaction.atomic():
        payment = new_payment(
            payable, amount=to_pay, kind=kind, gateway=gateway.name, receipt=receipt, notes={"payment_link": link.id}
        )
        return PaymentLink.objects.create(
            payment=payment,
            gateway_link_id=link.id,
            short_url=link.short_url,
            status=link.status,
            expires_at=link.expires_at or datetime.fromtimestamp(expire_by, tz=UTC),
            customer_name=customer_name,
            customer_phone=customer_phone,
            customer_email=customer_email,
            created_by=created_by,
        )


def payment_link_refresh(*, gateway_link_id: str) -> PaymentLink:
    """Ask the gateway for the link's state; a paid link captures its payment."""
    link = PaymentLink.objects.select_related("payment").filter(gateway_link_id=gateway_link_id).first()
    if link is None:
        raise DomainError("Payment link not found.", code=PaymentErrorCode.PAYMENT_LINK_NOT_FOUND, field="id")
    gateway = get_gateway()
    state = gateway.fetch_payment_link(gateway_link_id)
    PaymentLink.objects.filter(pk=link.pk).update(status=state.status, amount_paid=from_paise(state.amount_paid_paise))
    if state.status == PaymentLinkStatus.PAID and state.payment_ids:
        payment_apply_gateway_state(
            payment_pk=link.payment_id, gateway_payment=gateway.fetch_payment(state.payment_ids[0])
        )
    link.refresh_from_db()
    return link
