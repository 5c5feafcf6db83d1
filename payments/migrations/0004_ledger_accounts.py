"""The payments layer's own ledger accounts, created once (payments.services.ledger registers them)."""

from django.db import migrations

ACCOUNTS = (
    ("gateway_receivable", "Money held by the payment gateway for us", "asset"),
    ("cash_on_hand", "Cash and manual payments collected", "asset"),
    ("customer_funds", "Customers' payments, owed to what they bought", "liability"),
    ("gateway_fees", "Payment gateway fees", "expense"),
    ("bank", "Platform bank account", "asset"),
)


def create(apps, schema_editor):
    LedgerAccount = apps.get_model("payments", "LedgerAccount")
    for code, name, kind in ACCOUNTS:
        LedgerAccount.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_payable_sync")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
