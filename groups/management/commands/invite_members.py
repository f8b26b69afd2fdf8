"""Mail new members a link to choose their password.

manage.py invite_members anna bram            # these users
manage.py invite_members --group "Zorgteam"   # a group's members who never logged in
manage.py invite_members --group "Zorgteam" --everyone
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from groups.mail import invite_members
from groups.models import Group, display_name


class Command(BaseCommand):
    help = "Mail members a link to set their password (for new accounts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("usernames", nargs="*", help="users to invite")
        parser.add_argument("--group", help="invite the active members of this group (name or id)")
        parser.add_argument(
            "--everyone",
            action="store_true",
            help="with --group: also members who have logged in before",
        )

    def handle(self, *args, **options) -> None:
        users, group = self._users(options)
        if not users:
            self.stdout.write("Nobody to invite.")
            return
        # Links point to SITE_URL, as they do in mails sent from the admin.
        report = invite_members(users, group=group)
        for user in report.sent:
            self.stdout.write(f"invited {display_name(user)} ({user.get_username()})")
        for user in report.skipped:
            self.stderr.write(
                f"skipped {display_name(user)} ({user.get_username()}): no e-mail address"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(report.sent)} invitation(s) sent."))

    def _users(self, options):
        User = get_user_model()
        if options["group"]:
            group = self._group(options["group"])
            users = group.active_members()
            if not options["everyone"]:
                users = users.filter(last_login__isnull=True)
            return list(users), group
        if not options["usernames"]:
            raise CommandError("Name the users to invite, or use --group.")
        users = list(User.objects.filter(username__in=options["usernames"]).order_by("username"))
        missing = set(options["usernames"]) - {u.get_username() for u in users}
        if missing:
            raise CommandError(f"Unknown user(s): {', '.join(sorted(missing))}")
        return users, None

    @staticmethod
    def _group(key: str) -> Group:
        group = Group.objects.filter(name=key).first()
        if group is None:
            try:
                group = Group.objects.filter(pk=uuid.UUID(key)).first()
            except ValueError:
                group = None
        if group is None:
            raise CommandError(f"No group called {key!r}.")
        return group
