"""``python manage.py seed_demo``: load demo data, idempotently.

Each installed app of ours may have a ``demo`` module with a ``seed(stdout)``
function; they run in ``INSTALLED_APPS`` order, so the data grows with each
capability without ``core`` importing any app. Then, unless ``--no-history``
is given, each app's ``demo_history`` module (``seed(stdout)``) adds past
activity made through the services with the clock set back (issue #22,
``partners.demo_history``: about 90 days of bookings, payments, refunds,
reviews and payouts); it runs after every ``demo`` module, so it finds all the
demo data. Each module runs in its own transaction. Refuses to run with
production settings unless ``--allow-production`` is given.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load idempotent demo data from every app's demo module, then its demo history."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--allow-production", action="store_true", help="Run even with production settings.")
        parser.add_argument(
            "--no-history", action="store_true", help="Skip the past activity (the apps' demo_history modules)."
        )

    def handle(self, *args, **options) -> None:
        if settings.IS_PRODUCTION and not options["allow_production"]:
            raise CommandError("Refusing to load demo data with production settings (use --allow-production).")
        steps = ["demo"] if options["no_history"] else ["demo", "demo_history"]
        for step in steps:
            for config in apps.get_app_configs():
                module_name = f"{config.name}.{step}"
                if not config.path.startswith(str(settings.BASE_DIR)) or importlib.util.find_spec(module_name) is None:
                    continue
                module = importlib.import_module(module_name)
                with transaction.atomic():
                    module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
