"""One way to move a row along its state machine (DESIGN.md section 1: "a state machine is written once").

Each stateful model keeps its table of allowed transitions next to it
(``BOOKING_TRANSITIONS``, ``PAYMENT_TRANSITIONS``...) and declares one
:class:`StateMachine` over it. Every status write goes through
:meth:`StateMachine.move`, which

1. insists on being inside a transaction with the row already locked by the
   caller (``select_for_update``; :meth:`StateMachine.lock` does it), because
   callers lock rows in a fixed order across several tables;
2. returns ``False`` at once when the row is already in the asked state (a
   replayed webhook, a double click), unless that state may repeat (or the
   machine refuses repeats: then it is the 422 below);
3. refuses a move the table does not allow with ``422 INVALID_<THING>_STATUS``
   (``reason: illegal_transition``, the current and requested states in
   ``context``), or, with ``strict=False`` (a gateway event arriving late),
   ignores it and returns ``False``;
4. saves only the status and the fields that change with it
   (``update_fields``), plus ``updated_at`` when the model has one;
5. calls ``on_change`` (timeline row, audit entry, counters) in the same
   transaction; events, tasks and notifications it starts go through
   ``transaction.on_commit`` (``core.events.send_event_on_commit``,
   ``core.jobs.enqueue_on_commit``), never before the commit.
6. counts the move for Prometheus once it commits, when it is an outcome
   ``core.metrics`` follows (a payment captured or failed, a dispatch offer
   made, answered, expired or queued for staff).

Healthchecks' compare-and-set and pretix's ``OrderPayment.confirm`` are the
two shapes STYLE.md names; this is the second one, shared.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction

from core import metrics
from core.errors import DomainError

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Transition(Generic[M]):
    """What :meth:`StateMachine.move` did: the row (saved), and the state it left and reached."""

    instance: M
    old: str
    new: str


@dataclass(frozen=True)
class StateMachine(Generic[M]):
    """A table of allowed moves and the error that refuses the others.

    ``repeatable`` states may be "entered" again from themselves (a partial
    refund after a partial refund); ``record_steps`` makes a move to the same
    state a recorded step instead of a no-op (a partner arriving leaves the
    booking ``confirmed`` but is on its timeline); ``refuse_repeats`` makes it a
    ``422`` instead (a person processing a payout twice is told, not ignored).
    """

    model: type[M]
    transitions: Mapping[str, Collection[str]]
    error_code: Any  # an ErrorCode member: INVALID_<THING>_STATUS, 422
    thing: str
    field_name: str = "status"
    repeatable: frozenset[str] = field(default_factory=frozenset)
    record_steps: bool = False
    refuse_repeats: bool = False
    error_field: str = ""  # ``details.field`` of the 422, when the status is a request field

    def lock(self, pk: Any) -> M | None:
        """The row, locked for the rest of the transaction (``None`` when it does not exist)."""
        return self.model._default_manager.select_for_update().filter(pk=pk).first()

    def allows(self, old: str, new: str) -> bool:
        return new in self.transitions.get(old, ()) or (new == old and new in self.repeatable)

    def refuse(self, old: str, new: str) -> DomainError:
        return DomainError(
            f"A {old} {self.thing} cannot become {new}.",
            code=self.error_code,
            field=self.error_field or None,
            reason="illegal_transition",
            context={"status": old, "requested": new},
        )

    def move(
        self,
        instance: M,
        new: str,
        *,
        strict: bool = True,
        changes: Mapping[str, Any] | None = None,
        on_change: Callable[[Transition[M]], None] | None = None,
    ) -> bool:
        """Move a locked row to ``new``, save it and record the change; returns whether anything changed."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{self.thing} transitions run inside a transaction, on a locked row.")
        old = getattr(instance, self.field_name)
        same = new == old
        if same and not (new in self.repeatable or self.record_steps):
            if self.refuse_repeats and strict:
                raise self.refuse(old, new)
            return False
        if not same and not self.allows(old, new):
            if strict:
                raise self.refuse(old, new)
            return False
        changes = dict(changes or {})
        for name, value in changes.items():
            setattr(instance, name, value)
        setattr(instance, self.field_name, new)
        update_fields = [self.field_name, *changes]
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields.append("updated_at")
        instance.save(update_fields=list(dict.fromkeys(update_fields)))
        metrics.count_transition(self.thing, new)  # payment and dispatch outcomes, once committed
        if on_change is not None:
            on_change(Transition(instance=instance, old=old, new=new))
        return True
