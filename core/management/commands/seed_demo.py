"""``python manage.py seed_demo``: load demo data, idempotently.

Each installed app of ours may have a ``demo`` module with a ``seed(stdout)``
function; they run in ``INSTALLED_APPS`` order, so the data grows with each
capability without ``core`` importing any app. Refuses to run with
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
    help = "Load idempotent demo data from every app's demo module."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--allow-production", action="store_true", help="Run even with production settings.")

    def handle(self, *args, **options) -> None:
        if settings.IS_PRODUCTION and not options["allow_production"]:
            raise CommandError("Refusing to load demo data with production settings (use --allow-production).")
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not config.path.startswith(str(settings.BASE_DIR)) or importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
