"""The video link of an online meeting: a button on the home page, in the lobby and in the
room's header for everyone in that room, never for anyone else; only https links are taken."""

import pytest
from django.test import Client
from django.urls import reverse

from groups.models import Meeting, MeetingMode
from methods.models import Method
from sessions_app.models import Room

from .conftest import TEAMS_LINK, client_for, open_room_for

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_members_find_the_video_link_on_the_home_page(online_meeting, members, outsider):
    html = page(client_for(members[3]), reverse("home"))
    assert 'href="' + TEAMS_LINK.replace("&", "&amp;") + '"' in html
    assert "Naar het videogesprek" in html and "teams.microsoft.com" in html
    assert 'rel="noopener noreferrer"' in html
    assert "online, naast een videogesprek" in html  # how the group meets this time
    assert "teams.microsoft.com" not in page(client_for(outsider), reverse("home"))


def test_everyone_in_the_room_gets_the_link_in_the_header_and_the_lobby(
    online_meeting, members, case
):
    room = open_room_for(online_meeting, members, case=case)
    url = reverse("rooms:room", args=[room.pk])
    laptop = page(client_for(members[0]), url)
    assert laptop.count("data-video-link") == 2  # header and lobby
    assert 'class="lobby-call"' in laptop
    for user in (members[1], members[4]):  # inbrenger, participant: the phone's header bar
        html = page(client_for(user), url)
        assert html.count("data-video-link") == 1 and 'class="phone-bar"' in html, user


def test_a_guest_sees_the_link_of_their_own_room_only(online_meeting, members, case, group):
    group.allow_guests = True
    group.save()
    room = open_room_for(online_meeting, members, case=case)
    other_meeting = Meeting.objects.create(
        group=group,
        starts_at=online_meeting.starts_at,
        mode=MeetingMode.ONLINE,
        video_url="https://zoom.us/j/1234567890?pwd=geheim",
    )
    other = open_room_for(other_meeting, members, case=None)
    guest = Client()
    guest.post(reverse("rooms:guest", args=[room.join_code]), {"name": "Gijs Gast"})
    assert "teams.microsoft.com" in page(guest, reverse("rooms:room", args=[room.pk]))
    refused = guest.get(reverse("rooms:room", args=[other.pk]))
    assert refused.status_code in (302, 403)
    assert "zoom.us" not in refused.content.decode()


def test_an_in_person_meeting_without_a_link_shows_no_button(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    assert "data-video-link" not in page(
        client_for(members[2]), reverse("rooms:room", args=[room.pk])
    )
    assert "data-video-link" not in page(client_for(members[2]), reverse("home"))


def test_the_facilitator_sets_online_and_the_link_when_opening(
    meeting, members, case, method_library
):
    anna = client_for(members[0])
    url = reverse("rooms:open", args=[meeting.pk])
    form = page(anna, url)
    assert 'name="mode"' in form and 'name="video_url"' in form
    base = {
        "present": [m.pk for m in members],
        "method": Method.objects.get(slug="roddelmodel").pk,
        "case": case.pk,
        "facilitator": members[0].pk,
        "mode": MeetingMode.ONLINE,
    }
    for bad in ("javascript:alert(1)", "http://teams.example.org/meet", "ftp://x.org/a"):
        response = anna.post(url, {**base, "video_url": bad})
        assert response.status_code == 200 and not Room.objects.exists()
        html = response.content.decode()
        assert "https-link" in html or "geldige URL" in html  # a clear Dutch message
        assert f'value="{members[3].pk}"' in html  # nothing else filled in is lost
    response = anna.post(url, {**base, "video_url": TEAMS_LINK})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.effective_mode == MeetingMode.ONLINE and meeting.video_url == TEAMS_LINK


def test_a_group_that_meets_online_makes_its_meetings_online(group, meeting):
    assert meeting.effective_mode == MeetingMode.IN_PERSON and not meeting.is_online
    group.meeting_mode = MeetingMode.HYBRID
    group.save()
    meeting = Meeting.objects.select_related("group").get(pk=meeting.pk)
    assert meeting.effective_mode == MeetingMode.HYBRID and meeting.is_online
    meeting.mode = MeetingMode.IN_PERSON  # this one time in the office
    assert not meeting.is_online


def test_the_coordinator_sets_mode_and_link_in_the_admin(admin_client, meeting):
    url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    html = page(admin_client, url)
    assert 'name="mode"' in html and 'name="video_url"' in html
    from tests.groups.helpers import admin_form_data

    data = admin_form_data(admin_client.get(url), "meeting_form")
    data.update(mode=MeetingMode.ONLINE, video_url="javascript:alert(1)")
    response = admin_client.post(url, data)
    assert response.status_code == 200  # refused, with the form again
    meeting.refresh_from_db()
    assert meeting.video_url == ""
    data["video_url"] = TEAMS_LINK  # 300+ characters, as Teams links are
    assert admin_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.mode == MeetingMode.ONLINE and meeting.video_url == TEAMS_LINK
