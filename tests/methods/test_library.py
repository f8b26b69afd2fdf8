"""The library document: what a coordinator's import accepts, refuses, and gives back."""

import copy

import pytest

from methods import models
from methods.library import (
    BUILTIN_LIBRARY_PATH,
    ROLES,
    LibraryError,
    dump_library,
    load_library,
    read_library_file,
    summarize,
)
from methods.models import InbrengerMode, InteractionKind, Method, Step

pytestmark = pytest.mark.django_db


def errors_for(document: dict) -> list[str]:
    with pytest.raises(LibraryError) as raised:
        load_library(document)
    return raised.value.errors


def test_import_creates_methods_with_ordered_steps_and_bilingual_texts(loaded):
    incident = loaded["proef-incident"]
    assert incident.name_nl == "Proef-incidentmethode"
    assert incident.name_en == "Trial incident method"
    assert [step.key for step in incident.steps.all()] == [
        "benoemen",
        "herbenoemen",
        "nieuwe-vragen",
        "adviezen",
    ]
    assert [step.order for step in incident.steps.all()] == [1, 2, 3, 4]
    herbenoemen = incident.steps.get(key="herbenoemen")
    assert herbenoemen.kind == InteractionKind.REFORMULATE
    assert herbenoemen.branch_if_no == "adviezen"
    assert herbenoemen.branch_question_nl == "Is de vraag herbenoemd?"
    assert herbenoemen.options == {"keep_original": True}
    assert herbenoemen.observer_nl == "Let op de toon."
    assert incident.default_minutes() == 5 + 3 + 10 + 15
    assert not incident.is_builtin


def test_inbrenger_listens_only_while_the_group_gossips(loaded):
    roddelen = loaded["proef-roddel"].steps.get(key="roddelen")
    assert roddelen.inbrenger_mode == InbrengerMode.LISTEN_ONLY
    assert roddelen.inbrenger_listens_only


def test_export_gives_back_exactly_what_was_imported(loaded, two_methods):
    assert dump_library(loaded.values()) == two_methods


def test_round_trip_into_an_empty_database_is_lossless(loaded):
    first = dump_library()
    Method.objects.all().delete()
    load_library(copy.deepcopy(first))
    assert dump_library() == first


def test_import_twice_changes_nothing(loaded, two_methods):
    steps_before = dict(Step.objects.values_list("pk", "key"))
    load_library(two_methods)
    assert Method.objects.filter(slug__startswith="proef-").count() == 2
    assert dict(Step.objects.values_list("pk", "key")) == steps_before
    assert dump_library(Method.objects.filter(slug__startswith="proef-")) == two_methods


def test_reimport_replaces_the_steps_and_keeps_the_steps_it_still_has(loaded, two_methods):
    ids = dict(Step.objects.filter(method__slug="proef-incident").values_list("key", "pk"))
    steps = two_methods["methods"][0]["steps"]
    steps.reverse()  # renumbering every step must not trip over the unique (method, order)
    steps.pop()  # "benoemen" is gone
    steps[0]["name"]["nl"] = "Adviezen geven"
    load_library(two_methods)

    kept = list(Method.objects.get(slug="proef-incident").steps.all())
    assert [(step.order, step.key) for step in kept] == [
        (1, "adviezen"),
        (2, "nieuwe-vragen"),
        (3, "herbenoemen"),
    ]
    assert all(step.pk == ids[step.key] for step in kept)
    assert kept[0].name_nl == "Adviezen geven"
    assert dump_library([kept[0].method]) == {**two_methods, "methods": [two_methods["methods"][0]]}


def test_builtin_flag_follows_the_import(two_methods):
    load_library(two_methods, builtin=True)
    assert set(
        Method.objects.filter(slug__startswith="proef-").values_list("is_builtin", flat=True)
    ) == {True}
    load_library(two_methods)
    assert not Method.objects.get(slug="proef-roddel").is_builtin


def test_left_out_optional_fields_get_their_defaults():
    document = {
        "format": "intervisie-methods",
        "version": 1,
        "methods": [
            {
                "slug": "kaal",
                "name": {"nl": "Kale methode"},
                "steps": [
                    {"key": "praten", "name": {"nl": "Praten"}, "kind": "info",
                     "minutes": {"default": 5, "min": 1, "max": 9}},
                ],
            }
        ],
    }  # fmt: skip
    (method,) = load_library(document)
    step = method.steps.get()
    assert (method.name_en, method.summary_nl, method.source) == ("", "", "")
    assert step.inbrenger_mode == InbrengerMode.PRESENT
    assert step.options == {}
    assert step.branch_if_no == "" and step.facilitator_nl == ""
    assert dump_library([method])["methods"][0]["steps"][0]["branch"] is None


