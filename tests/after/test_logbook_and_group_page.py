"""The group's logbook and group page: for members and the coordinator, never case content."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from groups.models import Meeting
from reports.logbook import build_logbook

from .conftest import EN, client_for, open_and_hold

pytestmark = pytest.mark.django_db

QUESTION = "Hoe kan ik het vrijdagoverleg zo leiden dat iedereen aan het woord komt?"


@pytest.fixture
def second_session(group, members):
    """An older meeting: Chantal brought a case, Daan facilitated (Roddelmodel)."""
    meeting = Meeting.objects.create(
        group=group, starts_at=timezone.now() - timedelta(days=49), duration_minutes=90
    )
    case = Case.objects.create(
        group=group, owner=members[2], title="Nee zeggen",
        working_question="Hoe kan ik vaker nee zeggen tegen extra diensten?",
        status=CaseStatus.PROPOSED,
    )  # fmt: skip
    room = open_and_hold(
        meeting, members, case, "roddelmodel", facilitator=members[3], inbrenger=members[2]
    )
    return meeting, room, case


def urls(group):
    return [
        reverse("groups:logbook", args=[group.pk]),
        reverse("groups:logbook_csv", args=[group.pk]),
        reverse("groups:logbook_md", args=[group.pk]),
        reverse("groups:detail", args=[group.pk]),
    ]


def test_members_and_the_coordinator_read_the_logbook_and_group_page(
    held_session, group, members, coordinator
):
    for user in (members[5], coordinator):
        client = client_for(user)
        for url in urls(group):
            assert client.get(url).status_code == 200, url


def test_outsiders_get_404_on_logbook_and_group_page(held_session, group, outsider, members):
    from groups.models import Membership

    Membership.objects.filter(group=group, user=members[5]).update(active=False)
    for user in (outsider, members[5]):  # a former member is an outsider now
        client = client_for(user)
        for url in urls(group):
            assert client.get(url).status_code == 404, url


def test_logbook_entries_per_meeting(held_session, second_session, members):
    entries = build_logbook(held_session.meeting.group)
    assert [e.case_title for e in entries] == ["Overleg op vrijdag", "Nee zeggen"]  # newest first
    newest = entries[0]
    assert newest.method == "Guns&Roses"
    assert newest.facilitator == "Anna de Vries" and newest.inbrenger == "Bram Jansen"
    assert newest.present == 5
    assert entries[1].facilitator == "Daan Visser"


def test_step_timings_planned_against_actual(held_session):
    entry = build_logbook(held_session.meeting.group)[0]
    steps = entry.steps
    assert [s.key for s in steps] == list(
        held_session.room.method.steps.values_list("key", flat=True)
    )
    # The fixture ran step 2 two minutes over and step 3 one minute short.
    assert steps[1].difference == 2.0 and steps[2].difference == -1.0
    assert steps[0].difference == 0
    assert entry.actual_total == entry.planned_total + 1


def test_evaluation_averages_in_the_logbook(held_session, members):
    entry = build_logbook(held_session.meeting.group)[0]
    assert entry.evaluations == 4
    assert entry.product_average == 4.5


def test_the_logbook_shows_the_title_but_not_the_content(held_session, group, members):
    client = client_for(members[5])
    for url in urls(group)[:3]:
        body = client.get(url).content.decode("utf-8-sig")
        assert "Overleg op vrijdag" in body, url
        assert "vrijdagoverleg" not in body, url  # the working question
        assert "voor de stille collega" not in body, url  # the reformulated one
        assert "Het raakt me" not in body and "Agenda aanpassen" not in body, url


def test_the_inbrenger_may_share_the_question(held_session, group, members):
    case = held_session.case
    case.share_in_logbook = True
    case.follow_up = "Het rondje werkt."
    case.save()
    client = client_for(members[5])
    for url in urls(group)[:3]:
        body = client.get(url).content.decode("utf-8-sig")
        body = body.replace("\\", "").replace("&#x27;", "'")
        assert "ruimte maken voor de stille collega's" in body, url  # the question as it stands now
        assert "Het rondje werkt." in body, url
        assert "Het raakt me" not in body, url  # private notes never


def test_a_shared_question_is_for_the_group_not_for_the_coordinator(
    held_session, group, coordinator
):
    """Sharing in the logbook shares with the group; the coordinator reads cases only with
    everyone's consent, on the case's page, where each read is recorded."""
    case = held_session.case
    case.share_in_logbook = True
    case.follow_up = "Het rondje werkt."
    case.save()
    client = client_for(coordinator)
    for url in urls(group)[:3]:
        body = client.get(url).content.decode("utf-8-sig")
        assert "Overleg op vrijdag" in body, url  # the title, as for every case
        assert "stille collega" not in body and "Het rondje werkt." not in body, url


def test_logbook_csv_export(held_session, second_session, group, members):
    """For Dutch spreadsheets (issue 17): semicolons, a byte-order mark, Dutch headers and
    decimal commas."""
    response = client_for(members[0]).get(reverse("groups:logbook_csv", args=[group.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["Casus"] for r in rows] == ["Overleg op vrijdag", "Nee zeggen"]
    assert rows[0]["Facilitator"] == "Anna de Vries"
    assert rows[0]["Methode"] == "Guns&Roses"
    assert rows[0]["Vraag"] == ""
    actual, planned = (
        float(rows[0][k].replace(",", ".")) for k in ("Werkelijke minuten", "Geplande minuten")
    )
    assert actual == planned + 1
    assert rows[0]["Stappen (gepland/werkelijk, minuten)"].count(";") == (
        held_session.room.method.steps.count() - 1
    )


def test_logbook_csv_speaks_the_readers_language(held_session, group, members):
    response = client_for(members[0]).get(reverse("groups:logbook_csv", args=[group.pk]), **EN)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["Case"] == "Overleg op vrijdag"


def test_logbook_markdown_export_matches_the_page(held_session, second_session, group, members):
    client = client_for(members[0])
    page = client.get(reverse("groups:logbook", args=[group.pk]), **EN).content.decode()
    markdown = client.get(reverse("groups:logbook_md", args=[group.pk]), **EN).content.decode()
    assert markdown.startswith("# Logbook: Intervisie Zorgteam Noord")
    assert len(re.findall(r"^## ", markdown, re.M)) == page.count('class="card logbook-entry"') == 2
    method = second_session[1].method
    for name in ("Overleg op vrijdag", "Nee zeggen", "Anna de Vries", "Daan Visser"):
        assert name in markdown and name in page
    assert method.name_en in markdown and method.name_en in page
    assert "| Step | Planned | Actual |" in markdown


def test_the_group_page_shows_the_timeline_counts_and_charts(
    held_session, second_session, group, members, meeting
):
    html = client_for(members[5]).get(reverse("groups:detail", args=[group.pk]), **EN)
    html = html.content.decode()
    # Timeline: two held meetings and the upcoming one.
    assert html.count('class="timeline-item"') == 2
    assert html.count('class="timeline-item upcoming"') == 1
    # Who gave and who took, per member.
    bram = re.search(r'<tr data-member="Bram Jansen">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', bram) == ["0", "1", "2"]
    anna = re.search(r'<tr data-member="Anna de Vries">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', anna) == ["1", "0", "2"]
    # Server-rendered SVG charts, no script.
    assert html.count('<svg class="chart') >= 4  # members, attendance, evaluation, steps
    assert 'role="img"' in html
    assert "<script>" not in html and "cdn" not in html.lower()
    assert 'data-method="Guns&amp;Roses"' in html
    assert f'data-method="{second_session[1].method.name_en}"' in html


def test_group_page_queries_do_not_grow_with_the_history(
    held_session, second_session, group, members, django_assert_max_num_queries
):
    client = client_for(members[0])
    client.get(reverse("groups:detail", args=[group.pk]))
    with django_assert_max_num_queries(20) as before:
        client.get(reverse("groups:detail", args=[group.pk]))
    for days in (70, 100, 130):
        extra = Meeting.objects.create(
            group=group, starts_at=timezone.now() - timedelta(days=days), duration_minutes=90
        )
        open_and_hold(extra, members, None, "roddelmodel", facilitator=members[4])
    with django_assert_max_num_queries(len(before)):
        client.get(reverse("groups:detail", args=[group.pk]))


def test_an_empty_group_page_is_fine(group, members):
    response = client_for(members[0]).get(reverse("groups:detail", args=[group.pk]), **EN)
    assert response.status_code == 200
    assert "No meetings have been held yet." in response.content.decode()
