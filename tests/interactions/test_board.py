"""Boards: tips, advice, perceptions, forces, insights, written on phones and shown big."""

import re

import pytest
from django.urls import reverse

from methods.models import Step
from sessions_app import interactions, live, services
from sessions_app.interactions import board
from sessions_app.models import Audience, BoardItem, RoomMember, StepRun
from tests.sessions.conftest import open_room_for

from .conftest import act, go_to_step

pytestmark = pytest.mark.django_db

CHANTAL_ADVICE = "Plan een vast overleg met je teamleider"
DAAN_ADVICE = "Schrijf de gemiste afspraken eerst voor jezelf op"


def shared_views(room) -> dict[str, str]:
    """What each audience receives of the shared board."""
    state = live.load_state(room.pk)
    return {a: live.render_parts(state, a, interactions.ROOM) for a in Audience.values}


def my_view(client, user, room) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


def member(room, user) -> RoomMember:
    return RoomMember.objects.get(room=room, user=user)


def item_by(room, user) -> BoardItem:
    return BoardItem.objects.get(room=room, author__user=user)


def set_options(room, key: str, **options) -> None:
    step = Step.objects.get(method=room.method, key=key)
    step.options = {**step.options, **options}
    step.save()


def column_of(html: str, item: BoardItem) -> str:
    """The column (data-column) in which the board shows an item."""
    position = html.index(f'data-item="{item.pk}"')
    return re.findall(r'data-column="([^"]*)"', html[:position])[-1]


# ---- Hidden until the reveal ------------------------------------------------------------------


def test_silent_advice_reaches_no_one_but_its_writer_before_the_reveal(room_for, members, client):
    room = go_to_step(room_for("balint"), "adviseren")
    act(room, members[2], "add", text=CHANTAL_ADVICE)
    act(room, members[3], "add", text=DAAN_ADVICE)

    for audience, html in shared_views(room).items():
        assert CHANTAL_ADVICE not in html, audience
        assert DAAN_ADVICE not in html, audience
    facilitator = shared_views(room)[Audience.FACILITATOR]
    chantal = member(room, members[2])
    assert f'data-count-member="{chantal.pk}" data-count="1"' in facilitator
    assert "Chantal" in facilitator and 'data-action="reveal"' in facilitator

    chantal_phone = my_view(client, members[2], room)
    assert CHANTAL_ADVICE in chantal_phone and DAAN_ADVICE not in chantal_phone
    daan_phone = my_view(client, members[3], room)
    assert DAAN_ADVICE in daan_phone and CHANTAL_ADVICE not in daan_phone
    for other in (members[1], members[4]):
        phone = my_view(client, other, room)
        assert CHANTAL_ADVICE not in phone and DAAN_ADVICE not in phone

    client.force_login(members[0])
    laptop = client.get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert CHANTAL_ADVICE not in laptop and DAAN_ADVICE not in laptop


