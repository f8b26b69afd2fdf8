"""A coordinator's half year, in the browser (issue 17, "Done when"): a new group, six members
added by name and e-mail address (each invited), a series planned with the rotation applied, a
member cancelling as the second and proposing a date, the coordinator accepting it, everyone
mailed the moved meeting with an updated calendar file, and a member leaving — after which the
coordinator is told which roles to fill.

Mail from the server process lands as .eml files in a folder (tests/browser/mailbox.py). With
UPDATE_SCREENSHOTS=1 the admin's group and meeting pages at 1440×900 replace those in
docs/screenshots/.
"""

import email
import os
import re
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from groups.models import Attendance, Group, Meeting, Membership, Role, RoleAssignment
from tests.conftest import PASSWORD, make_user

from .conftest import BASE_DIR, assert_no_console_errors

# Serialized rollback like the other browser tests: its flush then leaves the content types to
# the next test that restores them (a plain flush would recreate them, under new ids).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = (
    BASE_DIR / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else BASE_DIR / "test-artifacts" / "screenshots" / "viewport"
)
NEW_MEMBERS = [
    ("Anouk", "Peeters", "anouk.peeters@example.org"),
    ("Bas", "Hendriks", "bas.hendriks@example.org"),
    ("Claire", "Dekker", "claire.dekker@example.org"),
    ("Dirk", "van Dam", "dirk.vandam@example.org"),
    ("Esra", "Yilmaz", "esra.yilmaz@example.org"),
    ("Floor", "Koster", "floor.koster@example.org"),
]


@pytest.fixture
def maildir(tmp_path, monkeypatch) -> Path:
    """Requested before the server starts: its environment is copied from this one."""
    folder = tmp_path / "mail"
    monkeypatch.setenv("EMAIL_BACKEND", "tests.browser.mailbox.FolderBackend")
    monkeypatch.setenv("INTERVISIE_TEST_MAILDIR", str(folder))
    return folder


def mails(folder: Path) -> list:
    if not folder.exists():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    ]


def calendar_event(message):
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_content()).walk("VEVENT")
    return event


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled", caret="hide")


