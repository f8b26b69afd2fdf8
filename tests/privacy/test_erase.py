"""Erasing an account: the member's own cases go with everything about them; what they gave to
others stays, under "oud-lid"; one transaction, or nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from cases.models import Case
from cases.summary import build_summary, summary_case
from groups.models import Attendance, DateProposal, Membership, RoleAssignment
from privacy import registry
from privacy.erase import ErasureRefused, erase_account
from reports.insight import build_insight
from reports.logbook import build_logbook
from sessions_app.models import BoardItem, Evaluation, Question, Room, RoomMember, Storing
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()


def summary_counts(case, owner) -> tuple[int, int, int, str]:
    summary = build_summary(summary_case(case.pk, owner), owner)
    tips = sum(len(board.tips) for board in summary.boards)
    return len(summary.questions), tips, summary.evaluation.count, summary.facilitator


def test_erasing_bram_leaves_annas_summary_whole_with_oud_lid_for_his_name(history, members):
    anna, bram = members[0], members[1]
    before = summary_counts(history.anna_case, anna)
    assert before == (4, 3, 3, "Bram Jansen")

    erase_account(bram)

    with translation.override("nl"):
        after = summary_counts(history.anna_case, anna)
    assert after[:3] == before[:3]
    assert after[3] == "oud-lid"
    texts = [
        q.text for q in build_summary(summary_case(history.anna_case.pk, anna), anna).questions
    ]
    assert "BRAM-Q1 Wat wil je bereiken?" in texts and "BRAM-Q2 Wat heb je al geprobeerd?" in texts


def test_annas_summary_page_says_oud_lid_where_brams_name_was(history, members, client):
    erase_account(members[1])
    client.force_login(members[0])
    html = client.get(
        reverse("cases:summary", args=[history.anna_case.pk]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "oud-lid" in html
    assert "Bram" not in html and "Jansen" not in html
    assert "BRAM-TIP Maak een checklist" in html


def test_his_contributions_stay_anonymous_where_they_were(history, members):
    erase_account(members[1])
    former = RoomMember.objects.get(room=history.anna_room, former_member=True)
    assert former.user_id is None and former.guest_name == "" and former.guest_token == ""
    assert Question.objects.filter(asker=former).count() == 2
    assert BoardItem.objects.get(author=former).picked  # Anna's pick stays hers
    evaluation = Evaluation.objects.get(member=former)
    assert not evaluation.signed and evaluation.remark == "BRAM-REMARK"
    assert Storing.objects.filter(raised_by=former).exists()
    with translation.override("en"):
        assert former.name == "former member"


def test_his_own_cases_go_with_everything_about_them(history, members):
    erase_account(members[1])
    assert not Case.objects.filter(pk__in=[history.bram_case.pk, history.bram_draft.pk]).exists()
    room = Room.objects.get(pk=history.bram_room.pk)  # the meeting stays in the logbook
    assert room.case_id is None
    assert not room.questions.exists() and not room.board_items.exists()
    evaluation = room.evaluations.get()
    assert (evaluation.product, evaluation.remark) == (3, "")


def test_rooms_he_facilitated_stay_in_the_logbook_with_oud_lid(history, members, group):
    with translation.override("nl"):
        before = {e.meeting_id: e for e in build_logbook(group)}
        erase_account(members[1])
        after = {e.meeting_id: e for e in build_logbook(group)}
    meeting = str(history.anna_room.meeting_id)
    assert before[meeting].facilitator == "Bram Jansen"
    assert after[meeting].facilitator == "oud-lid"
    assert Room.objects.get(pk=history.anna_room.pk).facilitator_id is None
    for key in before:
        assert after[key].present == before[key].present == 6
        assert after[key].evaluations == before[key].evaluations
        assert after[key].steps == before[key].steps
    # Bram's own case is deleted: its meeting stays, without the case's title.
    bram_meeting = str(history.bram_room.meeting_id)
    assert before[bram_meeting].case_title == "BRAM-CASE-TITLE"
    assert after[bram_meeting].case_title == ""
    assert after[bram_meeting].inbrenger == "oud-lid"


def test_attendance_stays_as_counts_without_the_name(history, members, group):
    bram = members[1]
    held = Attendance.objects.filter(meeting__rooms__isnull=False)
    assert held.filter(user=bram).count() == 2
    erase_account(bram)
    assert held.filter(user__isnull=True).count() == 2
    assert held.filter(present=True).count() == 12
    # The next meeting forgets him: no RSVP, no role, and the rotation will pick someone else.
    assert not Attendance.objects.filter(meeting=history.next_meeting).exists()
    assert not RoleAssignment.objects.filter(meeting=history.next_meeting).exists()
    assert not Membership.objects.filter(group=group, user_id=bram.pk).exists()
    names = [t.name for t in build_insight(group).members]
    assert "Bram Jansen" not in names and len(names) == 5


def test_nothing_carries_his_user_id_afterwards(history, members):
    bram = members[1]
    pk = bram.pk
    DateProposal.objects.create(
        meeting=history.next_meeting, proposed_by=bram, starts_at=history.next_meeting.starts_at
    )
    erase_account(bram)
    assert not User.objects.filter(pk=pk).exists()
    assert not RoomMember.objects.filter(user_id=pk).exists()
    assert not Attendance.objects.filter(user_id=pk).exists()
    assert not DateProposal.objects.exists()


def test_a_failure_rolls_everything_back_and_says_so(history, members, client, monkeypatch):
    bram = members[1]
    fail = registry._Eraser("boom", 250, lambda user: 1 / 0)
    monkeypatch.setitem(registry._erasers, "boom", fail)
    client.force_login(bram)
    response = client.post(reverse("privacy:erase"), {"password": PASSWORD}, follow=True)
    assert "Er is niets gewist" in response.content.decode()
    assert User.objects.filter(pk=bram.pk).exists()
    assert Case.objects.filter(pk=history.bram_case.pk).exists()
    assert RoomMember.objects.filter(user=bram).count() == 2  # the first eraser's work undone
    assert Room.objects.get(pk=history.anna_room.pk).facilitator_id == bram.pk
    assert history.bram_room.questions.count() == 1


def test_the_member_confirms_with_their_password(history, members, client):
    bram = members[1]
    client.force_login(bram)
    page = client.get(reverse("privacy:erase"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'autocomplete="current-password"' in page and "<label" in page
    wrong = client.post(
        reverse("privacy:erase"), {"password": "nope"}, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Dat wachtwoord klopt niet." in wrong
    assert User.objects.filter(pk=bram.pk).exists()
    done = client.post(reverse("privacy:erase"), {"password": PASSWORD})
    assert done.status_code == 200 and b"data-erased" in done.content
    assert not User.objects.filter(pk=bram.pk).exists()
    assert client.get(reverse("privacy:my_data")).status_code == 302  # logged out


def test_erasing_waits_while_he_facilitates_an_open_room(history, members):
    Room.objects.filter(pk=history.anna_room.pk).update(status=Room.Status.RUNNING)
    with pytest.raises(ErasureRefused) as refused:
        erase_account(members[1])
    assert "nog open" in refused.value.reasons[0]  # Dutch by default
    assert User.objects.filter(pk=members[1].pk).exists()


def test_guessing_the_password_stops_after_a_few_tries(members, client, group):
    client.force_login(members[2])
    for _ in range(5):
        client.post(reverse("privacy:erase"), {"password": "wrong"})
    page = client.post(reverse("privacy:erase"), {"password": PASSWORD}).content.decode()
    assert User.objects.filter(pk=members[2].pk).exists()
    assert "Te vaak een verkeerd wachtwoord" in page


def test_a_nameless_no_does_not_empty_the_rotation(history, members):
    from groups.rotation import suggest_roles

    meeting = history.anna_room.meeting
    Attendance.objects.filter(meeting=meeting, user=members[5]).update(
        response=Attendance.Response.NO, present=False
    )
    erase_account(members[5])  # Femke said no, then erased her account: a row without a user
    assert Attendance.objects.filter(meeting=meeting, user__isnull=True, response="no").exists()
    suggestion = suggest_roles(meeting)
    assert suggestion.facilitator is not None and suggestion.inbrenger is not None


def test_the_admins_history_forgets_his_name(history, members, coordinator):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    bram = members[1]
    membership = Membership.objects.get(user=bram)
    for obj in (bram, membership):
        LogEntry.objects.create(
            user=coordinator,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
        )
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(members[0]),
        object_id=str(members[0].pk),
        object_repr="anna",
        action_flag=CHANGE,
    )
    erase_account(bram)
    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == ["anna"]
