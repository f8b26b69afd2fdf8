"""The coordinator's admin without Django knowledge (issue 17.4–17.6, 17.9): members by name and
e-mail address, invitations from the group's page, roles for a whole series, "mark everyone
present", single meetings with the group's defaults, and an admin in plain Dutch."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance, Group, Meeting, Membership, Profile, Role, RoleAssignment
from methods.models import Method
from tests.conftest import make_user

from .conftest import english_client
from .helpers import admin_form_data

pytestmark = pytest.mark.django_db

User = get_user_model()


def group_url(group, name: str) -> str:
    return reverse(f"admin:groups_group_{name}", args=[group.pk])


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://intervisie.example.org"


# ---- Members by name and e-mail address ------------------------------------------------------


def test_add_member_by_name_and_email_sends_the_invitation_at_once(coordinator_client, group):
    page = coordinator_client.get(group_url(group, "change"))
    assert group_url(group, "add_member") in page.text

    response = coordinator_client.post(
        group_url(group, "add_member"),
        {
            "first_name": "Gert",
            "last_name": "de Boer",
            "email": "gert@example.org",
            "language": "en",
        },  # fmt: skip
        follow=True,
    )

    gert = User.objects.get(email="gert@example.org")
    assert gert.get_full_name() == "Gert de Boer"
    assert not gert.has_usable_password()  # nobody chose a password for him
    assert Membership.objects.filter(group=group, user=gert, active=True).exists()
    assert Profile.objects.get(user=gert).language == "en"
    (message,) = mail.outbox
    assert message.to == ["gert@example.org"]
    assert "Choose a password" in message.body  # in his own language
    assert "https://intervisie.example.org/accounts/reset/" in message.body
    assert "Gert de Boer is a member now; the invitation went to gert@example.org." in (
        response.text
    )


def test_someone_with_an_account_joins_with_it(coordinator_client, group, outsider):
    coordinator_client.post(
        group_url(group, "add_member"),
        {"first_name": "O", "last_name": "B", "email": "OLAF@example.org", "language": "nl"},
    )
    assert Membership.objects.filter(group=group, user=outsider).exists()
    assert User.objects.filter(email__iexact="olaf@example.org").count() == 1


def test_adding_a_member_twice_is_explained_and_keeps_the_input(coordinator_client, group, members):
    response = coordinator_client.post(
        group_url(group, "add_member"),
        {"first_name": "Anna", "last_name": "V", "email": "anna@example.org", "language": "nl"},
    )
    assert response.status_code == 200
    assert "Anna de Vries is already a member of this group." in response.text
    assert 'value="anna@example.org"' in response.text
    assert mail.outbox == []


def test_a_missing_email_is_filled_in_on_the_member_row_and_the_invitation_names_who_lacks_one(
    coordinator_client, group, members
):
    User.objects.filter(pk__in=[members[4].pk, members[5].pk]).update(email="")
    invite = coordinator_client.get(group_url(group, "invite"))
    assert "Eva Smit, Femke Mulder" in invite.text  # by name, not "2 members"

    url = group_url(group, "change")
    data = admin_form_data(coordinator_client.get(url), "group_form")
    femke = Membership.objects.get(group=group, user=members[5])
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(femke.pk))
    data[row.removesuffix("-id") + "-email"] = "femke.mulder@example.org"
    assert coordinator_client.post(url, data).status_code == 302
    members[5].refresh_from_db()
    assert members[5].email == "femke.mulder@example.org"

    response = coordinator_client.post(group_url(group, "invite"), follow=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [u.email for u in members[:4]] + ["femke.mulder@example.org"]
    )
    assert "No e-mail address for Eva Smit" in response.text


def test_the_users_form_asks_no_password_and_invites(superuser_client, coordinator_client):
    """The site owner adds a person by name and e-mail address; a coordinator adds members on
    their group's page instead (accounts are not theirs to create outside a group, #11)."""
    add = reverse("admin:auth_user_add")
    assert coordinator_client.get(add).status_code == 403
    page = superuser_client.get(add)
    assert 'name="password1"' not in page.text
    assert "After you" not in page.text and "First, enter a username" not in page.text
    superuser_client.post(
        add,
        {
            "first_name": "Hans",
            "last_name": "Bos",
            "email": "hans@example.org",
            "language": "nl",
            "send_invitation": "on",
        },  # fmt: skip
    )
    hans = User.objects.get(email="hans@example.org")
    assert hans.username == "hans" and not hans.has_usable_password()
    assert [m.to for m in mail.outbox] == [["hans@example.org"]]