def test_a_coordinators_half_year(maildir, new_person):
    make_user("mirjam", "Mirjam", "de Coördinator", is_staff=True, is_superuser=True)
    admin = new_person("mirjam", device="laptop")

    # A new group; whoever creates it coordinates it.
    admin.goto("/admin/groups/group/add/")
    admin.fill("#id_name", "Intervisie Jeugdzorg Zuid")
    admin.locator("input[name=_continue]").click()
    expect(admin.locator("h1")).to_contain_text("wijzigen")
    group = Group.objects.get(name="Intervisie Jeugdzorg Zuid")
    assert group.coordinator.username == "mirjam"

    # Six members, by name and e-mail address only; each gets the invitation at once.
    admin.get_by_role("link", name="Lid toevoegen").click()
    for index, (first, last, address) in enumerate(NEW_MEMBERS):
        admin.fill("#id_first_name", first)
        admin.fill("#id_last_name", last)
        admin.fill("#id_email", address)
        last_one = index == len(NEW_MEMBERS) - 1
        admin.locator("input.default" if last_one else "input[name=_addanother]").click()
        expect(admin.locator(".messagelist")).to_contain_text(f"{first} {last} is nu lid")
    invitations = mails(maildir)
    assert sorted(m["To"] for m in invitations) == sorted(a for *_n, a in NEW_MEMBERS)
    assert all("wachtwoord" in m.get_body().get_content() for m in invitations)
    expect(admin.locator("#memberships-group")).to_contain_text("Floor Koster")

    # A half-year series, then the rotation for all of it, previewed before it is saved.
    admin.get_by_role("link", name="Reeks plannen").click()
    first_day = timezone.localdate() + timedelta(days=10)
    admin.fill("#id_first_start_0", first_day.isoformat())
    admin.fill("#id_first_start_1", "14:00")
    admin.fill("#id_every_weeks", "4")
    admin.fill("#id_count", "6")
    admin.locator("#plan-series-form input.default").click()
    expect(admin.locator("h1")).to_have_text("Rollen voor de reeks")
    expect(admin.locator("#series-roles tr.new-role")).to_have_count(12)
    assert not RoleAssignment.objects.exists()
    admin.locator("input.default").click()
    expect(admin.locator(".messagelist")).to_contain_text("12 rollen toegewezen")
    series = list(group.meetings.order_by("starts_at"))
    assert len(series) == 6
    facilitators = {m.holder(Role.FACILITATOR) for m in series}
    assert len(facilitators) == 6  # everyone facilitates once in the half year
    shoot(admin, "admin-group")

    # Anouk cancels the first meeting; Esra cancels as the second, after following her
    # invitation to choose a password.
    first = series[0]
    users = {u.email: u for u in get_user_model().objects.all()}
    first_no = next(u for u in users.values() if u.email.startswith("anouk"))
    Attendance.objects.create(meeting=first, user=first_no, response="no")
    esra = users["esra.yilmaz@example.org"]
    invitation = next(m for m in invitations if m["To"] == esra.email)
    link = re.search(r"https?://\S+(/accounts/reset/\S+)", invitation.get_body().get_content())
    phone = new_person(esra.username, login=False)
    phone.goto(link.group(1))
    phone.fill("input[name=new_password1]", PASSWORD)
    phone.fill("input[name=new_password2]", PASSWORD)
    phone.locator("form button[type=submit], form input[type=submit]").first.click()
    phone.goto("/accounts/login/")
    phone.fill("input[name=username]", esra.username)
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("form:has(input[name=password]) button[type=submit]").click()
    rsvp = phone.locator(f"#rsvp-{first.pk}")
    rsvp.locator("[data-rsvp=no]").click()
    propose = phone.locator("[data-propose-form]")
    expect(propose).to_be_visible()
    new_start = timezone.localtime(first.starts_at + timedelta(days=2))
    propose.locator("input[name=starts_at]").fill(new_start.strftime("%Y-%m-%dT%H:%M"))
    propose.locator("button[type=submit]").click()
    expect(phone.locator("[data-proposal]")).to_have_count(1)

    # The coordinator hears of it on her home page and accepts: the meeting moves.
    admin.goto("/")
    notice = admin.locator('[data-notice="date_proposed"]')
    expect(notice).to_contain_text("Esra Yilmaz")
    before = len(mails(maildir))
    notice.locator("[data-action=accept-date]").click()
    expect(admin.locator("body")).to_contain_text("De bijeenkomst is verplaatst naar")
    first.refresh_from_db()
    assert timezone.localtime(first.starts_at) == new_start
    assert not Attendance.objects.filter(meeting=first).exists()

    # Everyone — six members and the coordinator — gets the moved meeting with its calendar file.
    moved = mails(maildir)[before:]
    recipients = sorted(m["To"] for m in moved if m["Subject"].startswith("Verplaatst"))
    assert recipients == sorted([a for *_n, a in NEW_MEMBERS] + ["mirjam@example.org"])
    event = calendar_event(moved[-1])
    assert str(event["UID"]) == f"{first.pk}@intervisie"
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == first.starts_at

    admin.goto(f"/admin/groups/meeting/{first.pk}/change/")
    expect(admin.locator("#roles-group")).to_be_visible()
    shoot(admin, "admin-meeting")

    # A member leaves; the coordinator is told which roles to fill, with the rotation's pick.
    leaver = series[1].holder(Role.FACILITATOR)
    admin.goto(f"/admin/groups/group/{group.pk}/change/")
    row = admin.locator("#memberships-group tr.form-row", has_text=leaver.get_full_name())
    row.locator("input[name$=-active]").uncheck()
    admin.locator("input[name=_continue]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    assert not Membership.objects.get(group=group, user=leaver).active
    admin.goto("/")
    dropped = admin.locator('[data-notice="roles_dropped"]')
    expect(dropped).to_contain_text(f"{leaver.get_full_name()} heeft de groep verlaten")
    expect(dropped.locator("[data-dropped-role=facilitator]")).to_contain_text("roulatie stelt")
    assert not RoleAssignment.objects.filter(
        user=leaver, meeting__starts_at__gt=timezone.now(), meeting__status=Meeting.Status.PLANNED
    ).exists()
    assert any(leaver.get_full_name() in (m["Subject"] or "") for m in mails(maildir))

    assert_no_console_errors(admin, phone)
