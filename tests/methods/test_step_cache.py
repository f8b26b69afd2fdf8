"""The per-process step cache the live room reads: fast while nothing changes, never stale."""

from methods import cache
from methods.library import load_library
from methods.models import Method, Step

from .test_admin import change_form_data, change_url


def fresh(method: Method) -> Method:
    """The method row as the room reads it on its next push."""
    return Method.objects.get(pk=method.pk)


def keys(method: Method) -> list[str]:
    return [step.key for step in cache.steps_of(fresh(method))]


def test_steps_are_read_once_while_the_method_is_unchanged(loaded, django_assert_num_queries):
    method = loaded["proef-incident"]
    assert keys(method) == ["benoemen", "herbenoemen", "nieuwe-vragen", "adviezen"]
    method = fresh(method)
    with django_assert_num_queries(0):
        assert len(cache.steps_of(method)) == 4


def test_saving_a_step_is_seen_on_the_next_read(loaded):
    method = loaded["proef-incident"]
    cache.steps_of(fresh(method))
    step = Step.objects.get(method=method, key="benoemen")
    step.participant_nl = "Nieuwe instructie voor de deelnemers"
    step.save()
    first = cache.steps_of(fresh(method))[0]
    assert first.participant_nl == "Nieuwe instructie voor de deelnemers"


def test_deleting_a_step_is_seen_on_the_next_read(loaded):
    method = loaded["proef-incident"]
    cache.steps_of(fresh(method))
    Step.objects.get(method=method, key="adviezen").delete()
    assert keys(method) == ["benoemen", "herbenoemen", "nieuwe-vragen"]


def test_reordering_steps_in_the_admin_is_seen_on_the_next_read(admin_as_superuser, loaded):
    method = loaded["proef-incident"]
    cache.steps_of(fresh(method))
    data = change_form_data(method) | {"steps-2-order": 4, "steps-3-order": 3}
    assert admin_as_superuser.post(change_url(method), data).status_code == 302
    assert keys(method) == ["benoemen", "herbenoemen", "adviezen", "nieuwe-vragen"]


def test_importing_the_library_again_is_seen_on_the_next_read(loaded, two_methods):
    method = loaded["proef-roddel"]
    before = keys(method)
    entry = next(m for m in two_methods["methods"] if m["slug"] == "proef-roddel")
    entry["steps"] = entry["steps"][:2]
    load_library(two_methods)
    assert keys(method) == before[:2]
