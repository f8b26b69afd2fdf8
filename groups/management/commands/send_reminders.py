"""Remind members of meetings that start in 24 to 48 hours. Run it from cron (hourly is fine):
a meeting gets its reminder once, however often this runs."""

from django.core.management.base import BaseCommand

from groups.mail import meetings_due_for_reminder, send_reminder


class Command(BaseCommand):
    help = "Mail a reminder for meetings in the next 24-48 hours (once per meeting)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--base-url", help="the site's address, e.g. https://intervisie.nl")

    def handle(self, *args, **options) -> None:
        count = 0
        for meeting in meetings_due_for_reminder():
            report = send_reminder(meeting, base_url=options["base_url"])
            if report is None:
                continue
            count += 1
            self.stdout.write(f"{meeting}: reminded {len(report.sent)} member(s)")
            for username in report.skipped:
                self.stderr.write(f"  skipped {username}: no e-mail address")
        self.stdout.write(self.style.SUCCESS(f"{count} meeting(s) reminded."))