def test_the_writers_own_response_shows_only_their_own_hidden_advice(room_for, members, client):
    room = go_to_step(room_for("balint"), "adviseren")
    act(room, members[3], "add", text=DAAN_ADVICE)
    client.force_login(members[2])
    response = client.post(
        reverse("rooms:act", args=[room.pk, "add"]),
        {"step_run": room.step_run_id, "text": CHANTAL_ADVICE},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert CHANTAL_ADVICE in html and DAAN_ADVICE not in html


def test_after_the_reveal_everyone_sees_the_whole_board(room_for, members):
    room = go_to_step(room_for("balint"), "adviseren")
    act(room, members[2], "add", text=CHANTAL_ADVICE)
    act(room, members[3], "add", text=DAAN_ADVICE)
    act(room, members[0], "reveal")
    for audience, html in shared_views(room).items():
        assert CHANTAL_ADVICE in html and DAAN_ADVICE in html, audience
        if audience == Audience.GUEST:  # a guest sees the group's members by first name only
            assert "Chantal" in html and "Bakker" not in html
        else:
            assert "Chantal Bakker" in html, audience
    assert StepRun.objects.get(pk=room.step_run_id).state["revealed"] is True


def test_only_the_facilitator_reveals_the_board(room_for, members):
    room = go_to_step(room_for("balint"), "adviseren")
    act(room, members[2], "add", text=CHANTAL_ADVICE)
    for user in (members[1], members[2]):
        with pytest.raises(interactions.InteractionError):
            act(room, user, "reveal")
    assert CHANTAL_ADVICE not in shared_views(room)[Audience.PARTICIPANT]


def test_a_board_that_is_not_hidden_shows_items_at_once(room_for, members):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    act(room, members[2], "add", text="Ik vraag vaker door")
    for audience, html in shared_views(room).items():
        name = "Chantal" if audience == Audience.GUEST else "Chantal Bakker"  # guests: first names
        assert "Ik vraag vaker door" in html and name in html
    with pytest.raises(interactions.InteractionError):
        act(room, members[0], "reveal")


# ---- Anonymous --------------------------------------------------------------------------------


def test_an_anonymous_board_never_names_anyone_who_wrote(room_for, members, client):
    room = room_for("incidentmethode-percepties")
    set_options(room, "percepties", anonymous=True)
    room = go_to_step(room, "percepties")
    act(room, members[2], "add", text="Het gaat eigenlijk om vertrouwen")
    act(room, members[3], "add", text="Het gaat om grenzen stellen")
    act(
        room,
        members[0],
        "add",
        text="Het gaat om de werkdruk",
        speaker=str(member(room, members[4]).pk),
    )
    names = ("Chantal", "Bakker", "Daan", "Visser", "Eva", "Smit", "Anna", "de Vries")

    before = shared_views(room)
    act(room, members[0], "reveal")
    views = shared_views(room)
    for stage, shown in (("before the reveal", before), ("after the reveal", views)):
        for audience, html in shown.items():
            for name in names:
                assert name not in html, (stage, audience, name)
    assert all('data-total="3"' in html for html in before.values())
    assert "data-delete" not in views[Audience.FACILITATOR]  # it would point at Anna's item
    assert all("Het gaat eigenlijk om vertrouwen" in html for html in views.values())
    # Writing in someone's name would tell the facilitator who wrote what: it is ignored here.
    assert item_by(room, members[0]).text == "Het gaat om de werkdruk"
    chantal_phone = my_view(client, members[2], room)
    assert "Het gaat eigenlijk om vertrouwen" in chantal_phone
    assert "Het gaat om grenzen stellen" not in chantal_phone


# ---- Writing, editing, deleting ---------------------------------------------------------------


def test_writers_edit_and_delete_only_their_own_items(room_for, members):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    act(room, members[2], "add", text="Ik vraag vaker door")
    item = item_by(room, members[2])
    for other in (members[0], members[3], members[1]):
        with pytest.raises(interactions.InteractionError):
            act(room, other, "edit", item=str(item.pk), text="Overschreven")
        with pytest.raises(interactions.InteractionError):
            act(room, other, "delete", item=str(item.pk))
    item.refresh_from_db()
    assert item.text == "Ik vraag vaker door"

    act(room, members[2], "edit", item=str(item.pk), text="Ik vraag vaker   door, zonder oordeel")
    item.refresh_from_db()
    assert item.text == "Ik vraag vaker door, zonder oordeel"
    assert "zonder oordeel" in shared_views(room)[Audience.OBSERVER]
    act(room, members[2], "delete", item=str(item.pk))
    assert not BoardItem.objects.filter(pk=item.pk).exists()
    assert "zonder oordeel" not in shared_views(room)[Audience.OBSERVER]


def test_the_writers_phone_lists_their_items_with_edit_and_delete(room_for, members, client):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    act(room, members[2], "add", text="Ik vraag vaker door")
    item = item_by(room, members[2])
    chantal_phone = my_view(client, members[2], room)
    assert (
        f'data-my-item="{item.pk}"' in chantal_phone and f'data-delete="{item.pk}"' in chantal_phone
    )
    assert 'name="text"' in chantal_phone
    daan_phone = my_view(client, members[3], room)
    assert f'data-my-item="{item.pk}"' not in daan_phone and 'name="text"' in daan_phone


def test_an_item_cannot_be_changed_once_the_step_is_over(room_for, members, client):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    act(room, members[2], "add", text="Ik vraag vaker door")
    item = item_by(room, members[2])
    old_run = room.step_run_id
    room = go_to_step(room, "evaluatie")
    with pytest.raises(services.StaleCommand):
        services.interact(member(room, members[2]), "edit", old_run, {"item": item.pk, "text": "x"})
    client.force_login(members[2])
    response = client.post(
        reverse("rooms:act", args=[room.pk, "delete"]), {"step_run": old_run, "item": item.pk}
    )
    assert response.status_code == 409
    assert BoardItem.objects.get(pk=item.pk).text == "Ik vraag vaker door"


def test_empty_and_overlong_items_are_refused(room_for, members):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    for text in ("", "   \n  ", "x" * (board.MAX_LENGTH + 1)):
        with pytest.raises(interactions.InteractionError):
            act(room, members[2], "add", text=text)
    act(room, members[2], "add", text="x" * board.MAX_LENGTH)
    item = item_by(room, members[2])
    with pytest.raises(interactions.InteractionError):
        act(room, members[2], "edit", item=str(item.pk), text="y" * (board.MAX_LENGTH + 1))
    with pytest.raises(interactions.InteractionError):
        act(room, members[2], "edit", item="not-a-number", text="y")
    assert BoardItem.objects.filter(room=room).count() == 1


def test_line_breaks_survive_and_markup_is_escaped(room_for, members):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    act(room, members[2], "add", text="1. eerst <b>luisteren</b>\r\n2. dan  vragen")
    assert item_by(room, members[2]).text == "1. eerst <b>luisteren</b>\n2. dan vragen"
    html = shared_views(room)[Audience.PARTICIPANT]
    assert "&lt;b&gt;luisteren&lt;/b&gt;<br>2. dan vragen" in html


def test_one_person_cannot_flood_the_board(room_for, members):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    for n in range(board.MAX_ITEMS_PER_PERSON):
        act(room, members[2], "add", text=f"Inzicht {n}")
    with pytest.raises(interactions.InteractionError):
        act(room, members[2], "add", text="Nog een")


def test_the_facilitator_writes_down_what_someone_says_in_their_name(room_for, members):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    daan = member(room, members[3])
    act(room, members[0], "add", text="Daan zegt: ik ga vaker samenvatten", speaker=str(daan.pk))
    act(room, members[0], "add", text="Zelf: tijd bewaken")
    assert item_by(room, members[3]).text == "Daan zegt: ik ga vaker samenvatten"
    own = item_by(room, members[0])
    laptop = shared_views(room)[Audience.FACILITATOR]
    assert f'data-delete="{own.pk}"' in laptop
    assert f'data-delete="{item_by(room, members[3]).pk}"' not in laptop
    with pytest.raises(interactions.InteractionError):
        act(room, members[0], "add", text="Iemand anders", speaker="99999")
    # Only the facilitator writes in someone else's name.
    act(room, members[2], "add", text="Mijn eigen inzicht", speaker=str(daan.pk))
    assert item_by(room, members[2]).text == "Mijn eigen inzicht"


# ---- Columns ----------------------------------------------------------------------------------


def test_forces_go_in_the_column_the_writer_chooses(room_for, members, client):
    room = go_to_step(room_for("krachtenveldanalyse"), "krachten")
    act(room, members[2], "add", text="Steun van de directeur", column="bevorderend")
    act(room, members[3], "add", text="Te weinig tijd", column="belemmerend")
    html = shared_views(room)[Audience.FACILITATOR]
    assert column_of(html, item_by(room, members[2])) == "bevorderend"
    assert column_of(html, item_by(room, members[3])) == "belemmerend"

    for column in ("", "links"):
        with pytest.raises(interactions.InteractionError):
            act(room, members[4], "add", text="Ergens", column=column)

    item = item_by(room, members[3])
    act(room, members[3], "edit", item=str(item.pk), text="Te weinig tijd", column="bevorderend")
    assert column_of(shared_views(room)[Audience.PARTICIPANT], item) == "bevorderend"
    daan_phone = my_view(client, members[3], room)
    assert 'value="bevorderend" required checked' in daan_phone  # the last column chosen


def test_a_board_without_columns_ignores_a_column_sent_along(room_for, members):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    act(room, members[2], "add", text="Ik vraag vaker door", column="bevorderend")
    assert item_by(room, members[2]).column == ""


# ---- Opening words ----------------------------------------------------------------------------


def test_advice_is_completed_with_the_opening_of_the_step(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "adviezen", branch="no")
    act(room, members[2], "add", text="Zou ik eerst met haar gaan lunchen")
    act(room, members[3], "add", text="Als ik in jouw schoenen stond, dan schreef ik het op")
    assert item_by(room, members[2]).text == (
        "Als ik in jouw schoenen stond, dan zou ik eerst met haar gaan lunchen"
    )
    assert item_by(room, members[3]).text == "Als ik in jouw schoenen stond, dan schreef ik het op"
    act(room, members[5], "add", text="stond, dan belde ik haar")
    assert item_by(room, members[5]).text == "Als ik in jouw schoenen stond, dan belde ik haar"
    with pytest.raises(interactions.InteractionError):
        act(room, members[4], "add", text="Als ik in jouw schoenen stond, dan… ")
    phone = my_view(client, members[4], room)
    assert 'placeholder="Als ik in jouw schoenen stond, dan…"' in phone
    assert ">Als ik in jouw schoenen stond, dan </textarea>" in phone


def test_a_tip_is_put_as_a_question(room_for, members):
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    act(room, members[2], "add", text="met je teamleider te lunchen.")
    act(room, members[3], "add", text="Heb je er wel eens aan gedacht om het te mailen?")
    assert item_by(room, members[2]).text == (
        "Heb je er wel eens aan gedacht om met je teamleider te lunchen?"
    )
    assert item_by(room, members[3]).text == "Heb je er wel eens aan gedacht om het te mailen?"
    act(room, members[4], "add", text="Om eerst een collega te vragen")
    assert item_by(room, members[4]).text == (
        "Heb je er wel eens aan gedacht om eerst een collega te vragen?"
    )


# ---- The inbrenger reacts ---------------------------------------------------------------------


def test_the_inbrenger_says_whether_each_tip_is_applicable(room_for, members):
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    act(room, members[2], "add", text="Heb je er wel eens aan gedacht om het te mailen?")
    item = item_by(room, members[2])
    views = shared_views(room)
    assert 'data-react="yes"' in views[Audience.INBRENGER]
    assert all('data-react="yes"' not in views[a] for a in Audience.values if a != "inbrenger")

    act(room, members[1], "react", item=str(item.pk), reaction="yes")
    item.refresh_from_db()
    assert item.reaction == "yes"  # on the item: it outlives this visit of the step
    for html in shared_views(room).values():
        assert f'data-item="{item.pk}" data-reaction="yes"' in html
    act(room, members[1], "react", item=str(item.pk), reaction="no")
    assert f'data-item="{item.pk}" data-reaction="no"' in shared_views(room)[Audience.FACILITATOR]
    act(room, members[1], "react", item=str(item.pk), reaction="")
    assert "data-reaction" not in shared_views(room)[Audience.FACILITATOR]
    assert item_by(room, members[2]).picked is False  # picking is for the round-up


def test_only_the_inbrenger_reacts_and_only_where_the_step_asks(room_for, members):
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    act(room, members[2], "add", text="Heb je er wel eens aan gedacht om het te mailen?")
    item = item_by(room, members[2])
    for user in (members[0], members[2], members[3]):
        with pytest.raises(interactions.InteractionError):
            act(room, user, "react", item=str(item.pk), reaction="yes")
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "react", item=str(item.pk), reaction="misschien")
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "react", item="12345", reaction="yes")

    crea = go_to_step(room_for_other_meeting(room, members, "crea"), "gezamenlijke-bewustwording")
    act(crea, members[2], "add", text="Ik vraag vaker door")
    with pytest.raises(interactions.InteractionError):
        act(crea, members[1], "react", item=str(item_by(crea, members[2]).pk), reaction="yes")