def test_every_problem_is_reported_at_once_naming_method_and_step(two_methods):
    incident, roddel = two_methods["methods"]
    incident["steps"][0]["kind"] = "kletsen"
    incident["steps"][0]["name"] = {"nl": "", "en": "Name the issue"}
    incident["steps"][1]["branch"]["if_no_goto"] = "xyz"
    incident["steps"][2]["minutes"] = {"default": 3, "min": 5, "max": 2}
    incident["steps"][3]["key"] = "benoemen"
    roddel["steps"][1]["inbrenger_mode"] = "weg"
    roddel["steps"][2]["minuts"] = 10

    assert errors_for(two_methods) == [
        "proef-incident / benoemen: missing Dutch name",
        "proef-incident / benoemen: unknown kind 'kletsen' (one of info, think, question_round, "
        "collect, rate, pick, vote, reformulate, action_plan, evaluate, listen_only, pairs, share)",
        "proef-incident / herbenoemen: branch goes to unknown step 'xyz'",
        "proef-incident / nieuwe-vragen: min (5 min) is more than default (3 min)",
        "proef-incident / nieuwe-vragen: default (3 min) is more than max (2 min)",
        "proef-incident / benoemen: duplicate key 'benoemen' (number 1 and 4)",
        "proef-roddel / roddelen: unknown inbrenger_mode 'weg' (one of present, listen_only, away)",
        "proef-roddel / evaluatie: unknown field 'minuts'",
    ]


def test_a_refused_document_changes_nothing(loaded, two_methods):
    two_methods["methods"][0]["name"]["nl"] = "Nieuwe naam"
    two_methods["methods"][1]["steps"][0]["minutes"]["min"] = 0
    assert errors_for(two_methods) == [
        "proef-roddel / introductie: min is 0 min; a step takes at least 1 minute"
    ]
    assert Method.objects.get(slug="proef-incident").name_nl == "Proef-incidentmethode"


def test_wrong_format_and_version_are_named(two_methods):
    two_methods["format"] = "something-else"
    two_methods["version"] = 2
    assert errors_for(two_methods) == [
        "format must be 'intervisie-methods', not 'something-else'",
        "version 2 is not supported (expected 1)",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["methods"][1].update(slug="proef-incident"),
         "proef-incident: duplicate slug 'proef-incident' (number 1 and 2)"),
        (lambda d: d["methods"][0].update(slug="met spatie"),
         "met spatie: slug must be letters, digits, - or _"),
        (lambda d: d["methods"][0].pop("slug"), "method 1: missing field 'slug'"),
        (lambda d: d["methods"][0]["name"].pop("nl"), "proef-incident: missing Dutch name"),
        (lambda d: d["methods"][0].update(name="Incident"),
         'proef-incident: name must look like {"nl": "…", "en": "…"}'),
        (lambda d: d["methods"][0].update(steps=[]),
         "proef-incident: steps must be a non-empty list of objects"),
        (lambda d: d["methods"].append("incident"), "method 3: must be an object"),
        (lambda d: d.update(methods={}), "methods must be a list"),
        (lambda d: d["methods"][1]["steps"][0].pop("key"),
         "proef-roddel / step 1: missing field 'key'"),
        (lambda d: d["methods"][1]["steps"][0].pop("kind"),
         "proef-roddel / introductie: missing field 'kind'"),
        (lambda d: d["methods"][1]["steps"][0]["minutes"].update(default="5"),
         "proef-roddel / introductie: minutes must be whole numbers"),
        (lambda d: d["methods"][1]["steps"][0]["instructions"].update(coach={"nl": "Hoi"}),
         "proef-roddel / introductie: instructions for unknown role 'coach' "
         "(facilitator, inbrenger, participant, observer)"),
        (lambda d: d["methods"][1]["steps"][0].update(options=[]),
         "proef-roddel / introductie: options must be an object"),
        (lambda d: d["methods"][0]["steps"][1]["branch"].update(if_no_goto="herbenoemen"),
         "proef-incident / herbenoemen: branch goes to its own step"),
        (lambda d: d["methods"][0]["steps"][1]["branch"]["question"].update(nl=""),
         "proef-incident / herbenoemen: missing Dutch branch question"),
        (lambda d: d["methods"][0]["steps"][1].update(branch={"goto": "adviezen"}),
         'proef-incident / herbenoemen: branch must be null or '
         '{"question": …, "if_no_goto": "<key>"}'),
        (lambda d: d["methods"][0]["steps"][0]["name"].update(nl="x" * 121),
         "proef-incident / benoemen: name is longer than 120 characters"),
    ],
)  # fmt: skip
def test_each_kind_of_problem_has_a_clear_message(two_methods, change, message):
    change(two_methods)
    assert errors_for(two_methods) == [message]


def test_not_a_library_at_all():
    assert errors_for([]) == ["the library must be a JSON object"]


def test_reading_a_broken_or_missing_file_says_which(tmp_path):
    broken = tmp_path / "kapot.json"
    broken.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(LibraryError, match="kapot.json: not valid UTF-8 JSON"):
        read_library_file(broken)
    with pytest.raises(LibraryError, match="weg.json: cannot read the file"):
        read_library_file(tmp_path / "weg.json")


def test_summary_counts_methods_and_steps(two_methods):
    assert summarize(two_methods) == "2 methods (7 steps)"
    two_methods["methods"].pop()
    two_methods["methods"][0]["steps"][1:] = []
    assert summarize(two_methods) == "1 method (1 step)"


def test_library_knows_the_same_roles_and_path_as_the_models():
    assert ROLES == models.ROLES
    assert BUILTIN_LIBRARY_PATH.parts[-3:] == ("methods", "library", "methods.json")
