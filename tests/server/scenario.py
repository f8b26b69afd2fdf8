"""Data for the server tests, made in a subprocess against the database the servers will use.

    DATABASE_URL=… python -m tests.server.scenario

migrates that (fresh) database, creates a group of four, a meeting with Bram's case and a started
Roddelmodel room (Anna facilitates), and prints JSON: the room id, a session key per person (for
the `sessionid` cookie) and the step names in order. The pytest process keeps its own database;
only this JSON crosses over.
"""

import json
import os
import sys
from datetime import timedelta


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intervisie.settings")
    os.environ["REDIS_URL"] = ""  # nobody listens yet; pushes from here go nowhere
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)

    from cases.models import Case
    from groups.models import Group, Meeting, Membership
    from methods.models import Method
    from sessions_app import services
    from sessions_app.opening import open_room
    from tests.conftest import MEMBER_NAMES, make_user

    users = [make_user(*names) for names in MEMBER_NAMES[:4]]
    anna, bram = users[:2]
    group = Group.objects.create(name="Serverteam")
    for user in users:
        Membership.objects.create(group=group, user=user)
    meeting = Meeting.objects.create(group=group, starts_at=timezone.now() + timedelta(hours=1))
    case = Case.objects.create(
        group=group,
        owner=bram,
        title="Overdracht",
        working_question="Hoe kan ik zorgen dat mijn overdracht gelezen wordt?",
    )
    method = Method.objects.get(slug="roddelmodel", is_builtin=True)
    room = open_room(
        meeting,
        {
            "present": users,
            "method": method,
            "case": case,
            "facilitator": anna,
            "inbrenger": bram,
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )
    services.run_command(room.pk, anna, "start", 1)
    sessions = {}
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions[user.username] = session.session_key
    steps = [s.name for s in method.steps.order_by("order")]
    json.dump(
        {"room": str(room.pk), "code": room.join_code, "sessions": sessions, "steps": steps},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
