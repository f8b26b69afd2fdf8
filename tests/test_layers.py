"""Each app imports only the apps beneath it (ARCHITECTURE.md, layers; tests/layers.py).

    methods < groups < cases < sessions_app < reports < intervisie (the site)
    common and privacy beneath them all (Django only)

When this fails: move the code that reads across layers up to the app that may know both, or let
the lower app offer a signal or a registry that the app above connects to (cases/signals.py,
privacy/registry.py, groups/coordinators.grant).
"""

import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from tests import layers


def test_no_app_imports_an_app_above_it():
    wrong = layers.breaches()
    assert not wrong, "Imports that break the layers:\n" + "\n".join(map(str, wrong))


def test_every_package_and_app_of_ours_has_a_place_in_the_layers():
    ours = {app.split(".")[0] for app in settings.INSTALLED_APPS} & set(layers.packages())
    assert ours >= {"common", "privacy", "methods", "groups", "cases", "sessions_app", "reports"}
    assert set(layers.packages()) <= set(layers.MAY_IMPORT)


def test_the_layers_are_a_stack_without_cycles():
    for source, targets in layers.MAY_IMPORT.items():
        for target in targets:
            assert source not in layers.MAY_IMPORT[target], f"{source} ⇄ {target}"


# A tree of our packages with one temporary module per way to break the layers, and a few
# imports that are allowed. Each breach must be found, and nothing else.
PROBES = {
    "groups/probe_room.py": "from sessions_app.models import Room\n",
    "groups/probe_late.py": "def logbook():\n    import cases.models\n",
    "groups/admin/probe_climb.py": "from ... import cases\n",
    "cases/probe_room.py": "from sessions_app import live as _live\n",
    "cases/probe_model.py": "Room = apps.get_model('sessions_app', 'Room')\n",
    "methods/probe_groups.py": "from groups.models import Group\n",
    "privacy/probe_cases.py": "import importlib\nimportlib.import_module('cases.privacy')\n",
    "common/probe_groups.py": "if TYPE_CHECKING:\n    import groups\n",
    "sessions_app/probe_site.py": "from intervisie import availability\n",
    "reports/probe_site.py": "from intervisie.settings import DEBUG\n",
    "groups/migrations/0099_probe.py": """
        from django.db import migrations

        class Migration(migrations.Migration):
            dependencies = [("groups", "0001_initial"), ("cases", "0005_i11_case_read")]
    """,
}
ALLOWED = {
    "reports/ok.py": "from sessions_app.models import Room\nfrom cases.models import Case\n",
    "sessions_app/ok.py": "from common import availability\nfrom privacy.registry import Field\n",
    # The site's settings reach every app through Django, never by importing intervisie.settings.
    "cases/ok.py": "from django.conf import settings\nfrom groups.models import Group\n",
    "groups/ok.py": "from django.db import models\nfrom methods import models\nfrom . import x\n",
    "groups/admin/ok.py": "from ..models import Group\nfrom ...methods import models\n",
    "intervisie/ok.py": "from reports import urls\n",
}
EXPECTED = {
    ("groups/probe_room.py", "sessions_app"),
    ("groups/probe_late.py", "cases"),
    ("groups/admin/probe_climb.py", "cases"),
    ("cases/probe_room.py", "sessions_app"),
    ("cases/probe_model.py", "sessions_app"),
    ("methods/probe_groups.py", "groups"),
    ("privacy/probe_cases.py", "cases"),
    ("common/probe_groups.py", "groups"),
    ("sessions_app/probe_site.py", "intervisie"),
    ("reports/probe_site.py", "intervisie"),
    ("groups/migrations/0099_probe.py", "cases"),
}


def write_tree(root: Path, files: dict[str, str]) -> None:
    for package in layers.MAY_IMPORT:
        (root / package).mkdir(exist_ok=True)
        (root / package / "__init__.py").touch()
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(textwrap.dedent(text))


def test_each_way_of_breaking_the_layers_is_found(tmp_path):
    write_tree(tmp_path, {**PROBES, **ALLOWED})
    found = {(a.where.rsplit(":", 1)[0], a.target) for a in layers.breaches(tmp_path)}
    assert found == EXPECTED


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_one_forbidden_import_is_enough_to_fail(tmp_path, probe):
    write_tree(tmp_path, {**ALLOWED})
    assert layers.breaches(tmp_path) == []
    write_tree(tmp_path, {probe: PROBES[probe]})
    assert [a.where.rsplit(":", 1)[0] for a in layers.breaches(tmp_path)] == [probe]


def test_a_new_package_must_be_given_a_layer(tmp_path):
    write_tree(tmp_path, {"billing/__init__.py": "", "billing/models.py": "import groups\n"})
    assert "billing" in set(layers.packages(tmp_path)) - set(layers.MAY_IMPORT)
