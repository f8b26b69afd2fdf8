"""Participants are told "Noteer vragen…": every phone has a private notepad, like the
inbrenger's. Nobody else reads it; the inbrenger's goes to their case, the others' stay theirs."""

from django.urls import reverse

from sessions_app import live
from sessions_app.models import Audience, RoomMember

NOTE = "Vragen: wat heb je al geprobeerd? Wie beslist?"


def test_a_participant_keeps_private_notes_that_come_back_after_a_reload(client, room, members):
    client.force_login(members[2])
    page = client.get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert 'data-notes="member"' in page and 'name="notes"' in page
    response = client.post(reverse("rooms:notes", args=[room.pk]), {"notes": NOTE})
    assert response.status_code == 200
    assert RoomMember.objects.get(room=room, user=members[2]).notes == NOTE
    assert NOTE in client.get(reverse("rooms:room", args=[room.pk])).content.decode()
    room.case.refresh_from_db()
    assert NOTE not in room.case.private_notes


def test_nobody_else_reads_a_participants_notes(client, room, members):
    RoomMember.objects.filter(room=room, user=members[2]).update(notes=NOTE)
    for user in (members[0], members[1], members[3]):
        client.force_login(user)
        assert NOTE not in client.get(reverse("rooms:room", args=[room.pk])).content.decode()
    state = live.load_state(room.pk)
    for audience in Audience.values:
        assert NOTE not in live.render_parts(state, audience, live.EVERYTHING)


def test_the_laptop_has_no_notepad(client, room, members):
    client.force_login(members[0])
    assert 'name="notes"' not in client.get(reverse("rooms:room", args=[room.pk])).content.decode()
    response = client.post(reverse("rooms:notes", args=[room.pk]), {"notes": "op de beamer"})
    assert response.status_code == 403


def test_the_retention_period_also_removes_the_participants_notes(room, members):
    from django.utils import timezone

    from cases.retention import purge_case

    RoomMember.objects.filter(room=room, user=members[2]).update(notes=NOTE)
    purge_case(room.case, timezone.now())
    assert RoomMember.objects.get(room=room, user=members[2]).notes == ""
