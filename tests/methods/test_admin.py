"""The method library in the admin: browse, edit with steps, and copy to make your own variant."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from methods.admin import copy_slug
from methods.library import dump_library
from methods.models import Method, Step

from .conftest import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:methods_method_changelist")


def change_url(method: Method) -> str:
    return reverse("admin:methods_method_change", args=[method.pk])


def copy(client, *methods: Method):
    return client.post(
        CHANGELIST,
        {"action": "copy_methods", "_selected_action": [method.pk for method in methods]},
        follow=True,
    )


def test_changelist_shows_steps_and_minutes_per_method(admin_as_superuser, loaded):
    response = admin_as_superuser.get(CHANGELIST)
    assert response.status_code == 200
    rows = {row.slug: row for row in response.context["cl"].result_list}
    assert (rows["proef-incident"].step_count, rows["proef-incident"].minutes_total) == (4, 33)
    assert (rows["proef-roddel"].step_count, rows["proef-roddel"].minutes_total) == (3, 27)
    assert "Proef-roddelmodel" in response.text


def test_changelist_queries_do_not_grow_with_the_number_of_methods(
    admin_as_superuser, loaded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        admin_as_superuser.get(CHANGELIST)
    for number in range(10):
        loaded["proef-incident"].copy(slug=f"variant-{number}", name_nl=f"Variant {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_as_superuser.get(CHANGELIST)


def test_changelist_search_and_filters(admin_as_superuser, loaded):
    Method.objects.filter(slug="proef-roddel").update(is_builtin=True, is_active=False)
    found = admin_as_superuser.get(CHANGELIST, {"q": "proef-roddel"}).context["cl"].result_list
    assert [method.slug for method in found] == ["proef-roddel"]
    builtin = admin_as_superuser.get(CHANGELIST, {"is_builtin__exact": "1"}).context["cl"]
    assert "proef-roddel" in {method.slug for method in builtin.result_list}
    assert "proef-incident" not in {method.slug for method in builtin.result_list}
    inactive = admin_as_superuser.get(CHANGELIST, {"is_active__exact": "0", "q": "proef"})
    inactive = inactive.context["cl"]
    assert [method.slug for method in inactive.result_list] == ["proef-roddel"]


def test_change_page_shows_the_steps_with_texts_for_each_role(admin_as_superuser, loaded):
    response = admin_as_superuser.get(change_url(loaded["proef-incident"]))
    assert response.status_code == 200
    assert "Texts for each role" in response.text
    assert "Als ik in jouw schoenen stond" in response.text
    assert response.context["inline_admin_formsets"][0].formset.total_form_count() == 4


def test_builtin_method_can_be_edited_but_recommends_a_copy(admin_as_superuser, loaded):
    method = loaded["proef-roddel"]
    method.is_builtin = True
    method.save()
    note = "comes with the library"
    assert note in admin_as_superuser.get(change_url(method)).text
    assert note not in admin_as_superuser.get(change_url(loaded["proef-incident"])).text

    data = change_form_data(method) | {"name_nl": "Roddelmodel (aangepast)"}
    response = admin_as_superuser.post(change_url(method), data)
    assert response.status_code == 302
    method.refresh_from_db()
    assert method.name_nl == "Roddelmodel (aangepast)"


def test_add_page_renders_and_creates_a_method_with_a_step(admin_as_superuser):
    add_url = reverse("admin:methods_method_add")
    assert admin_as_superuser.get(add_url).status_code == 200
    response = admin_as_superuser.post(
        add_url,
        {
            "name_nl": "Vijf vragen",
            "slug": "vijf-vragen",
            "is_active": "on",
            "steps-TOTAL_FORMS": 1,
            "steps-INITIAL_FORMS": 0,
            "steps-0-order": 1,
            "steps-0-key": "doel",
            "steps-0-name_nl": "Wat wilde je bereiken?",
            "steps-0-kind": "question_round",
            "steps-0-inbrenger_mode": "present",
            "steps-0-default_minutes": 10,
            "steps-0-min_minutes": 5,
            "steps-0-max_minutes": 15,
            "steps-0-options": "{}",
        },
    )
    assert response.status_code == 302
    method = Method.objects.get(slug="vijf-vragen")
    assert not method.is_builtin
    assert [step.key for step in method.steps.all()] == ["doel"]


def test_copy_action_makes_an_independent_variant(admin_as_superuser, loaded):
    original = loaded["proef-incident"]
    response = copy(admin_as_superuser, original)

    clone = Method.objects.get(slug="proef-incident-kopie")
    assert clone.name_nl == "Proef-incidentmethode (kopie)"
    assert clone.name_en == "Trial incident method (copy)"
    assert not clone.is_builtin
    assert list(clone.steps.values_list("order", "key", "branch_if_no")) == list(
        original.steps.values_list("order", "key", "branch_if_no")
    )
    assert set(clone.steps.values_list("pk", flat=True)).isdisjoint(
        original.steps.values_list("pk", flat=True)
    )
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Made an editable copy: “Proef-incidentmethode (kopie)”."


def test_copying_again_finds_the_next_free_slug(admin_as_superuser, loaded):
    copy(admin_as_superuser, loaded["proef-incident"])
    response = copy(admin_as_superuser, loaded["proef-incident"], loaded["proef-roddel"])
    assert Method.objects.filter(slug="proef-incident-kopie-2").exists()
    assert Method.objects.get(slug="proef-roddel-kopie").name_nl == "Proef-roddelmodel (kopie)"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Made editable copies: ")
    assert copy_slug("proef-incident") == "proef-incident-kopie-3"
    assert len(copy_slug("x" * 80)) <= 80


def test_coordinator_copies_a_builtin_method_and_edits_the_copy(
    client, library_coordinator, loaded
):
    original = loaded["proef-incident"]
    Method.objects.filter(pk=original.pk).update(is_builtin=True)
    client.force_login(library_coordinator)
    copy(client, original)
    variant = Method.objects.get(slug="proef-incident-kopie")

    data = change_form_data(variant) | {"name_nl": "Onze incidentmethode"}
    data |= {"steps-0-name_nl": "Vraagstuk kort benoemen", "steps-0-default_minutes": 7}
    data |= {"steps-0-facilitator_nl": "Vraag om drie zinnen."}
    data |= {"steps-3-DELETE": "on"}  # no advice round in our variant
    data |= {"steps-1-branch_if_no": "nieuwe-vragen"}
    response = client.post(change_url(variant), data)
    assert response.status_code == 302, response.context["errors"]

    variant.refresh_from_db()
    first = variant.steps.get(key="benoemen")
    assert variant.name_nl == "Onze incidentmethode"
    assert (first.name_nl, first.default_minutes) == ("Vraagstuk kort benoemen", 7)
    assert first.facilitator_nl == "Vraag om drie zinnen."
    assert variant.steps.count() == 3
    original.refresh_from_db()
    untouched = original.steps.get(key="benoemen")
    assert original.name_nl == "Proef-incidentmethode" and original.is_builtin
    assert (untouched.name_nl, untouched.default_minutes) == ("Benoemen vraagstuk", 5)
    assert original.steps.count() == 4
    assert original.steps.get(key="herbenoemen").branch_if_no == "adviezen"


def test_steps_can_be_renumbered_in_the_admin(admin_as_superuser, loaded):
    method = loaded["proef-incident"]
    data = change_form_data(method)
    data |= {"steps-2-order": 4, "steps-3-order": 3}  # swap the last two
    response = admin_as_superuser.post(change_url(method), data)
    assert response.status_code == 302
    assert list(method.steps.values_list("key", flat=True)) == [
        "benoemen",
        "herbenoemen",
        "adviezen",
        "nieuwe-vragen",
    ]


def test_two_steps_with_one_number_are_refused(admin_as_superuser, loaded):
    method = loaded["proef-incident"]
    data = change_form_data(method) | {"steps-3-order": 3}
    response = admin_as_superuser.post(change_url(method), data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert list(method.steps.values_list("order", flat=True)) == [1, 2, 3, 4]


def test_branch_to_an_unknown_step_is_refused(admin_as_superuser, loaded):
    method = loaded["proef-incident"]
    data = change_form_data(method) | {"steps-1-branch_if_no": "bestaat-niet"}
    response = admin_as_superuser.post(change_url(method), data)
    assert response.status_code == 200
    assert "There is no other step with the key “bestaat-niet”." in response.text
    assert method.steps.get(key="herbenoemen").branch_if_no == "adviezen"


def test_minutes_out_of_range_are_refused(admin_as_superuser, loaded):
    method = loaded["proef-incident"]
    data = change_form_data(method) | {"steps-0-default_minutes": 30}
    response = admin_as_superuser.post(change_url(method), data)
    assert response.status_code == 200
    assert "1 ≤ at least ≤ minutes ≤ at most" in response.text
    assert method.steps.get(key="benoemen").default_minutes == 5


def test_step_admin_lists_filters_and_edits_single_steps(admin_as_superuser, loaded):
    changelist = reverse("admin:methods_step_changelist")
    roddel = {"method__id__exact": loaded["proef-roddel"].pk}
    response = admin_as_superuser.get(changelist, roddel)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3
    listening = admin_as_superuser.get(changelist, roddel | {"kind__exact": "listen_only"})
    assert [step.key for step in listening.context["cl"].result_list] == ["roddelen"]

    step = Step.objects.get(method__slug="proef-incident", key="herbenoemen")
    url = reverse("admin:methods_step_change", args=[step.pk])
    assert admin_as_superuser.get(url).status_code == 200
    data = {
        name.removeprefix("steps-1-"): value
        for name, value in change_form_data(step.method).items()
        if name.startswith("steps-1-")
    }
    response = admin_as_superuser.post(url, data | {"branch_if_no": "nergens"})
    assert response.status_code == 200
    assert "There is no other step with the key" in response.text
    response = admin_as_superuser.post(url, data | {"branch_if_no": "nieuwe-vragen"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.branch_if_no == "nieuwe-vragen"


def test_coordinator_copies_the_builtin_incidentmethode_with_its_branch(admin_as_superuser):
    original = Method.objects.get(slug="incidentmethode", is_builtin=True)
    page = admin_as_superuser.get(change_url(original))
    assert page.status_code == 200
    assert "comes with the library" in page.text

    copy(admin_as_superuser, original)

    clone = Method.objects.get(slug="incidentmethode-kopie")
    assert admin_as_superuser.get(change_url(clone)).status_code == 200
    steps = list(clone.steps.all())
    assert steps[4].branch_if_no == steps[6].key
    [theirs], [ours] = dump_library([original])["methods"], dump_library([clone])["methods"]
    assert ours["steps"] == theirs["steps"]
    assert ours["name"]["nl"] == f"{theirs['name']['nl']} (kopie)"
