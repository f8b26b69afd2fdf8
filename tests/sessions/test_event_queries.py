"""What one room event costs the database, and what it sends to the screens (issue #16).

Each event kind of a real meeting (bench/realistic.py) is sent the way a phone or the laptop
sends it, with its push run on commit as in production and every member connected (so the push
renders for every audience, in two languages). The number of queries per event is pinned: it
must not grow with the size of the group or with what the step already holds, and any new query
on this hot path shows up here. The push must carry exactly the fragments the event changes.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from groups.models import Meeting, Membership
from sessions_app import delivery, live, services, sockets
from sessions_app.models import Audience, RoomMember
from sessions_app.room_state import load_state
from tests.conftest import make_user
from tests.sessions.conftest import open_room_for

# Transactional: each push runs when its change commits, inside the request, as in production
# (the answer to the person who acted reuses the state that push read).
pytestmark = pytest.mark.django_db(transaction=True)

# Queries of the whole request, push included. A question: the user and the member (the view,
# one query for both room and membership); the locked room row, the step run, the member, who is
# present, the meeting's mode (twice), the question, the round's state, the room (the change); the
# room state for the push (room, members, questions), which the answer to the person who acted
# reuses; the languages of open shared screens. Step changes answer with 204 (views.command);
# "mine" is a phone fetching its own view (only a socket in another language than the one its
# own views are pushed in does). Before issue #16's second round: question and pass 21, rating
# and tip 18, ready 13.
EXPECTED_QUERIES = {
    "step": 12,
    "question": 17,
    "pass": 17,
    "rating": 14,
    "tip": 14,
    "ready": 10,
    "mine": 6,
}
# The fragments (ids of the out-of-band swaps) that each event pushes to the facilitator's
# laptop, to the phones' audience groups, and to each connected phone on its own
# (live.own_messages). A step change replaces the whole step, and every phone's own view and
# action bar; an action inside a step only the step's interaction, whose turn it is in an online
# meeting ("floor", for questions and passes), and where the turn moves every phone's own view;
# "klaar" only who is ready (and the laptop's controls). Nothing else is rendered.
STEP_PHONE = {
    "room-meta",
    "room-case",
    "room-step",
    "room-timer",
    "room-presence",
    "room-interaction",
    "room-floor",
}
STEP_LAPTOP = {
    "room-meta",
    "room-stepper",
    "room-step",
    "room-timer",
    "room-controls",
    "room-presence",
    "room-interaction",
    "room-handover",
    "room-guests",
    "room-floor",
}
ACTION = {"room-meta", "room-interaction"}
OWN = {"my-interaction"}
PUSHED = {
    "step": (STEP_LAPTOP, STEP_PHONE, OWN | {"room-actions"}),
    "question": (ACTION | {"room-floor"}, ACTION | {"room-floor"}, OWN),
    "pass": (ACTION | {"room-floor"}, ACTION | {"room-floor"}, OWN),
    "rating": (ACTION, ACTION, set()),
    "tip": (ACTION, ACTION, set()),
    "ready": (
        {"room-meta", "room-controls"} | {"room-presence"},
        {"room-meta", "room-presence"},
        set(),
    ),
}
# Where each kind happens: (method, kind of step).
WHERE = {
    "question": ("fresh-questioning", "question_round"),
    "pass": ("fresh-questioning", "question_round"),
    "rating": ("fresh-questioning", "question_round"),
    "mine": ("fresh-questioning", "question_round"),
    "tip": ("guns-and-roses", "collect"),
    "ready": ("incidentmethode-percepties", "think"),
    "step": ("fresh-questioning", "question_round"),
}
SWAP_ID = re.compile(r'<[a-z]+ id="((?:room|my)-[a-z-]+)"[^>]*hx-swap-oob')


class LiveRoom:
    """A running room at the step where `kind` happens, everyone connected, a client each."""

    def __init__(self, meeting, people, case, kind: str):
        slug, step_kind = WHERE[kind]
        self.people = people
        self.room = open_room_for(meeting, people, method_slug=slug, case=case)
        room = services.run_command(self.room.pk, people[0], "start", self.room.revision).room
        while load_state(room.pk).step.kind != step_kind:
            room = services.run_command(room.pk, people[0], "next", room.revision).room
        self.room = room
        # Everyone online, half of them in English: the push renders both languages.
        for n, member in enumerate(RoomMember.objects.filter(room=room).order_by("pk")):
            member.connections, member.language = 1, ("nl", "en")[n % 2]
            member.save(update_fields=["connections", "language"])
        self.clients = {}
        for user in people:
            client = Client(HTTP_HX_REQUEST="true")
            client.force_login(user)
            self.clients[user.pk] = client
        self.n = 0

    def state(self):
        return load_state(self.room.pk)

    def url(self, name: str) -> str:
        return f"/r/{self.room.pk}/{name}/"

    def request(self, kind: str):
        """(client, method, path, data) of the next event of `kind`."""
        self.n += 1
        state = self.state()
        run = state.room.step_run_id
        if kind == "step":
            return (
                self.clients[self.people[0].pk],
                "post",
                self.url("do/next"),
                {"revision": state.room.revision},
            )
        if kind == "mine":
            return self.clients[self.people[2].pk], "get", self.url("mine"), {}
        if kind in ("question", "pass"):
            data = state.interaction_data()
            member = next(m for m in state.members if m.pk == data.turns.current(data.present))
            action = "act/ask" if kind == "question" else "act/pass"
            return (
                self.clients[member.user_id],
                "post",
                self.url(action),
                {
                    "step_run": run,
                    "question": f"Vraag {self.n}: wat maakte dat je toen zo reageerde?",
                },
            )
        if kind == "rating":
            question = state.interaction_data().questions[-1]
            return (
                self.clients[self.people[1].pk],
                "post",
                self.url("act/rate"),
                {
                    "step_run": run,
                    "question": question.pk,
                    "rating": "warm",
                },
            )
        helper = self.people[2 + self.n % (len(self.people) - 2)]
        if kind == "tip":
            return (
                self.clients[helper.pk],
                "post",
                self.url("act/add"),
                {
                    "step_run": run,
                    "text": f"Tip {self.n}: een kort gesprek vooraf",
                },
            )
        member = next(m for m in state.members if m.user_id == helper.pk)
        return (
            self.clients[helper.pk],
            "post",
            self.url("ready"),
            {
                "step_run": run,
                "ready": "1" if member.ready_step_run is None else "0",
            },
        )

    def send(self, kind: str):
        """One event of `kind`, its push run on commit; returns (response, queries)."""
        client, method, path, data = self.request(kind)
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(path, data)
        assert response.status_code in (200, 204), (kind, response.content.decode()[-300:])
        return response, len(queries)


@pytest.fixture
def people(members):
    """Nine people: the six members and three more of the group."""
    group = Membership.objects.filter(user=members[0]).first().group
    extra = [make_user(f"extra{i}", f"Extra{i}", "Lid") for i in range(3)]
    for user in extra:
        Membership.objects.create(group=group, user=user)
    return [*members, *extra]


@pytest.fixture
def pushes(monkeypatch, in_memory_layer):
    """The messages of every push, as delivery.send gets them."""
    sent: list = []
    real = delivery.send

    def capture(layer, room_id, revision, seq, messages, reload=False):
        sent.extend(messages)
        return real(layer, room_id, revision, seq, messages, reload=reload)

    monkeypatch.setattr(delivery, "send", capture)
    return sent


# Kinds that need another event first: a rating needs a question to rate, and a pass a question
# in the same round (a full round of passes ends the rounds).
LEAD = {"rating": "question", "pass": "question", "mine": "question"}


def queries_of(meeting, people, case, kind: str, size: int, before: int) -> int:
    room = LiveRoom(meeting, people[:size], case, kind)
    for _ in range(before):  # what the step already holds
        room.send(LEAD.get(kind, kind) if kind != "step" else "question")
    for _ in range(2):  # the first one warms the step cache, templates and translations
        if kind in LEAD:
            room.send(LEAD[kind])
        queries = room.send(kind)[1]
    return queries


@pytest.mark.parametrize("kind", list(EXPECTED_QUERIES))
def test_an_event_costs_the_same_few_queries_whatever_the_group_and_the_step_hold(
    meeting, people, case, kind, pushes
):
    small = queries_of(meeting, people, case, kind, size=4, before=0)
    other = Meeting.objects.create(group=meeting.group, starts_at=meeting.starts_at)
    case.pk = None
    case.save()
    large = queries_of(other, people, case, kind, size=9, before=6)
    assert (small, large) == (EXPECTED_QUERIES[kind], EXPECTED_QUERIES[kind])


def _swapped(html: str) -> set[str]:
    return set(SWAP_ID.findall(html))


@pytest.mark.parametrize("kind", list(PUSHED))
def test_an_event_pushes_only_the_fragments_it_changes(meeting, people, case, kind, pushes):
    room = LiveRoom(meeting, people, case, kind)
    if kind in LEAD:
        room.send(LEAD[kind])
    pushes.clear()
    room.send(kind)
    laptop, phones, own = PUSHED[kind]
    assert pushes, "the event pushed nothing"
    groups = [group for group, _message in pushes]
    assert len(groups) == len(set(groups)), "a group got two messages from one push"
    phones_own = 0
    for group, message in pushes:
        if message["type"] == "room.own":
            phones_own += 1
            assert _swapped(message["html"]) == own, (kind, group)
            continue
        expected = laptop if group.endswith(f"-{Audience.FACILITATOR}-{group[-2:]}") else phones
        assert _swapped(message["html"]) == expected, (kind, group)
    # Every phone of the nine gets its own view when it changed: nobody fetches it any more.
    assert phones_own == (len(people) - 1 if own else 0)
    assert not any("/mine/" in message["html"] for _group, message in pushes)


def test_each_phone_gets_its_own_view_in_its_language_and_only_its_own(
    meeting, people, case, pushes
):
    room = LiveRoom(meeting, people, case, "question")
    pushes.clear()
    room.send("question")
    state = room.state()
    data = state.interaction_data()
    turn = data.turns.current(data.present)
    members = {sockets.member_group(m.pk): m for m in state.members}
    own = {group: message for group, message in pushes if message["type"] == "room.own"}
    assert set(own) == {g for g, m in members.items() if m.audience != Audience.FACILITATOR}
    for group, message in own.items():
        member = members[group]
        assert message["language"] == member.language
        assert ("data-my-turn" in message["html"]) == (member.pk == turn), member
        # The socket of another language fetches its own view instead.
        assert f'hx-get="/r/{room.room.pk}/mine/"' in message["refresh"]
        assert f'data-own-seq="{state.room.seq}"' in message["html"]
    # Nobody's own view reaches anyone else: no audience group carries one.
    assert not any(
        "my-interaction" in message["html"]
        for _g, message in pushes
        if message["type"] == "room.push"
    )


def test_a_phone_that_is_not_connected_gets_no_own_view(meeting, people, case, pushes):
    room = LiveRoom(meeting, people, case, "question")
    away = RoomMember.objects.filter(room=room.room, audience=Audience.PARTICIPANT).first()
    RoomMember.objects.filter(pk=away.pk).update(connections=0)
    pushes.clear()
    room.send("question")
    own = [group for group, message in pushes if message["type"] == "room.own"]
    assert own and sockets.member_group(away.pk) not in own


SWAP_START = r'<[a-z0-9]+ id="(?:room|my)-[a-z-]+"[^>]*hx-swap-oob'
FRAGMENT = re.compile(
    rf"({SWAP_START.replace('(?:room|my)-[a-z-]+', '((?:room|my)-[a-z-]+)')}.*?)"
    rf'(?={SWAP_START}|<div id="toast"|$)',
    re.S,
)


def _fragments(html: str) -> dict[str, str]:
    return {m.group(2): m.group(1).strip() for m in FRAGMENT.finditer(html)}


@pytest.mark.parametrize("kind", ["question", "pass", "tip"])
def test_the_answer_to_whoever_acted_is_what_a_fresh_render_shows(
    meeting, people, case, kind, pushes, monkeypatch
):
    """The answer reuses the fragments its push rendered (live.Pushed.answer): every fragment it
    carries is the one a fresh read and render of the room gives, the actor's own view included."""
    room = LiveRoom(meeting, people, case, kind)
    room.send("question" if kind == "pass" else kind)
    client, method, path, data = room.request(kind)
    reused = client.post(path, data).content.decode()
    assert "my-interaction" in _fragments(reused) and "room-interaction" in _fragments(reused)
    # The same answer rendered from a fresh read of the room, for comparison.
    member = next(m for m in room.state().members if m.user_id == _user_of(room, client))
    fresh = live.render_parts(room.state(), member.audience, live.STEP_CHANGE, member=member)
    fresh_parts = _fragments(fresh)
    for part, html in _fragments(reused).items():
        if part in fresh_parts:
            assert html == fresh_parts[part], part


def _user_of(room, client) -> int:
    return next(pk for pk, c in room.clients.items() if c is client)