# ---- Roles for the series --------------------------------------------------------------------


@pytest.fixture
def series(group):
    start = timezone.now() + timedelta(days=7)
    return [
        Meeting.objects.create(group=group, starts_at=start + timedelta(weeks=4 * i))
        for i in range(7)
    ]


def test_roles_for_the_series_are_previewed_then_applied_fairly(
    coordinator_client, group, members, series
):
    Attendance.objects.create(meeting=series[0], user=members[0], response="no")
    url = group_url(group, "series_roles")
    preview = coordinator_client.get(url)
    assert preview.status_code == 200
    assert preview.text.count('class="new-role"') == 14  # 7 meetings × facilitator + inbrenger
    assert not RoleAssignment.objects.exists()  # nothing saved by looking

    coordinator_client.post(url)

    roles = RoleAssignment.objects.filter(meeting__in=series)
    assert roles.count() == 14
    first_six = [m.holder(Role.FACILITATOR) for m in series[:6]]
    assert len(set(first_six)) == 6  # everyone facilitates once before anyone twice
    assert members[0] not in (series[0].holder(Role.FACILITATOR), series[0].holder(Role.INBRENGER))
    for meeting in series:
        assert meeting.holder(Role.FACILITATOR) != meeting.holder(Role.INBRENGER)


def test_the_rotation_notices_an_assigned_inbrenger_who_cancelled(
    coordinator_client, group, members, series
):
    meeting = series[0]
    RoleAssignment.objects.create(meeting=meeting, user=members[1], role=Role.INBRENGER)
    Attendance.objects.create(meeting=meeting, user=members[1], response="no")
    page = coordinator_client.get(reverse("admin:groups_meeting_change", args=[meeting.pk]))
    assert "Bram Jansen is down as inbrenger but cannot come" in page.text

    coordinator_client.post(reverse("admin:groups_meeting_apply_rotation", args=[meeting.pk]))

    inbrenger = Meeting.objects.get(pk=meeting.pk).holder(Role.INBRENGER)
    assert inbrenger is not None and inbrenger != members[1]


def test_planning_a_series_leads_to_its_roles(coordinator_client, group):
    first = timezone.localtime() + timedelta(days=8)
    response = coordinator_client.post(
        group_url(group, "plan_series"),
        {
            "first_start_0": first.strftime("%Y-%m-%d"),
            "first_start_1": "14:00",
            "every_weeks": "4",
            "count": "7",
            "duration_minutes": "90",
        },  # fmt: skip
    )
    assert response.url == group_url(group, "series_roles")


# ---- Attendance and single meetings -----------------------------------------------------------


def test_mark_everyone_present_is_one_click_and_records_who_confirmed(
    coordinator_client, admin_coordinator, group, members
):
    Membership.objects.create(group=group, user=admin_coordinator)  # coordinator is a member too
    held = Meeting.objects.create(group=group, starts_at=timezone.now() - timedelta(hours=3))
    Attendance.objects.create(meeting=held, user=members[5], response="no")
    url = reverse("admin:groups_meeting_mark_present", args=[held.pk])
    confirm = coordinator_client.get(url)
    assert "Not marked, because they cancelled: Femke Mulder." in confirm.text

    coordinator_client.post(url)

    held.refresh_from_db()
    assert held.status == Meeting.Status.DONE
    present = Attendance.objects.filter(meeting=held, present=True)
    assert present.count() == 6  # five members and the coordinator
    for attendance in present.exclude(user=admin_coordinator):
        assert attendance.confirmed_by == admin_coordinator
        assert attendance.recorded_via == Attendance.Recorded.HAND
    assert present.get(user=admin_coordinator).confirmed_by is None  # never one's own


def test_presence_is_not_marked_before_the_meeting(coordinator_client, meeting):
    response = coordinator_client.post(
        reverse("admin:groups_meeting_mark_present", args=[meeting.pk]), follow=True
    )
    assert "Presence is recorded once the meeting has taken place." in response.text
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_a_presence_ticked_in_the_meeting_form_is_a_hand_entry_by_the_coordinator(
    coordinator_client, admin_coordinator, group, members
):
    held = Meeting.objects.create(group=group, starts_at=timezone.now() - timedelta(hours=3))
    url = reverse("admin:groups_meeting_change", args=[held.pk])
    data = admin_form_data(coordinator_client.get(url), "meeting_form")
    data.update(
        {
            "attendances-TOTAL_FORMS": "1",
            "attendances-0-user": str(members[2].pk),
            "attendances-0-response": "yes",
            "attendances-0-present": "true",
        }  # fmt: skip
    )
    assert coordinator_client.post(url, data).status_code == 302
    attendance = Attendance.objects.get(meeting=held)
    assert attendance.confirmed_by == admin_coordinator
    assert attendance.get_recorded_via_display() == "entered by hand"


