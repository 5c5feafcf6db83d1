"""Reads of the payments API; each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from core.errors import DomainError
from core.types import Id
from payments.errors import PaymentErrorCode
from payments.models import Payment, Refund


def payments_of(user: User) -> QuerySet[Payment]:
    return Payment.objects.filter(user=user).order_by("-created_at")


def payment_of(user: User, payment_id: Id) -> Payment:
    """The user's payment with its refunds (two queries); someone else's is "not found"."""
    payment = (
        Payment.objects.filter(pk=payment_id, user=user)
        .prefetch_related(Prefetch("refunds", queryset=Refund.objects.order_by("-created_at")))
        .first()
    )
    if payment is None:
        raise DomainError("Payment not found.", code=PaymentErrorCode.PAYMENT_NOT_FOUND, field="id", reason="not_found")
    return payment
