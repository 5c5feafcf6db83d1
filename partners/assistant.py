"""The chat assistant (issue #20, seed 002 "Chat"): answers from the signed-in person's own data, no model.

**Why in partners.** The assistant reads a customer's bookings, sign-offs and disputes (the bookings app) and a
partner's jobs and earnings (this app). The import-linter layers are ``adminpanel > orders > societies >
partners > bookings > ...``: ``partners`` is the lowest layer that may import both sides, and the assistant needs
nothing above it. The HTTP endpoints are ``partners.api.chat``, the WebSocket ``partners.consumers``.

**Who may ask (rule C1).** The seed shows no authentication; here ``user_id`` must be the signed-in person
(another person's id is ``403 FORBIDDEN``, field ``user_id``) and ``role`` one they hold (``403 FORBIDDEN``,
field ``role``; a role the assistant does not know is ``422 VALIDATION_ERROR``). Roles: ``customer`` (the
customer role), ``partner`` or ``vendor`` (a partner or specialist with a partner profile), ``specialist`` (the
specialist role and a profile), ``staff`` (any staff role) or a staff role by name (``ops_manager``...).

**Intent matching (rule C2).** A message is lower-cased and tried against :data:`INTENTS` in order; the first
intent whose pattern matches *and* that has an answer for the person's kind (customer, partner, staff) answers.
Nothing matching is ``help``: what this kind of person can ask. Every answer reads through the selectors of its
app, at most :data:`LIMIT` rows, so its query count does not grow with the person's history; the answers are in
``partners.assistant_answers``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from accounts.roles import PARTNER_ROLES, STAFF_ROLES, Role
from core.errors import DomainError, ErrorCode
from core.types import Id
from partners import assistant_answers as answers
from partners.assistant_answers import CUSTOMER, PARTNER, STAFF, Asker, Reply
from partners.models import Partner

LIMIT = answers.LIMIT

ROLE_KINDS: dict[str, str] = {
    "customer": CUSTOMER,
    "partner": PARTNER,
    "vendor": PARTNER,
    "specialist": PARTNER,
    "staff": STAFF,
    **{role.value: STAFF for role in STAFF_ROLES},
}


@dataclass(frozen=True)
class Intent:
    name: str
    pattern: re.Pattern[str]
    answers: dict[str, Callable[[Asker], Reply]] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)


def _words(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(words) + r")\b")


INTENTS: list[Intent] = [
    Intent(
        "signatures_to_approve",
        _words("sign", "signs", "signature", "signatures", "sign-off", "sign-offs", "signoff", "approve", "approval"),
        {CUSTOMER: answers.customer_signatures, PARTNER: answers.partner_signatures},
        {CUSTOMER: "Approve signature for completed service", PARTNER: "Which sign-offs am I waiting for?"},
    ),
    Intent(
        "disputes_status",
        _words("dispute", "disputes", "complaint", "complaints"),
        {CUSTOMER: answers.customer_disputes, PARTNER: answers.partner_disputes, STAFF: answers.staff_disputes},
        {CUSTOMER: "Status of my disputes", PARTNER: "Disputes on my jobs", STAFF: "Open disputes"},
    ),
    Intent(
        "cancel_help",
        _words("cancel", "cancellation", "cancelling", "canceling", "reject", "decline", "turn down"),
        {CUSTOMER: answers.customer_cancel_help, PARTNER: answers.partner_cancel_help},
        {CUSTOMER: "How do I cancel a booking?", PARTNER: "How do I turn down a job?"},
    ),
    Intent(
        "my_earnings",
        _words("earn", "earned", "earning", "earnings", "payout", "payouts", "income", "money"),
        {PARTNER: answers.partner_earnings},
        {PARTNER: "My earnings"},
    ),
    Intent(
        "todays_jobs",
        _words("today", "todays", "tonight"),
        {CUSTOMER: answers.customer_today, PARTNER: answers.partner_today, STAFF: answers.staff_today},
        {CUSTOMER: "Do I have a booking today?", PARTNER: "Today's jobs", STAFF: "Bookings today"},
    ),
    Intent(
        "next_booking",
        _words("next", "upcoming", "coming"),
        {CUSTOMER: answers.customer_next, PARTNER: answers.partner_next},
        {CUSTOMER: "My next booking", PARTNER: "My next job"},
    ),
    Intent(
        "pending_jobs",
        _words("pending", "job", "jobs", "offer", "offers", "work"),
        {PARTNER: answers.partner_pending},
        {PARTNER: "What are my pending jobs?"},
    ),
    Intent(
        "track_bookings",
        _words("track", "tracking", "booking", "bookings", "order", "orders", "appointment", "appointments", "status"),
        {CUSTOMER: answers.customer_bookings, PARTNER: answers.partner_jobs},
        {CUSTOMER: "Track my bookings", PARTNER: "Track my bookings"},
    ),
]
HELP = "help"


def _holds(user: User, role: str, kind: str) -> bool:
    if kind == CUSTOMER:
        return user.has_role(Role.CUSTOMER)
    if kind == PARTNER:
        wanted = (Role.SPECIALIST,) if role == Role.SPECIALIST else tuple(PARTNER_ROLES)
        return user.has_role(*wanted) and Partner.objects.filter(user_id=user.pk).exists()
    if role == STAFF:
        return user.is_staff_member
    return user.is_superuser or user.has_role(role)


def asker_for(user: User, *, user_id: Id, role: str) -> Asker:
    """Who is asking, once rule C1 holds: ``user_id`` is ``user`` and ``role`` one of theirs (else DomainError)."""
    if str(user_id) != str(user.pk):
        raise DomainError(
            "You can only ask about yourself.", code=ErrorCode.FORBIDDEN, field="user_id", reason="not_you"
        )
    kind = ROLE_KINDS.get(role)
    if kind is None:
        raise DomainError(
            f"Unknown role. Use one of: {', '.join(ROLE_KINDS)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="role",
            reason="unknown_role",
        )
    if not _holds(user, role, kind):
        raise DomainError(
            f"You do not hold the role {role}.", code=ErrorCode.FORBIDDEN, field="role", reason="role_not_held"
        )
    partner = Partner.objects.filter(user_id=user.pk).first() if kind == PARTNER else None
    return Asker(user=user, role=role, kind=kind, partner=partner)


def match(message: str, kind: str) -> Intent | None:
    """The first intent whose words are in ``message`` and that answers ``kind``; None: help."""
    text = message.lower().replace("'", "").replace("\u2019", "")
    return next((i for i in INTENTS if kind in i.answers and i.pattern.search(text)), None)


def suggested_actions(kind: str) -> list[str]:
    return [intent.examples[kind] for intent in INTENTS if kind in intent.examples]


def _help(asker: Asker) -> Reply:
    actions = suggested_actions(asker.kind)
    text = "I can answer questions about your own account. Try:\n\n" + "\n".join(f"• {a}" for a in actions)
    return Reply(text, {"suggested_actions": actions})


def answer(asker: Asker, message: str) -> dict[str, Any]:
    """``{"response", "intent", "data"}`` for ``message`` from ``asker`` (rule C2: matching, no model)."""
    intent = match(message, asker.kind)
    reply = intent.answers[asker.kind](asker) if intent else _help(asker)
    return {"response": reply.text, "intent": intent.name if intent else HELP, "data": reply.data}


def context(asker: Asker) -> dict[str, Any]:
    """What the chat screen opens with: the role, what to ask, and the person's latest activity."""
    return {
        "role": asker.role,
        "suggested_actions": suggested_actions(asker.kind),
        "recent_activities": answers.recent_activities(asker),
    }
