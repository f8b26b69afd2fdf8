"""Remind members of meetings that start in 24 to 48 hours. Run it from cron (hourly is fine):
a meeting gets its reminder once, however often this runs."""

from django.core.management.base import BaseCommand

from groups.mail import meetings_due_for_reminder, send_reminder
from groups.models import display_name


class Command(BaseCommand):
    help = "Mail a reminder for meetings in the next 24-48 hours (once per meeting)."

    def handle(self, *args, **options) -> None:
        count = 0
        for meeting in meetings_due_for_reminder():
            # Links point to SITE_URL, as they do in mails sent from the admin.
            report = send_reminder(meeting)
            if report is None:
                continue
            count += 1
            self.stdout.write(f"{meeting}: reminded {len(report.sent)} member(s)")
            for user in report.skipped:
                self.stderr.write(
                    f"  skipped {display_name(user)} ({user.get_username()}): no e-mail address"
                )
        self.stdout.write(self.style.SUCCESS(f"{count} meeting(s) reminded."))
