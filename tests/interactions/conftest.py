"""Running a room up to a given step, and acting in it the way the views do."""

import pytest

from sessions_app import services
from sessions_app.models import Room, RoomMember
from tests.sessions.conftest import case, open_room_for  # noqa: F401  (fixture re-export)


def go_to_step(room: Room, key: str, branch: str | None = None) -> Room:
    """Start the room and press Next until the step with this key is current."""
    room.refresh_from_db()
    if room.status == Room.Status.LOBBY:
        services.run_command(room.pk, room.facilitator, "start", room.revision)
    for _ in range(30):
        room.refresh_from_db()
        if room.step.key == key:
            return room
        answer = branch if room.step.has_branch else None
        services.run_command(room.pk, room.facilitator, "next", room.revision, branch_answer=answer)
    raise AssertionError(f"step {key!r} not reached")


def act(room: Room, user, action: str, **data):
    """What a phone's POST to /r/<room>/act/<action>/ does."""
    room.refresh_from_db()
    member = RoomMember.objects.get(room=room, user=user)
    return services.interact(member, action, room.step_run_id, data)


@pytest.fixture
def room_for(meeting, members, case):  # noqa: F811
    """room_for("incidentmethode") opens that method with Anna facilitating, Bram as inbrenger."""

    def make(slug: str, **kwargs) -> Room:
        return open_room_for(meeting, members, method_slug=slug, case=case, **kwargs)

    return make
