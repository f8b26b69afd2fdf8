"""Pushes render what the database holds now, also when the method changes mid-session."""

from django.utils import translation

from sessions_app import live, services
from sessions_app.models import Audience, Room, RoomMember
from tests.sessions.conftest import open_room_for


def test_a_step_edited_during_the_session_shows_on_the_next_push(meeting, members, case):
    """The room reads steps through the per-process step cache; an edit in the admin replaces
    the method's steps_version, so the next push renders the new text, not the cached one."""
    room = open_room_for(meeting, members[:4], case=case)
    services.run_command(room.pk, members[0], "start", room.revision)
    with translation.override("nl"):
        before = live.render_parts(live.load_state(room.pk), Audience.PARTICIPANT, live.STEP_CHANGE)
        step = Room.objects.get(pk=room.pk).step
        step.participant_nl = "Schrijf één vraag op een kaartje."
        step.save()
        after = live.render_parts(live.load_state(room.pk), Audience.PARTICIPANT, live.STEP_CHANGE)
    assert "Schrijf één vraag op een kaartje." not in before
    assert "Schrijf één vraag op een kaartje." in after


def test_an_answer_reuses_only_the_state_its_own_push_read(meeting, members, case, in_memory_layer):
    """views answer the person who acted from the state the push of their change read (one read
    of the room instead of two); a state is kept only inside the block of that one request, so a
    later request on the same (pooled) thread never gets an older room."""
    room = open_room_for(meeting, members[:4], case=case)
    RoomMember.objects.filter(room=room).update(connections=1)
    with live.keeping_pushed_states() as kept:
        live.push(room.pk, live.STEP_CHANGE)
    first = kept[str(room.pk)]
    assert first.state.room.seq == Room.objects.get(pk=room.pk).seq
    services.run_command(room.pk, members[0], "start", room.revision)
    live.push(room.pk, live.STEP_CHANGE)  # outside any block: kept nowhere
    assert kept == {str(room.pk): first}
    with live.keeping_pushed_states() as later:
        pass
    assert later == {}
