"""Case inventory and choice (Incidentmethode 1, CREA 1, Basismethode 2): the group lists its
cases, everyone votes once, the room sees counts only, and the facilitator takes a case."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, CaseStatus
from groups.models import Group, Role, RoleAssignment
from sessions_app import interactions, live
from sessions_app.models import Audience, RoomMember, Vote
from tests.sessions.conftest import open_room_for

from .conftest import act, go_to_step

# Guests never see the group's inventory (tests/sessions/test_views.py checks that).
MEMBER_AUDIENCES = [a for a in Audience.values if a != Audience.GUEST]

pytestmark = pytest.mark.django_db

VOTE_STEPS = {
    "crea": "opening",
    "incidentmethode": "inventariseren",
    "basismethode": "probleemkeuze",
}


def propose(group, owner, title, question=None, status=CaseStatus.PROPOSED) -> Case:
    return Case.objects.create(
        group=group,
        owner=owner,
        title=title,
        working_question=question or f"Hoe kan ik {title.lower()} aanpakken met mijn collega?",
        status=status,
    )


def vote_room(meeting, members, slug="crea", case=None, present=None):
    room = open_room_for(meeting, present or members, method_slug=slug, case=case)
    return go_to_step(room, VOTE_STEPS[slug])


def shared_view(room, audience) -> str:
    return live.render_parts(live.load_state(room.pk), audience, interactions.ROOM)


def my_view(client, room, user) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


def listed(html: str) -> set[str]:
    return set(re.findall(r'data-case="([^"]+)"', html))


def votes_shown(html: str, case: Case) -> int:
    match = re.search(rf'data-case="{case.pk}".*?data-votes="(\d+)"', html, re.S)
    assert match, f"{case.title} is not on the list"
    return int(match.group(1))


# ---- The inventory ----


def test_the_inventory_lists_the_proposed_cases_of_members_in_the_room(
    meeting, members, group, coordinator
):
    present = members[:5]  # Femke is not here today
    chantal = propose(group, members[2], "Overdracht")
    propose(group, members[3], "Nog een concept", status=CaseStatus.DRAFT)
    propose(group, members[4], "Al besproken", status=CaseStatus.DISCUSSED)
    propose(group, members[5], "Van Femke")
    other_group = Group.objects.create(name="Andere groep", coordinator=coordinator)
    propose(other_group, members[2], "Elders ingebracht")
    room = vote_room(meeting, members, present=present)
    for audience in MEMBER_AUDIENCES:
        assert listed(shared_view(room, audience)) == {str(chantal.pk)}


def test_a_case_chosen_before_the_step_shows_as_already_chosen(meeting, members, group, case):
    chantal = propose(group, members[2], "Overdracht")
    room = vote_room(meeting, members, case=case)
    html = shared_view(room, Audience.FACILITATOR)
    assert f'data-already-chosen="{case.pk}"' in html
    assert listed(html) == {str(case.pk), str(chantal.pk)}
    # The facilitator may still choose another case, not the one already taken.
    assert html.count("data-choose") == 1
    assert re.search(rf'value="{chantal.pk}">\s*<button[^>]*data-choose', html)


def test_crea_shows_its_criteria_to_weigh_the_cases(meeting, members):
    room = vote_room(meeting, members, slug="crea")
    for audience in MEMBER_AUDIENCES:
        html = shared_view(room, audience)
        for key in ("urgentie", "belang", "emotie", "aantrekkingskracht", "toerbeurt"):
            assert f'data-criterion="{key}"' in html


def test_methods_without_criteria_show_none(meeting, members):
    room = vote_room(meeting, members, slug="basismethode")
    assert "data-criterion" not in shared_view(room, Audience.FACILITATOR)


# ---- Adding a case on the spot ----


def test_a_member_adds_a_case_from_their_phone_and_gets_formulation_hints(
    meeting, members, group, client
):
    room = vote_room(meeting, members, slug="incidentmethode")
    act(
        room,
        members[3],
        "add_case",
        title="Werkdruk",
        working_question="De communicatie verbeteren",
    )
    added = Case.objects.get(owner=members[3], title="Werkdruk")
    assert added.group == group and added.status == CaseStatus.PROPOSED
    assert added.working_question == "De communicatie verbeteren"
    for audience in MEMBER_AUDIENCES:
        assert str(added.pk) in listed(shared_view(room, audience))
    daan = my_view(client, room, members[3])
    assert f'data-my-case="{added.pk}"' in daan
    assert 'data-hint="not_own"' in daan and 'data-hint="vague"' in daan
    # Hints are for the owner only.
    assert "data-hint" not in my_view(client, room, members[4])


def test_adding_the_same_case_twice_by_a_double_tap_lists_it_once(meeting, members):
    room = vote_room(meeting, members, slug="incidentmethode")
    for _ in range(2):
        act(room, members[3], "add_case", title="Overleg", working_question="Hoe kan ik X doen?")
    assert Case.objects.filter(owner=members[3], title="Overleg").count() == 1


@pytest.mark.parametrize(
    "title, question",
    [
        ("", "Hoe kan ik beter plannen?"),
        ("Planning", "   "),
        ("x" * 121, "Hoe kan ik beter plannen?"),
        ("Planning", "Hoe kan ik " + "x" * 400),
    ],
)
def test_a_case_without_title_or_question_or_too_long_is_refused(meeting, members, title, question):
    room = vote_room(meeting, members, slug="incidentmethode")
    with pytest.raises(interactions.InteractionError):
        act(room, members[3], "add_case", title=title, working_question=question)
    assert not Case.objects.filter(owner=members[3]).exists()


def test_the_phone_offers_the_add_form_with_the_models_limits(meeting, members, client):
    room = vote_room(meeting, members, slug="incidentmethode")
    html = my_view(client, room, members[4])
    assert 'name="title" maxlength="120"' in html
    assert 'name="working_question" maxlength="400"' in html


# ---- Voting ----


def test_each_member_has_one_vote_and_voting_again_replaces_it(meeting, members, group, client):
    first = propose(group, members[2], "Overdracht")
    second = propose(group, members[3], "Planning")
    room = vote_room(meeting, members)
    act(room, members[4], "vote", case=str(first.pk))
    act(room, members[4], "vote", case=str(second.pk))
    assert Vote.objects.filter(room=room).count() == 1
    assert Vote.objects.get(room=room).case == second
    html = shared_view(room, Audience.FACILITATOR)
    assert votes_shown(html, first) == 0 and votes_shown(html, second) == 1
    assert f'data-my-vote="{second.pk}"' in my_view(client, room, members[4])
    assert 'data-my-vote=""' in my_view(client, room, members[5])


def test_the_facilitator_votes_too(meeting, members, group):
    first = propose(group, members[2], "Overdracht")
    room = vote_room(meeting, members)
    assert 'data-facilitator-voted="0"' in shared_view(room, Audience.FACILITATOR)
    act(room, members[0], "vote", case=str(first.pk))
    html = shared_view(room, Audience.FACILITATOR)
    assert votes_shown(html, first) == 1 and 'data-facilitator-voted="1"' in html


def test_the_tally_shows_counts_and_never_who_voted(meeting, members, group, case, client):
    daan = propose(group, members[3], "Planning")
    room = vote_room(meeting, members, case=case)
    act(room, members[2], "vote", case=str(case.pk))  # Chantal
    act(room, members[4], "vote", case=str(daan.pk))  # Eva
    act(room, members[5], "vote", case=str(daan.pk))  # Femke
    for audience in MEMBER_AUDIENCES:
        html = shared_view(room, audience)
        assert votes_shown(html, case) == 1 and votes_shown(html, daan) == 2
        assert 'data-voted="3"' in html and 'data-eligible="6"' in html
        for voter in ("Chantal", "Eva", "Femke"):
            assert voter not in html
    # Someone else's own view shows only their own (absent) vote.
    assert 'data-my-vote=""' in my_view(client, room, members[3])


def test_a_vote_updates_the_shared_view_only_so_nobody_loses_a_case_they_are_typing(
    meeting, members, group
):
    first = propose(group, members[2], "Overdracht")
    room = vote_room(meeting, members)
    assert act(room, members[4], "vote", case=str(first.pk)).parts == interactions.ROOM
    added = act(room, members[4], "add_case", title="Nieuw", working_question="Hoe kan ik dit?")
    assert added.parts == interactions.ROOM


def test_no_vote_for_a_case_of_someone_not_in_the_room_or_of_another_group(
    meeting, members, group, coordinator
):
    femke = propose(group, members[5], "Van Femke")
    other = propose(Group.objects.create(name="Ander", coordinator=coordinator), members[2], "X")
    room = vote_room(meeting, members, present=members[:5])
    for case in (femke, other):
        with pytest.raises(interactions.InteractionError):
            act(room, members[2], "vote", case=str(case.pk))
    with pytest.raises(interactions.InteractionError):
        act(room, members[2], "vote", case="not-a-case")
    assert not Vote.objects.exists()


def test_voting_over_http_answers_with_the_fresh_tally(meeting, members, group, client):
    first = propose(group, members[2], "Overdracht")
    room = vote_room(meeting, members)
    client.force_login(members[3])
    response = client.post(
        reverse("rooms:act", args=[room.pk, "vote"]),
        {"step_run": room.step_run_id, "case": str(first.pk)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert votes_shown(html, first) == 1 and f'data-my-vote="{first.pk}"' in html


# ---- Choosing ----


def test_only_the_facilitator_chooses_the_case(meeting, members, group):
    chantal = propose(group, members[2], "Overdracht")
    room = vote_room(meeting, members)
    with pytest.raises(interactions.InteractionError):
        act(room, members[2], "choose", case=str(chantal.pk))
    chantal.refresh_from_db()
    room.refresh_from_db()
    assert chantal.status == CaseStatus.PROPOSED and room.case is None
    assert "data-choose" not in shared_view(room, Audience.PARTICIPANT)
    assert "data-choose" in shared_view(room, Audience.FACILITATOR)


def test_choosing_a_case_makes_its_owner_the_inbrenger(meeting, members, group, case):
    chantal = propose(group, members[2], "Overdracht")
    room = vote_room(meeting, members, case=case)  # Bram's case was chosen when opening
    revision = room.revision
    result = act(room, members[0], "choose", case=str(chantal.pk))
    assert result.reload
    room.refresh_from_db()
    chantal.refresh_from_db()
    case.refresh_from_db()
    assert room.case == chantal and room.revision == revision + 1
    assert chantal.status == CaseStatus.CHOSEN and chantal.meeting == meeting
    assert case.status == CaseStatus.PROPOSED and case.meeting is None  # back on the list
    audiences = dict(RoomMember.objects.filter(room=room).values_list("user__username", "audience"))
    assert audiences["chantal"] == Audience.INBRENGER
    assert audiences["bram"] == Audience.PARTICIPANT
    assert audiences["anna"] == Audience.FACILITATOR
    inbrengers = RoleAssignment.objects.filter(meeting=meeting, role=Role.INBRENGER)
    assert [a.user for a in inbrengers] == [members[2]]


def test_choosing_in_a_room_opened_without_a_case(meeting, members, group, client):
    daan = propose(group, members[3], "Planning")
    room = vote_room(meeting, members, slug="incidentmethode")  # Bram was named inbrenger
    client.force_login(members[0])
    response = client.post(
        reverse("rooms:act", args=[room.pk, "choose"]),
        {"step_run": room.step_run_id, "case": str(daan.pk)},
    )
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    room.refresh_from_db()
    assert room.case == daan
    assert room.members.get(user=members[3]).audience == Audience.INBRENGER
    assert room.members.get(user=members[1]).audience == Audience.PARTICIPANT


def test_an_observers_case_chosen_makes_them_the_inbrenger_not_an_observer(meeting, members, group):
    femke = propose(group, members[5], "Van Femke")
    room = open_room_for(meeting, members, method_slug="crea", observers=[members[5]])
    room = go_to_step(room, "opening")
    act(room, members[0], "choose", case=str(femke.pk))
    assert room.members.get(user=members[5]).audience == Audience.INBRENGER
    roles = set(
        RoleAssignment.objects.filter(meeting=meeting, user=members[5]).values_list(
            "role", flat=True
        )
    )
    assert roles == {Role.INBRENGER}


def test_the_facilitators_own_case_is_refused_until_they_hand_over(meeting, members, group):
    anna = propose(group, members[0], "Van Anna")
    room = vote_room(meeting, members)
    html = shared_view(room, Audience.FACILITATOR)
    assert "data-own-case" in html
    with pytest.raises(interactions.InteractionError, match="facilitat"):
        act(room, members[0], "choose", case=str(anna.pk))
    anna.refresh_from_db()
    room.refresh_from_db()
    assert anna.status == CaseStatus.PROPOSED and room.case is None
    assert room.members.get(user=members[0]).audience == Audience.FACILITATOR


def test_choosing_the_case_already_chosen_is_refused(meeting, members, case):
    room = vote_room(meeting, members, case=case)
    with pytest.raises(interactions.InteractionError):
        act(room, members[0], "choose", case=str(case.pk))


def test_a_case_of_someone_not_in_the_room_cannot_be_chosen(meeting, members, group):
    femke = propose(group, members[5], "Van Femke")
    room = vote_room(meeting, members, present=members[:5])
    with pytest.raises(interactions.InteractionError):
        act(room, members[0], "choose", case=str(femke.pk))
    femke.refresh_from_db()
    assert femke.status == CaseStatus.PROPOSED


# ---- Queries ----


@pytest.mark.parametrize("size", [3, 6])
def test_rendering_the_vote_step_does_not_grow_with_the_group(meeting, members, group, size):
    present = members[:size]
    for owner in present[1:]:
        propose(group, owner, f"Casus van {owner.first_name}")
    room = vote_room(meeting, members, present=present)
    for voter in present:
        act(room, voter, "vote", case=str(Case.objects.filter(owner=present[1]).first().pk))
    member = RoomMember.objects.get(room=room, user=present[2])
    with CaptureQueriesContext(connection) as queries:
        state = live.load_state(room.pk)
        for audience in MEMBER_AUDIENCES:
            live.render_parts(state, audience, live.EVERYTHING)
        live.render_parts(state, member.audience, interactions.MINE, member=member)
    # Room, members, storingen, trail + the inventory's 2 (cases, votes), however many people
    # and cases.
    assert len(queries) == 6
