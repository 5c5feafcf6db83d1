"""The ledger accounts partners post to (partners.ledger registers them), created once."""

from django.db import migrations

ACCOUNTS = (
    ("platform_commission", "Platform commission", "revenue"),
    ("partner_payable", "Earnings owed to partners", "liability"),
    ("tax_payable", "GST collected, owed to the government", "liability"),
)


def create(apps, schema_editor):
    LedgerAccount = apps.get_model("payments", "LedgerAccount")
    for code, name, kind in ACCOUNTS:
        LedgerAccount.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_partner_offer_figures"), ("payments", "0004_ledger_accounts")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
