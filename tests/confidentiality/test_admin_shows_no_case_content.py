"""No page of the admin shows what was written in a case or a room.

Every text of group A's case and held session carries MARKER; the site owner and both
coordinators walk the admin (lists, searches, change, delete and history pages, autocomplete,
bulk-delete confirmations): MARKER is on none of them. With every member's consent the group's
coordinator reads the case's question, description and follow-up, and nothing else.
"""

import pytest
from django.urls import reverse

from tests.conftest import everyone_agrees

from .conftest import MARKER

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "groups_group",
    "groups_meeting",
    "cases_case",
    "auth_user",
    "methods_method",
    "methods_step",
    "cases_caseread",
]


def admin_pages(world) -> list[str]:
    people, room = world["people"], world["room_a"]
    pages = [reverse("admin:index")]
    for name in CHANGELISTS:
        changelist = reverse(f"admin:{name}_changelist")
        # Searching for part of the marker (the page repeats the search term itself).
        pages += [changelist, f"{changelist}?q=GEHEIM", f"{changelist}?q=ZZGEH"]
    objects = [
        ("groups_group", world["group_a"].pk),
        ("groups_meeting", world["meeting_a"].pk),
        ("cases_case", world["case_a"].pk),
        ("cases_case", world["draft_a"].pk),
        ("auth_user", people["bram"].pk),
        ("auth_user", people["chantal"].pk),
        ("auth_user", people["daan"].pk),
        ("methods_method", room.method_id),
    ]
    for name, pk in objects:
        for view in ("change", "delete", "history"):
            pages.append(reverse(f"admin:{name}_{view}", args=[pk]))
    for app_label, model_name, field_name in [
        ("groups", "meeting", "group"),
        ("cases", "case", "meeting"),
        ("cases", "case", "owner"),
        ("groups", "membership", "user"),
    ]:
        pages.append(
            reverse("admin:autocomplete")
            + f"?app_label={app_label}&model_name={model_name}&field_name={field_name}&term=ZZ"
        )
    return pages


def bulk_delete_confirmation(client, name: str, pks) -> str:
    """The confirmation page of the "delete selected" action (not confirmed)."""
    response = client.post(
        reverse(f"admin:{name}_changelist"),
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in pks]},
    )
    return response.content.decode()


@pytest.mark.parametrize("who", ["root", "karin", "joost"])
def test_no_admin_page_shows_what_was_written_in_a_case_or_a_room(world, request, who):
    client = request.getfixturevalue(who)
    seen = 0
    for url in admin_pages(world):
        response = client.get(url)
        body = response.content.decode()
        assert MARKER not in body, f"{who} reads case or room content on {url}"
        seen += response.status_code == 200
    assert seen >= 10  # the walk really went through pages, not only refusals
    for name, pks in [
        ("groups_meeting", [world["meeting_a"].pk, world["meeting_b"].pk]),
        ("groups_group", [world["group_a"].pk]),
        ("cases_case", [world["case_a"].pk, world["draft_a"].pk]),
        ("auth_user", [world["people"]["bram"].pk, world["people"]["chantal"].pk]),
    ]:
        assert MARKER not in bulk_delete_confirmation(client, name, pks)


def test_a_delete_confirmation_counts_what_goes_instead_of_listing_it(world, root):
    meeting = world["meeting_a"]
    response = root.get(reverse("admin:groups_meeting_delete", args=[meeting.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert MARKER not in text
    # The summary still says how much goes with it.
    counts = dict(response.context["model_count"])
    assert counts["questions"] == 1 and counts["board items"] == 1
    assert counts["evaluations"] == 1 and counts["session rooms"] == 1
    assert [str(o) for o in response.context["deleted_objects"]] == [f"Meeting: {meeting}"]


def test_a_protected_deletion_counts_the_blocking_objects(world, root):
    method = world["room_a"].method
    response = root.get(reverse("admin:methods_method_delete", args=[method.pk]))
    assert response.context["protected"] == ["Session rooms: 1"]


def test_with_consent_the_coordinator_reads_question_description_and_follow_up_only(
    world, karin, joost, root
):
    everyone_agrees(world["group_a"])
    url = reverse("admin:cases_case_change", args=[world["case_a"].pk])
    text = karin.get(url).content.decode()
    for shown in ("avonddienst", "overdracht gelezen", "beschrijving", "wat ervan werd"):
        assert f"{MARKER} {shown}" in text or shown in text
    for kept in ("situatie", "kern", "oplossing", "privé", "specifiek", "eerste stap"):
        assert f"{MARKER} {kept}" not in text
    # Nobody else gains anything from group A's consent.
    assert MARKER not in root.get(url).content.decode()
    assert joost.get(url).status_code == 404


def test_every_admin_of_the_project_counts_instead_of_listing(world):
    from django.contrib import admin

    from common.admin_deletion import CountedDeletionMixin

    ours = {"groups", "cases", "methods", "sessions_app", "auth"}
    for model, model_admin in admin.site._registry.items():
        label = (model._meta.app_label, model._meta.model_name)
        if model._meta.app_label in ours and label != ("auth", "group"):  # #17 hides that one
            assert isinstance(model_admin, CountedDeletionMixin), model
