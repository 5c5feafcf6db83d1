"""The benchmark's own payable ("bench.invoice"), registered only under the benchmark settings.

With ``BENCH_NO_HOLD=1`` in the environment the partners port is replaced by one that ranks nobody
(``hold_plan``) and whose ``hold_capacity`` holds nothing and lets every booking stand: checkout confirm as
it was before issue #23, so that ``bench_bookings.py`` measures confirms per second with and without the hold
in the same run.
"""

import os
from decimal import Decimal

from django.apps import AppConfig

CALLBACKS_KEY = "bench:callbacks"


class BenchInvoices:
    def describe(self, payable_id):
        from payments.registry import Payable

        return Payable(
            type="bench.invoice",
            id=payable_id,
            amount_due=Decimal("1180.00"),
            owner_id=None,
            reference=f"BENCH-{payable_id}",
            description="benchmark",
        )

    def on_payment_event(self, event):
        from core import ratelimit

        ratelimit.client().incr(CALLBACKS_KEY)  # atomic, shared by every worker process


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    label = "benchmarks"

    def ready(self) -> None:
        from payments import registry

        registry.register("bench.invoice", BenchInvoices())
        if os.environ.get("BENCH_NO_HOLD") == "1":
            from bookings import hooks
            from partners.port import BookingPartners

            class NoHold(BookingPartners):
                def hold_plan(self, *, request, start, end) -> list:
                    return []  # no ranking before the transaction either

                def hold_capacity(self, *, booking, plan=None, events=None) -> bool:
                    return True  # the booking stands; nobody's time is held

            hooks.register(NoHold())
