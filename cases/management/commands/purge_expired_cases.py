"""Cron job: remove the texts of cases whose group's retention period is over.

    0 3 * * *  cd /srv/intervisie && .venv/bin/python manage.py purge_expired_cases

Only groups with "keep case contents (days)" set are touched; see cases/retention.py for what
goes and what stays. `--dry-run` lists what would go and changes nothing.
"""

from django.core.management.base import BaseCommand

from cases.retention import purge_expired


class Command(BaseCommand):
    help = "Remove the contents of cases older than their group's retention period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list the cases that would be purged"
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        cases, total = purge_expired(dry_run=dry_run)
        for case in cases:
            when = case.meeting.starts_at if case.meeting_id else case.created_at
            self.stdout.write(f"{case.pk}  {case.group}  {when:%Y-%m-%d}")
        if dry_run:
            self.stdout.write(f"Would purge {len(cases)} case(s); nothing changed (--dry-run).")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Purged {total.cases} case(s): {total.questions} question(s) and "
                    f"{total.board_items} board item(s) emptied."
                )
            )
