"""Attendance on record for accreditation: per member a PDF, per group a CSV for the coordinator."""

import csv
import io

import pytest
from django.urls import reverse

from groups.models import Attendance
from reports.accreditation import attended_meetings

from .conftest import EN, client_for, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def test_a_member_sees_the_meetings_she_attended_confirmed_by_the_facilitator(
    held_session, members
):
    chantal = attended_meetings(members[2])
    assert len(chantal) == 1
    record = chantal[0]
    assert record.group == "Intervisie Zorgteam Noord"
    assert record.method == "Guns&Roses"
    assert record.minutes == 90
    assert record.confirmed_by == "Anna de Vries"
    assert attended_meetings(members[5]) == []  # Femke was not there


def test_only_meetings_held_and_attended_count(held_session, meeting, members):
    Attendance.objects.create(meeting=meeting, user=members[2], response="yes", present=True)
    assert len(attended_meetings(members[2])) == 1  # the planned meeting does not count yet


def test_the_record_page_and_its_pdf(held_session, members):
    client = client_for(members[2])
    page = client.get(reverse("groups:attendance_record"), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-attended") == 1
    assert "Anna de Vries" in html and "data-total>1:30<" in html
    response = client.get(reverse("groups:attendance_record_pdf"), **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert pdf_pages(response.content) == 1
    text = " ".join(pdf_text(response.content).split())
    for expected in ("Chantal Bakker", "Anna de Vries", "Guns&Roses", "Intervisie Zorgteam Noord"):
        assert expected in text


def test_the_record_needs_a_login(client):
    response = client.get(reverse("groups:attendance_record_pdf"))
    assert response.status_code == 302


def test_the_coordinator_downloads_the_groups_attendance_list(held_session, group, coordinator):
    """For Dutch spreadsheets (issue 17): semicolons, Dutch headers and values."""
    response = client_for(coordinator).get(reverse("groups:attendance_csv", args=[group.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 6
    present = {r["Gebruikersnaam"]: r["Aanwezig"] for r in rows}
    assert present == {"anna": "ja", "bram": "ja", "chantal": "ja", "daan": "ja",
                       "eva": "ja", "femke": "nee"}  # fmt: skip
    assert {r["Facilitator"] for r in rows} == {"Anna de Vries"}
    assert {r["Status"] for r in rows} == {"afgerond"}
    assert {r["Uren"] for r in rows} == {"1:30"}
    # The facilitator never confirms her own presence.
    confirmed = {r["Gebruikersnaam"]: r["Bevestigd door"] for r in rows if r["Aanwezig"] == "ja"}
    assert confirmed.pop("anna") == ""
    assert set(confirmed.values()) == {"Anna de Vries"}


def test_members_and_outsiders_get_no_attendance_list(held_session, group, members, outsider):
    for user in (members[0], outsider):
        response = client_for(user).get(reverse("groups:attendance_csv", args=[group.pk]))
        assert response.status_code == 404
