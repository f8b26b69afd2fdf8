"""Accreditation records a register accepts (issue 17.6), in Dutch unless said otherwise: who
confirmed each presence (never the member themselves), how it was recorded, hours per meeting,
and a printable summary per member for a period, also for the coordinator."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance, Meeting
from reports.accreditation import attended_meetings

from .conftest import EN, client_for, open_and_hold, pdf_text

pytestmark = pytest.mark.django_db


def test_the_facilitator_never_confirms_her_own_presence(held_session, members):
    anna, chantal = members[0], members[2]
    (own,) = attended_meetings(anna)
    assert own.confirmed_by == "" and own.part == "facilitator"
    (other,) = attended_meetings(chantal)
    assert other.confirmed_by == "Anna de Vries"
    assert other.recorded == "in de sessieruimte"
    assert other.hours == "1:30"
    assert attended_meetings(members[1])[0].part == "inbrenger"


def test_the_record_says_which_presence_awaits_confirmation(held_session, members):
    response = client_for(members[0]).get(reverse("groups:attendance_record_pdf"), **EN)
    text = " ".join(pdf_text(response.content).split())
    assert "awaiting confirmation" in text
    assert "Nobody confirms their own presence" in text
    assert "presence was recorded by that meeting's facilitator when the session room" not in text


def test_the_coordinator_confirms_the_facilitator_by_hand(held_session, members, coordinator):
    coordinator.is_superuser = True
    coordinator.save()
    client_for(coordinator).post(
        reverse("admin:groups_meeting_mark_present", args=[held_session.meeting.pk])
    )
    (own,) = attended_meetings(members[0])
    assert own.confirmed_by == "Coco Coördinator"
    assert own.recorded == "met de hand ingevoerd"
    # What the facilitator confirmed in the room stays as it was.
    assert attended_meetings(members[2])[0].recorded == "in de sessieruimte"


def test_a_period_summary_per_member(held_session, group, members, bram_case):
    older = Meeting.objects.create(
        group=group, starts_at=timezone.now() - timedelta(days=200), duration_minutes=120
    )
    open_and_hold(older, members, None)
    chantal = client_for(members[2])
    everything = chantal.get(reverse("groups:attendance_record"), **EN)
    assert everything.text.count("data-attended") == 2
    assert "data-total>3:30<" in everything.text

    since = (timezone.localdate() - timedelta(days=60)).isoformat()
    recent = chantal.get(reverse("groups:attendance_record"), {"start": since}, **EN)
    assert recent.text.count("data-attended") == 1
    assert f'href="/groups/attendance/record.pdf?start={since}"' in recent.text
    pdf = chantal.get(reverse("groups:attendance_record_pdf"), {"start": since}, **EN)
    assert "from " in pdf_text(pdf.content)

    wrong = chantal.get(
        reverse("groups:attendance_record"), {"start": since, "end": "2000-01-01"}, **EN
    )
    assert "The end of the period lies before its start." in wrong.text


def test_the_coordinator_prints_a_members_record_and_others_cannot(
    held_session, group, members, coordinator, outsider
):
    url = reverse("groups:member_record", args=[group.pk, members[2].pk])
    page = client_for(coordinator).get(url, **EN)
    assert page.status_code == 200 and "Chantal Bakker" in page.text
    pdf = client_for(coordinator).get(
        reverse("groups:member_record_pdf", args=[group.pk, members[2].pk])
    )
    assert pdf["Content-Type"] == "application/pdf"
    for stranger in (members[0], outsider):
        assert client_for(stranger).get(url).status_code == 404


def test_both_inbrengers_of_a_long_meeting_have_their_case_on_record(group, members):
    from groups.models import Role, RoleAssignment

    long = Meeting.objects.create(
        group=group, starts_at=timezone.now() - timedelta(days=3), duration_minutes=150
    )
    open_and_hold(long, members, None)
    RoleAssignment.objects.create(meeting=long, user=members[2], role=Role.INBRENGER, round=2)
    assert attended_meetings(members[1])[0].part == "inbrenger (casus 1 van 2)"
    assert attended_meetings(members[2])[0].part == "inbrenger (casus 2 van 2)"
    assert Attendance.objects.get(meeting=long, user=members[2]).present
