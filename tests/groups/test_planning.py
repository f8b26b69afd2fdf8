from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import Meeting
from groups.planning import plan_series
from methods.models import Method


def local(day, hour: int = 14, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def next_week_at_two():
    return local(timezone.localdate() + timedelta(weeks=1))


# The plain function -------------------------------------------------------------------------


def test_a_series_of_ten_every_four_weeks(group):
    first = next_week_at_two()
    result = plan_series(group, first, every_weeks=4, count=10, duration_minutes=90)
    assert len(result.created) == 10
    assert result.skipped == []
    starts = [timezone.localtime(s) for s in group.meetings.values_list("starts_at", flat=True)]
    assert starts[0] == first
    gaps = [(later.date() - earlier.date()).days for earlier, later in pairwise(starts)]
    assert gaps == [28] * 9
    assert {(s.hour, s.minute) for s in starts} == {(14, 0)}
    assert {m.duration_minutes for m in group.meetings.all()} == {90}


def test_meetings_stay_at_two_oclock_across_summer_time(group, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    march_first = local(datetime(timezone.localdate().year + 1, 3, 1))
    result = plan_series(group, march_first, every_weeks=2, count=4, duration_minutes=90)
    local_hours = {timezone.localtime(m.starts_at).hour for m in result.created}
    utc_hours = {m.starts_at.astimezone(UTC).hour for m in result.created}
    assert local_hours == {14}
    assert utc_hours == {13, 12}  # CET, then CEST


def test_series_takes_place_video_link_and_the_groups_default_method(group):
    group.default_method = Method.objects.create(slug="gr", name_nl="Guns & Roses")
    group.save()
    result = plan_series(
        group,
        next_week_at_two(),
        every_weeks=1,
        count=2,
        duration_minutes=120,
        location="Kamer 2.14",
        video_url="https://meet.example.org/noord",
    )
    for meeting in result.created:
        meeting.refresh_from_db()
        assert meeting.location == "Kamer 2.14"
        assert meeting.video_url == "https://meet.example.org/noord"
        assert meeting.method == group.default_method
        assert meeting.duration_minutes == 120
        assert meeting.status == Meeting.Status.PLANNED


def test_days_the_group_already_meets_are_skipped(group):
    first = next_week_at_two()
    existing = Meeting.objects.create(group=group, starts_at=first + timedelta(weeks=4, hours=-4))
    result = plan_series(group, first, every_weeks=4, count=3, duration_minutes=90)
    assert len(result.created) == 2
    assert result.skipped == [first + timedelta(weeks=4)]
    assert group.meetings.count() == 3
    assert existing in group.meetings.all()


def test_a_cancelled_meeting_frees_its_day(group):
    first = next_week_at_two()
    Meeting.objects.create(group=group, starts_at=first, status=Meeting.Status.CANCELLED)
    result = plan_series(group, first, every_weeks=4, count=2, duration_minutes=90)
    assert len(result.created) == 2


def test_another_groups_meetings_do_not_block_a_day(group, coordinator):
    from groups.models import Group

    other = Group.objects.create(name="Andere groep")
    first = next_week_at_two()
    Meeting.objects.create(group=other, starts_at=first)
    assert len(plan_series(group, first, 4, 2, 90).created) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"count": 0}, "count"),
        ({"count": 53}, "count"),
        ({"every_weeks": 0}, "every_weeks"),
        ({"every_weeks": 27}, "every_weeks"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"first_start": timezone.now() - timedelta(hours=1)}, "first_start"),
    ],
)
def test_out_of_range_series_are_refused_and_nothing_is_created(group, changes, field):
    arguments = {
        "first_start": next_week_at_two(),
        "every_weeks": 4,
        "count": 10,
        "duration_minutes": 90,
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        plan_series(group, **arguments)
    assert list(refused.value.error_dict) == [field]
    assert not group.meetings.exists()


# Through the admin --------------------------------------------------------------------------


def plan_url(group) -> str:
    return reverse("admin:groups_group_plan_series", args=[group.pk])


def form_post(first: datetime, **extra) -> dict:
    first = timezone.localtime(first)
    return {
        "first_start_0": f"{first:%Y-%m-%d}",
        "first_start_1": f"{first:%H:%M}",
        "every_weeks": "4",
        "count": "10",
        "duration_minutes": "90",
        "location": "Kamer 2.14",
        "video_url": "",
        **extra,
    }


def test_plan_form_starts_from_the_groups_cadence_and_meeting_length(coordinator_client, group):
    group.cadence_weeks = 6
    group.meeting_minutes = 120
    group.save()
    response = coordinator_client.get(plan_url(group))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["every_weeks"].value() == 6
    assert form["duration_minutes"].value() == 120
    assert form["count"].value() == 10
    assert form["first_start"].value() > timezone.now()


def test_the_group_page_links_to_planning(coordinator_client, group):
    response = coordinator_client.get(reverse("admin:groups_group_change", args=[group.pk]))
    assert plan_url(group) in response.text


def test_coordinator_plans_ten_meetings_and_hears_about_a_skipped_day(coordinator_client, group):
    first = next_week_at_two()
    Meeting.objects.create(group=group, starts_at=first + timedelta(weeks=8))

    response = coordinator_client.post(plan_url(group), form_post(first))

    assert response.status_code == 302
    # On to the rotation for the new series (issue 17), not to the bare list of meetings.
    assert response.url == reverse("admin:groups_group_series_roles", args=[group.pk])
    assert group.meetings.count() == 10  # 9 new + the one already there
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("Planned 9 meetings") for m in messages)
    assert any(m.startswith("Skipped ") and "already has a meeting" in m for m in messages)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"count": "60"}, "Plan at least 1 and at most 52 meetings at a time."),
        ({"every_weeks": "30"}, "The interval must be between 1 and 26 weeks."),
        ({"count": "many"}, "Enter a whole number."),
        ({"video_url": "not a link"}, "Enter a valid URL."),
    ],
)
def test_wrong_plan_is_explained_and_plans_nothing(coordinator_client, group, extra, message):
    response = coordinator_client.post(plan_url(group), form_post(next_week_at_two(), **extra))
    assert response.status_code == 200
    assert message in response.text
    assert not group.meetings.exists()


def test_a_series_cannot_start_in_the_past(coordinator_client, group):
    yesterday = timezone.now() - timedelta(days=1)
    response = coordinator_client.post(plan_url(group), form_post(yesterday))
    assert "The first meeting must be in the future." in response.text
    assert not group.meetings.exists()


def test_plan_action_goes_to_the_form_for_one_group(coordinator_client, group):
    response = coordinator_client.post(
        reverse("admin:groups_group_changelist"),
        {"action": "plan_series_action", "_selected_action": [group.pk]},
    )
    assert response.status_code == 302
    assert response.url == plan_url(group)


def test_plan_action_asks_for_exactly_one_group(coordinator_client, group):
    from groups.models import Group

    other = Group.objects.create(name="Andere groep", coordinator=group.coordinator)
    response = coordinator_client.post(
        reverse("admin:groups_group_changelist"),
        {"action": "plan_series_action", "_selected_action": [group.pk, other.pk]},
        follow=True,
    )
    assert "Choose exactly one group" in response.text


def test_members_cannot_plan(client, group, members):
    client.force_login(members[0])
    response = client.post(plan_url(group), form_post(next_week_at_two()))
    assert response.status_code == 302  # to the admin login
    assert not group.meetings.exists()
