"""export_methods and import_methods: moving a library between installations."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from methods.models import Method

pytestmark = pytest.mark.django_db


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_methods", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_export_writes_readable_utf8_json_to_stdout(loaded):
    text = export("--slug", "proef-incident")
    assert '"Aanreiken van adviezen"' in text
    assert "stond…" in text and "\\u2026" not in text  # no ASCII escapes
    assert text.startswith('{\n  "format": "intervisie-methods",\n  "version": 1,')
    document = json.loads(text)
    assert [method["slug"] for method in document["methods"]] == ["proef-incident"]


def test_export_of_several_slugs_to_a_file(loaded, tmp_path, two_methods):
    target = tmp_path / "export.json"
    err = StringIO()
    call_command(
        "export_methods", "-o", str(target), "--slug", "proef-roddel", "proef-incident", stderr=err
    )
    assert json.loads(target.read_text(encoding="utf-8")) == two_methods
    assert err.getvalue().strip() == f"Exported 2 methods (7 steps) to {target}"


def test_export_refuses_an_unknown_slug(loaded):
    with pytest.raises(CommandError, match="No method with slug: bestaat-niet"):
        export("--slug", "proef-roddel", "--slug", "bestaat-niet")


def test_import_prints_a_summary(two_methods, tmp_path):
    source = tmp_path / "library.json"
    source.write_text(json.dumps(two_methods), encoding="utf-8")
    out = StringIO()
    call_command("import_methods", str(source), stdout=out)
    assert out.getvalue().strip() == "Imported 2 methods (7 steps)"
    assert Method.objects.filter(slug__startswith="proef-", is_builtin=False).count() == 2


def test_import_builtin_marks_the_methods_as_shipped(two_methods, tmp_path):
    source = tmp_path / "library.json"
    source.write_text(json.dumps(two_methods), encoding="utf-8")
    call_command("import_methods", str(source), "--builtin", stdout=StringIO())
    assert Method.objects.get(slug="proef-roddel").is_builtin


def test_import_lists_every_problem_and_imports_nothing(two_methods, tmp_path):
    two_methods["methods"][0]["steps"][1]["branch"]["if_no_goto"] = "xyz"
    two_methods["methods"][1]["steps"][0]["kind"] = "kletsen"
    source = tmp_path / "library.json"
    source.write_text(json.dumps(two_methods), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("import_methods", str(source), stdout=StringIO())

    message = str(raised.value)
    assert message.startswith(f"{source}: 2 problems, nothing was imported:\n")
    assert "  - proef-incident / herbenoemen: branch goes to unknown step 'xyz'" in message
    assert "  - proef-roddel / introductie: unknown kind 'kletsen'" in message
    assert not Method.objects.filter(slug__startswith="proef-").exists()


def test_import_of_a_file_that_is_not_json_fails_cleanly(tmp_path):
    source = tmp_path / "notities.txt"
    source.write_text("geen json", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem, nothing was imported"):
        call_command("import_methods", str(source), stdout=StringIO())


def test_export_then_import_into_a_fresh_database_then_export_is_identical(loaded, tmp_path):
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    call_command("export_methods", "-o", str(first), stderr=StringIO())
    count = Method.objects.count()
    Method.objects.all().delete()

    call_command("import_methods", str(first), stdout=StringIO())
    call_command("export_methods", "-o", str(second), stderr=StringIO())

    assert Method.objects.count() == count
    assert second.read_bytes() == first.read_bytes()
