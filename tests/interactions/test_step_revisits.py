"""What people did in a step belongs to that step of the meeting, not to one visit of it.

A facilitator who presses Next too early and then Back finds the step as the group left it: the
inbrenger's reactions to the tips, a revealed board, whose turn it is, who said they were ready.
"""

import re

from cases.summary import build_summary, summary_case
from sessions_app import interactions, live, services
from sessions_app.models import Audience, BoardItem, Question, RoomMember
from tests.interactions.conftest import act, go_to_step

TIP_1 = "Heb je er wel eens aan gedacht om het te mailen?"
TIP_2 = "Heb je er wel eens aan gedacht om een collega mee te nemen?"


def shared(room, audience=Audience.FACILITATOR) -> str:
    return live.render_parts(live.load_state(room.pk), audience, interactions.ROOM)


def press(room, command: str) -> None:
    room.refresh_from_db()
    services.run_command(room.pk, room.facilitator, command, room.revision)
    room.refresh_from_db()


def test_next_then_back_keeps_the_inbrenger_reactions_to_the_tips(room_for, members):
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    act(room, members[2], "add", text=TIP_1)
    act(room, members[3], "add", text=TIP_2)
    first, second = BoardItem.objects.filter(room=room).order_by("pk")
    act(room, members[1], "react", item=str(first.pk), reaction="yes")
    act(room, members[1], "react", item=str(second.pk), reaction="no")

    press(room, "next")
    assert room.step.key == "round-up"
    press(room, "back")
    assert room.step.key == "hulp"

    html = shared(room, Audience.INBRENGER)
    assert len(re.findall(r'data-reaction="(yes|no)"', html)) == 2
    assert f'data-item="{first.pk}" data-reaction="yes"' in html
    assert f'data-item="{second.pk}" data-reaction="no"' in html
    # …and the inbrenger can still change them in this visit.
    act(room, members[1], "react", item=str(second.pk), reaction="yes")
    assert f'data-item="{second.pk}" data-reaction="yes"' in shared(room)


def test_the_reactions_are_in_the_inbrenger_summary(room_for, members):
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    act(room, members[2], "add", text=TIP_1)
    act(room, members[3], "add", text=TIP_2)
    first, second = BoardItem.objects.filter(room=room).order_by("pk")
    act(room, members[1], "react", item=str(first.pk), reaction="yes")
    act(room, members[1], "react", item=str(second.pk), reaction="no")
    press(room, "next")
    press(room, "back")
    press(room, "end")

    summary = build_summary(summary_case(room.case_id, members[1]), members[1])
    reactions = {tip.text: tip.reaction_label for board in summary.boards for tip in board.tips}
    assert reactions == {TIP_1: "toepasbaar", TIP_2: "niet voor mij"}


def test_a_revealed_board_stays_revealed_after_next_and_back(room_for, members):
    room = go_to_step(room_for("balint"), "adviseren")
    act(room, members[2], "add", text="Ik zou eerst met haar gaan lunchen.")
    act(room, members[0], "reveal")
    assert "Ik zou eerst met haar gaan lunchen." in shared(room, Audience.PARTICIPANT)
    press(room, "next")
    press(room, "back")
    assert room.step.key == "adviseren"
    assert "Ik zou eerst met haar gaan lunchen." in shared(room, Audience.PARTICIPANT)
    assert 'data-action="reveal"' not in shared(room)


def test_the_question_round_goes_on_where_it_was_after_next_and_back(room_for, members):
    room = go_to_step(room_for("roddelmodel"), "probleemverkenning")
    before = shared(room)
    first = re.search(r'data-turn-current="(\d+)"', before).group(1)
    asker = RoomMember.objects.get(pk=int(first)).user
    act(room, asker, "ask", question="Wat heb je al geprobeerd?")
    after_turn = re.search(r'data-turn-current="(\d+)"', shared(room)).group(1)
    assert after_turn != first

    press(room, "next")
    press(room, "back")
    assert re.search(r'data-turn-current="(\d+)"', shared(room)).group(1) == after_turn
    assert Question.objects.filter(room=room, passed=False).count() == 1


def test_ready_people_stay_ready_after_next_and_back(room_for, members):
    room = go_to_step(room_for("balint"), "adviseren")
    chantal = RoomMember.objects.get(room=room, user=members[2])
    services.set_ready(chantal, room.step_run_id)
    press(room, "next")
    press(room, "back")
    state = live.load_state(room.pk)
    assert state.ready_count == 1
