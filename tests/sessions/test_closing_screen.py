"""After the session ends every screen says so: thanks, where the summary goes, when the group
meets next — and the laptop no longer offers a code or a QR code to join."""

from datetime import timedelta

from django.urls import reverse
from django.utils import dateformat, timezone, translation

from groups.models import Meeting
from sessions_app import live, services
from sessions_app.models import Audience


def end(room) -> None:
    services.run_command(room.pk, room.facilitator, "start", room.revision)
    room.refresh_from_db()
    services.run_command(room.pk, room.facilitator, "end", room.revision)
    room.refresh_from_db()


def step_html(room, audience) -> str:
    with translation.override("nl"):
        return live.render_parts(live.load_state(room.pk), audience, frozenset({"step"}))


def test_the_laptop_shows_a_closing_screen_without_a_way_to_join(client, room, members):
    later = Meeting.objects.create(
        group=room.meeting.group,
        starts_at=room.meeting.starts_at + timedelta(days=28),
        location="Kamer 3.01",
    )
    end(room)
    html = step_html(room, Audience.FACILITATOR)
    assert "Dank jullie wel" in html
    assert "Bram Jansen krijgt de samenvatting van de casus." in html
    with translation.override("nl"):
        day = dateformat.format(timezone.localtime(later.starts_at), "l j F Y")
    assert day in html
    assert "Kamer 3.01" in html

    client.force_login(members[0])
    page = client.get(reverse("rooms:room", args=[room.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    text = page.content.decode()
    assert room.join_code not in text
    assert 'class="qr"' not in text
    assert "data-join-badge" not in text


def test_the_inbrenger_gets_a_link_to_their_summary(room, members):
    end(room)
    html = step_html(room, Audience.INBRENGER)
    assert reverse("cases:summary", args=[room.case_id]) in html
    assert reverse("cases:summary", args=[room.case_id]) not in step_html(
        room, Audience.PARTICIPANT
    )


def test_without_a_next_meeting_the_closing_screen_says_so(room):
    end(room)
    assert "nog niet gepland" in step_html(room, Audience.PARTICIPANT)