def test_a_single_meeting_takes_the_groups_length_and_method(coordinator_client, group):
    method = Method.objects.create(slug="eigen", name_nl="Eigen methode", name_en="Own method")
    Group.objects.filter(pk=group.pk).update(meeting_minutes=150, default_method=method)
    add = reverse("admin:groups_meeting_add")
    prefilled = coordinator_client.get(f"{add}?group={group.pk}")
    assert 'name="duration_minutes" value="150"' in prefilled.text

    data = admin_form_data(coordinator_client.get(add), "meeting_form")
    when = timezone.localtime() + timedelta(days=10)
    data.update(
        {
            "group": str(group.pk),
            "starts_at_0": when.strftime("%Y-%m-%d"),
            "starts_at_1": "14:00",
            "duration_minutes": "",
            "method": "",
            "status": "planned",
        }  # fmt: skip
    )
    assert coordinator_client.post(add, data).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.duration_minutes, meeting.method) == (150, method)


# ---- The admin in plain Dutch ------------------------------------------------------------------


def dutch(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    return client


def test_the_admin_is_called_intervisie_beheer_with_dutch_labels(
    admin_coordinator, superuser_client, meeting
):
    client = dutch(english_client(admin_coordinator))
    index = client.get(reverse("admin:index"))
    assert "Intervisie beheer" in index.text and "Django" not in index.text
    assert "Rechtengroepen" not in index.text  # the site owner's business, not the coordinator's
    owners = dutch(superuser_client).get(reverse("admin:index"))
    assert "Rechtengroepen" in owners.text  # Django's "Groepen", renamed for the site owner
    page = client.get(reverse("admin:groups_meeting_change", args=[meeting.pk]))
    for english in (">Group<", ">User<", ">Method<", "Created at", "Django-beheer", "Nog een Rol"):
        assert english not in page.text, english
    assert "Rol toevoegen" in page.text


def test_permission_groups_are_out_of_a_coordinators_way(group):
    staff = make_user("cora", "Cora", "Coördinator", is_staff=True)
    for codename in ("view_group", "change_group", "view_meeting", "change_meeting"):
        staff.user_permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="groups")
        )
    staff.user_permissions.add(
        Permission.objects.get(codename="view_group", content_type__app_label="auth")
    )
    client = dutch(english_client(staff))
    index = client.get(reverse("admin:index"))
    assert "Intervisiegroepen" in index.text
    assert "Rechtengroepen" not in index.text and ">Groepen<" not in index.text
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_admin_mails_link_to_the_site_url_and_warn_when_the_page_runs_elsewhere(
    coordinator_client, meeting
):
    response = coordinator_client.post(
        reverse("admin:groups_meeting_changelist"),
        {"action": "send_invitations", "_selected_action": [str(meeting.pk)]},
        follow=True,
    )
    assert all("https://intervisie.example.org/" in m.body for m in mail.outbox)
    assert "Links in the mails point to https://intervisie.example.org" in response.text


def test_a_member_who_logged_in_keeps_their_email_address_out_of_the_coordinators_hands(
    coordinator_client, group, members
):
    User.objects.filter(pk=members[0].pk).update(last_login=timezone.now())
    url = group_url(group, "change")
    data = admin_form_data(coordinator_client.get(url), "group_form")
    anna = Membership.objects.get(group=group, user=members[0])
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(anna.pk))
    data[row.removesuffix("-id") + "-email"] = "coordinator@example.org"
    assert coordinator_client.post(url, data).status_code == 302
    members[0].refresh_from_db()
    assert members[0].email == "anna@example.org"  # a password reset keeps going to Anna


@pytest.mark.parametrize("count", [3, 12])
def test_the_series_plan_reads_the_same_few_queries_for_any_length(
    group, members, count, django_assert_num_queries
):
    from groups.series_roles import plan_series_roles

    start = timezone.now() + timedelta(days=3)
    meetings = [
        Meeting.objects.create(group=group, starts_at=start + timedelta(weeks=2 * i))
        for i in range(count)
    ]
    with django_assert_num_queries(4):
        plans = plan_series_roles(group, meetings, two_cases=False)
    assert len(plans) == count and all(p.changes for p in plans)