def room_for_other_meeting(room, members, slug):
    from groups.models import Meeting

    meeting = Meeting.objects.create(
        group=room.meeting.group, starts_at=room.meeting.starts_at, duration_minutes=90
    )
    return open_room_for(meeting, members, method_slug=slug, case=room.case)


def test_deleting_a_tip_forgets_the_reaction_to_it(room_for, members):
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    act(room, members[2], "add", text="Heb je er wel eens aan gedacht om het te mailen?")
    item = item_by(room, members[2])
    act(room, members[1], "react", item=str(item.pk), reaction="yes")
    act(room, members[2], "delete", item=str(item.pk))
    assert not BoardItem.objects.filter(pk=item.pk).exists()
    assert "data-reaction" not in shared_views(room)[Audience.FACILITATOR]


# ---- Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 6])
def test_the_board_loads_in_one_query_whatever_the_group_size(
    meeting, members, case, size, django_assert_num_queries
):
    room = go_to_step(
        open_room_for(meeting, members[:size], method_slug="guns-and-roses", case=case), "hulp"
    )
    # Everyone but Bram, the inbrenger: the tips are for him.
    for user in [members[0], *members[2:size]]:
        act(room, user, "add", text=f"Heb je er wel eens aan gedacht om {user.username} te bellen?")
    item = BoardItem.objects.filter(room=room).first()
    act(room, members[1], "react", item=str(item.pk), reaction="yes")
    state = live.load_state(room.pk)
    with django_assert_num_queries(1):
        for audience in Audience.values:
            live.render_parts(state, audience, interactions.ROOM)
        live.render_parts(state, Audience.PARTICIPANT, interactions.MINE, member=state.members[2])


def test_the_inbrenger_receives_tips_and_does_not_write_them(room_for, members, client):
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "add", text="Heb je er wel eens aan gedacht om zelf te bellen?")
    client.force_login(members[1])
    assert 'name="text"' not in client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    client.force_login(members[2])
    assert 'name="text"' in client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
