"""Cron job: remove the texts of cases whose group's retention period is over.

    0 3 * * *  cd /srv/intervisie && .venv/bin/python manage.py purge_expired_cases

Only groups with "keep case contents (days)" set are touched; see cases/retention.py for what
goes and what stays. `--dry-run` lists what would go, per kind, and changes nothing. The output
names cases by id only: a cron log is no place for a case's title.
"""

from django.core.management.base import BaseCommand
from django.utils import translation

from cases.retention import purge_expired


class Command(BaseCommand):
    help = "Remove the contents of cases older than their group's retention period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be cleared, per kind"
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        with translation.override("en"):  # kinds are labelled in the log's language
            cases, total = purge_expired(dry_run=dry_run)
            lines = total.lines()
        for case in cases:
            when = case.meeting.starts_at if case.meeting_id else case.created_at
            self.stdout.write(f"{case.pk}  {case.group}  {when:%Y-%m-%d}")
        if dry_run:
            self.stdout.write(f"Would purge {len(cases)} case(s); nothing changed (--dry-run).")
            self.stdout.write("Would clear:" if lines else "Nothing to clear.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Purged {len(cases)} case(s)."))
            self.stdout.write("Cleared:" if lines else "Nothing else to clear.")
        for line in lines:
            self.stdout.write(f"  {line}")
