"""The benchmark's own payable ("bench.invoice"), registered only under the benchmark settings."""

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
