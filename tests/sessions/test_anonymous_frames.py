"""What the facilitator's laptop (often on a projector) receives while phones evaluate without
signing: no frame may let anyone pair a submission with its scores or remark."""

import asyncio
import random
import re

import pytest
from asgiref.sync import sync_to_async

from sessions_app import services
from sessions_app.models import RoomMember
from tests.interactions.conftest import go_to_step

from .conftest import open_room_for
from .test_consumer import connect

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("orm_thread_closed", "in_memory_layer"),
]

# Distinct scores and remarks, so that any figure that moved with one phone would give it away.
PHONES = {
    "chantal": ("1", "5", "Te snel"),
    "daan": ("5", "1", "Mooie vragen"),
    "eva": ("2", "4", "Meer stilte graag"),
    "femke": ("4", "2", "Fijne sfeer"),
}


def evaluation_figures(frame: str) -> tuple | None:
    """The part of the evaluation fragment that could tell scores or texts apart: counts and
    averages per score, the bars, and the remarks. None when the frame carries no evaluation."""
    html = interaction_part(frame)
    if html is None or "data-evaluation" not in html:
        return None
    return (
        tuple(re.findall(r'data-summary="(\w+)" data-count="(\d+)" data-average="([^"]*)"', html)),
        tuple(re.findall(r'data-bar="(\d)" data-bar-count="(\d+)"', html)),
        tuple(sorted(re.findall(r"<li data-text>([^<]*)", html))),
    )


def interaction_part(frame: str) -> str | None:
    """The shared interaction fragment of a frame (it runs to the frame's end: a push of an
    interaction carries only the meta fragment before it)."""
    start = frame.find('<section id="room-interaction"')
    return None if start < 0 else frame[start:]


async def frames_until_quiet(comm, quiet: float = 0.5) -> list[str]:
    """Everything the socket receives until it has been quiet a while (receive_from's own
    timeout would cancel the consumer)."""
    frames = []
    while not await comm.receive_nothing(timeout=quiet):
        frames.append(await comm.receive_from(timeout=3))
    return frames


@pytest.fixture
def evaluation_room(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    return go_to_step(room, "evaluatie")


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_no_laptop_frame_pairs_an_unsigned_evaluation_with_its_phone(
    evaluation_room, members, seed
):
    rng = random.Random(seed)
    people = {user.username: user for user in members}
    order = list(PHONES)
    rng.shuffle(order)
    laptop = connect(evaluation_room.pk, members[0])
    assert (await laptop.connect())[0]
    first = await laptop.receive_from(timeout=3)
    shown = evaluation_figures(first)
    assert shown is not None
    changed_after = 0  # how many submissions had been made when the figures last changed
    for n, name in enumerate(order, start=1):
        await asyncio.sleep(rng.uniform(0, 0.3))
        member = await RoomMember.objects.aget(room=evaluation_room, user=people[name])
        product, process, remark = PHONES[name]
        await sync_to_async(services.interact)(
            member,
            "submit",
            evaluation_room.step_run_id,
            {"product": product, "process": process, "remark": remark},
        )
        frames = await frames_until_quiet(laptop)
        assert frames, f"the laptop heard nothing after submission {n}"
        for frame in frames:
            part = interaction_part(frame) or ""
            for person in ("Chantal", "Daan", "Femke", "Bakker", "Visser", "Smit", "Mulder"):
                assert person not in part
            figures = evaluation_figures(frame)
            if figures is None or figures == shown:
                continue
            # The figures moved: only allowed once three or more new evaluations hide in it.
            assert n - changed_after >= 3, (seed, n, changed_after, figures)
            changed_after, shown = n, figures
        assert f'data-responses="{n}"' in frames[-1]  # the count is all that follows each phone
    # Three were in by the third submission: figures showed; the fourth still waits.
    assert changed_after == 3
    assert len(shown[2]) == 3 and PHONES[order[3]][2] not in shown[2]
    await laptop.disconnect()
