"""The start page offers what each person can do: only who may open the room sees the button,
a coordinator is told what a coordinator does, and the open-room form proposes the case the
inbrenger brings."""

import pytest
from django.urls import reverse

from cases.models import Case, CaseStatus
from groups.models import Role, RoleAssignment

from .conftest import client_for

pytestmark = pytest.mark.django_db
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}


def test_only_the_facilitator_gets_the_open_room_button(meeting, members):
    RoleAssignment.objects.create(meeting=meeting, user=members[3], role=Role.FACILITATOR)
    url = reverse("rooms:open", args=[meeting.pk])
    for user in (members[0], members[1], members[4]):
        html = client_for(user).get(reverse("home"), **NL).content.decode()
        assert url not in html, user
        assert "Sessieruimte openen" not in html
        assert client_for(user).get(url).status_code == 403  # what the button would have met
    facilitator = client_for(members[3])
    assert url in facilitator.get(reverse("home"), **NL).content.decode()
    assert facilitator.get(url).status_code == 200


def test_a_coordinator_is_not_told_that_their_coordinator_adds_them(group, coordinator):
    html = client_for(coordinator).get(reverse("home"), **NL).content.decode()
    assert "Je coördinator voegt je" not in html
    assert "Je coördineert" in html
    assert reverse("admin:groups_group_change", args=[group.pk]) in html


def test_the_open_room_form_proposes_the_inbrengers_case(meeting, members, group):
    RoleAssignment.objects.create(meeting=meeting, user=members[0], role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=meeting, user=members[2], role=Role.INBRENGER)
    Case.objects.create(
        group=group,
        owner=members[4],
        title="Van Eva",
        working_question="Hoe kan ik…?",
        status=CaseStatus.PROPOSED,
    )
    chantal = Case.objects.create(
        group=group,
        owner=members[2],
        title="Van Chantal",
        working_question="Hoe kan ik…?",
        status=CaseStatus.PROPOSED,
    )
    html = client_for(members[0]).get(reverse("rooms:open", args=[meeting.pk])).content.decode()
    assert f'<option value="{chantal.pk}" selected>' in html


def test_favicon_ico_finds_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
    assert client.get(response["Location"]).status_code == 200
