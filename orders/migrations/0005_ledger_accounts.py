"""The ledger account orders post to (orders.payable registers it), created once: money a society vendor
collected directly from a resident and keeps (seed 001 8.1)."""

from django.db import migrations

ACCOUNTS = (
    (
        "society_vendor_collected",
        "Society-order payments collected directly by vendors (held by the vendor)",
        "asset",
    ),
)


def create(apps, schema_editor):
    LedgerAccount = apps.get_model("payments", "LedgerAccount")
    for code, name, kind in ACCOUNTS:
        LedgerAccount.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("orders", "0004_workflows"), ("payments", "0004_ledger_accounts")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
