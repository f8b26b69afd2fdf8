"""End someone's membership from a process of its own, as a script or another server would:

    DATABASE_URL=… REDIS_URL=… python -m tests.server.end_membership chantal

Its `membership_ended` goes out through the Redis channel layer to every server process.
"""

import os
import sys


def main(username: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intervisie.settings")
    import django

    django.setup()
    from groups.leaving import end_membership
    from groups.models import Membership

    for membership in Membership.objects.filter(user__username=username, active=True):
        end_membership(membership)


if __name__ == "__main__":
    main(sys.argv[1])
