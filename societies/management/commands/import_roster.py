"""``manage.py import_roster <society_id> <file.csv>``: load a society's roster, all rows or none."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from societies.services import setup


class Command(BaseCommand):
    help = "Import a society's roster from a CSV file (phone,unit_node_id,suggested_name,is_primary,notes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("society_id", type=int)
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, society_id: int, csv_file: Path, **options) -> None:
        try:
            text = csv_file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {csv_file}: {exc}") from exc
        try:
            result = setup.roster_import(society_id=society_id, rows=setup.rows_from_csv(text))
        except DomainError as exc:
            raise CommandError(f"Nothing was imported. {exc.message}") from exc
        added, updated = result["added"], result["updated"]
        self.stdout.write(
            self.style.SUCCESS(f"Imported {result['total_rows']} rows: {added} added, {updated} updated.")
        )
