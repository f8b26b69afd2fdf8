"""The download of "My data": one ZIP with documented JSON and a readable HTML file, holding
everything about the member and nothing of anyone else."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case, CaseStatus
from sessions_app.models import BoardItem, Question, Room, RoomMember

pytestmark = pytest.mark.django_db

User = get_user_model()


def download(client, user) -> tuple[dict, str]:
    client.force_login(user)
    response = client.get(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="intervisie-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["intervisie-data.html", "intervisie-data.json"]
    data = json.loads(archive.read("intervisie-data.json"))
    return data, archive.read("intervisie-data.html").decode()


def section(data: dict, key: str) -> dict:
    return next(s for s in data["sections"] if s["key"] == key)


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO())
    return {u.username: u for u in User.objects.all()}


def test_a_demo_members_zip_holds_every_question_they_asked(demo, client):
    anna, bram = demo["anna"], demo["bram"]
    asked = sorted(Question.objects.filter(asker__user=anna).values_list("text", flat=True))
    assert len(asked) >= 2  # one typed, one asked aloud in the demo's last session
    data, html = download(client, anna)
    questions = section(data, "questions")
    assert sorted(r["text"] for r in questions["records"]) == asked
    assert questions["count"] == len(asked)
    assert any(r["asked_aloud"] for r in questions["records"])
    for text in asked:
        assert text in html
    # Nobody else's questions are in it, though they were asked in the same room.
    others = Question.objects.exclude(asker__user=anna).exclude(text="")
    assert others.exists()
    for text in others.values_list("text", flat=True):
        assert text not in json.dumps(data, ensure_ascii=False) and text not in html
    bram_data, _html = download(client, bram)
    assert sorted(r["text"] for r in section(bram_data, "questions")["records"]) == sorted(
        Question.objects.filter(asker__user=bram).values_list("text", flat=True)
    )


def test_the_zip_holds_nothing_of_others_notes_or_hidden_items(demo, client):
    anna, daan, bram = demo["anna"], demo["daan"], demo["bram"]
    Case.objects.filter(owner=daan).update(private_notes="DAAN-PRIVATE-NOTE")
    Case.objects.filter(owner=anna).update(private_notes="ANNA-OWN-NOTE")
    # An open room with Bram's item still hidden on the board, and Anna's own one.
    room = Room.objects.filter(status=Room.Status.ENDED).first()
    bram_member = RoomMember.objects.get(room=room, user=bram)
    BoardItem.objects.create(
        room=room, step_key="x", board="tips", author=bram_member, text="BRAM-HIDDEN"
    )
    data, html = download(client, anna)
    blob = json.dumps(data, ensure_ascii=False) + html
    assert "DAAN-PRIVATE-NOTE" not in blob and "BRAM-HIDDEN" not in blob
    assert "ANNA-OWN-NOTE" in blob  # her own notes are hers
    for text in BoardItem.objects.exclude(author__user=anna).values_list("text", flat=True):
        assert text not in blob
    for reason in BoardItem.objects.exclude(pick_reason="").values_list("pick_reason", flat=True):
        assert reason not in blob  # the inbrenger's reasons are theirs, not the writer's


def test_the_json_documents_every_field_of_every_record(demo, client):
    data, _html = download(client, demo["anna"])
    assert data["format"] == "intervisie-personal-data" and data["format_version"] == 1
    keys = [s["key"] for s in data["sections"]]
    for expected in (
        "account",
        "memberships",
        "attendance",
        "roles",
        "cases",
        "questions",
        "board_items",
        "evaluations",
        "rooms",
    ):
        assert expected in keys
    for s in data["sections"]:
        assert s["title"] and s["description"]
        assert s["count"] == len(s["records"])
        for record in s["records"]:
            assert set(record) <= set(s["fields"]), s["key"]
    account = section(data, "account")["records"][0]
    assert account["username"] == "anna" and "password" not in account


def test_the_owners_cases_come_with_preparation_notes_and_plan(members, group, client):
    anna = members[0]
    Case.objects.create(
        group=group,
        owner=anna,
        title="Mijn eigen casus",
        working_question="Hoe kan ik beter plannen?",
        situation="SITUATIE",
        private_notes="NOTITIE",
        status=CaseStatus.DRAFT,
    )
    data, html = download(client, anna)
    record = section(data, "cases")["records"][0]
    assert record["situation"] == "SITUATIE" and record["private_notes"] == "NOTITIE"
    assert record["url"] == reverse("cases:detail", args=[Case.objects.get(owner=anna).pk])
    assert "NOTITIE" in html and "Mijn eigen casus" in html


def test_the_download_is_for_logged_in_members_only(client):
    response = client.get(reverse("privacy:download"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_markup_in_a_members_text_is_escaped_in_the_html(members, group, client):
    Case.objects.create(
        group=group, owner=members[0], title="<script>alert(1)</script>", working_question="x"
    )
    _data, html = download(client, members[0])
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_section_added_by_another_app_lands_in_page_and_download(members, group, client):
    """How a later data kind (e.g. consent records) joins: one registration."""
    from privacy import registry

    def consents(user):
        return registry.Section(
            key="consents",
            title="Consents",
            description="What you agreed to.",
            fields=[registry.Field("what", "what you agreed to")],
            records=[{"what": "CONSENT-RECORD"}],
        )

    registry.register_section("consents", consents, order=500)
    try:
        data, html = download(client, members[0])
        assert section(data, "consents")["records"] == [{"what": "CONSENT-RECORD"}]
        assert "CONSENT-RECORD" in html
        page = client.get(reverse("privacy:my_data")).content.decode()
        assert 'data-section="consents"' in page and "CONSENT-RECORD" in page
    finally:
        registry._sections.pop("consents")


def test_consents_and_who_read_your_case_are_in_the_download(members, group, client):
    """#11's records are a member's data too: their consents, and every read of their case."""
    from cases.models import CaseRead
    from groups import consent

    anna, coordinator = members[0], members[-1]
    group.coordinator = coordinator
    group.coordinator_may_read_cases = True
    group.save()
    consent.agree(group, anna)
    case = Case.objects.create(
        group=group, owner=anna, title="Gelezen casus", status=CaseStatus.PROPOSED
    )
    CaseRead.objects.create(
        case=case,
        reader=coordinator,
        reader_name="Coördinator Cor",
        reader_role=CaseRead.Role.COORDINATOR,
        channel=CaseRead.Channel.SITE,
        path=f"/cases/{case.pk}/",
    )
    data, html = download(client, anna)
    agreed = section(data, "reading_consents")["records"]
    assert len(agreed) == 1 and agreed[0]["group"] == group.name and not agreed[0]["withdrawn_at"]
    reads = section(data, "case_reads")["records"]
    assert [(r["case"], r["read_by"], r["yours"]) for r in reads] == [
        ("Gelezen casus", "Coördinator Cor", True)
    ]
    assert "Coördinator Cor" in html
    # The coordinator's own download says what they read.
    theirs, _ = download(client, coordinator)
    assert [r["yours"] for r in section(theirs, "case_reads")["records"]] == [False]
