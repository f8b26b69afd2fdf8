"""The layers of the apps (ARCHITECTURE.md), checked on the source: who imports whom.

    .venv/bin/python -m tests.layers        # every arrow between our packages, and the breaches

Each package may import only the packages listed for it in MAY_IMPORT; Django and other
libraries are always allowed. Found are:
- `import x` and `from x import y` anywhere in a module (also inside functions, under
  TYPE_CHECKING, and relative imports that climb out of the package);
- `importlib.import_module("x…")` and `apps.get_model("x", …)` with a literal name;
- a migration's `dependencies` on another app's migrations.
tests/ and bench/ may use everything; they are not checked.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom. `privacy` is the registry every app adds its "my data" sections to, so it sits
# beneath them all, like `common`; both use Django only. Nothing imports the site package
# (`intervisie`): apps reach its settings through django.conf.settings.
BELOW_SESSIONS = {"cases", "groups", "methods", "common", "privacy"}
MAY_IMPORT: dict[str, set[str]] = {
    "intervisie": {"reports", "sessions_app", *BELOW_SESSIONS},
    "reports": {"sessions_app", *BELOW_SESSIONS},
    "sessions_app": BELOW_SESSIONS,
    "cases": {"groups", "methods", "common", "privacy"},
    "groups": {"methods", "common", "privacy"},
    "methods": {"common"},
    "privacy": set(),
    "common": set(),
}
NOT_LAYERED = {"tests", "bench", "docs", "locale", "static", "templates"}


@dataclass(frozen=True)
class Arrow:
    source: str  # the importing package
    target: str  # the imported package
    where: str  # path:line
    what: str  # the imported name, or the migration depended on

    def __str__(self) -> str:
        return f"{self.where}: {self.source} → {self.target} ({self.what})"


def packages(root: Path = ROOT) -> list[str]:
    """Our top-level Python packages (folders with an __init__.py) that the layers must name."""
    return sorted(
        p.parent.name
        for p in root.glob("*/__init__.py")
        if p.parent.name not in NOT_LAYERED and not p.parent.name.startswith(".")
    )


def _resolve_relative(node: ast.ImportFrom, relative_path: Path) -> list[str]:
    """The absolute names of `from ..x import y` in the file at `relative_path` (the root's
    own folder when the dots climb out of our packages: `from .. import cases` is `cases`)."""
    package = list(relative_path.parent.parts)
    base = package[: max(len(package) - (node.level - 1), 0)]
    if node.module:
        return [".".join([*base, node.module])]
    return [".".join([*base, alias.name]) for alias in node.names]


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _imported(tree: ast.AST, relative_path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything a module imports or depends on by name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                for name in _resolve_relative(node, relative_path):
                    yield node.lineno, name
            elif node.module:
                yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = _literal(node.args[0])
            if first and name in {"import_module", "get_model", "get_app_config"}:
                yield node.lineno, first.split(".")[0] if name != "import_module" else first
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets
        ):
            # A migration's dependencies: [("app", "0001_initial"), …]
            for item in getattr(node.value, "elts", []):
                if isinstance(item, ast.Tuple) and item.elts and _literal(item.elts[0]):
                    yield item.lineno, f"{_literal(item.elts[0])}.migrations"


def arrows(root: Path = ROOT) -> list[Arrow]:
    """Every reference from one of our packages to another."""
    ours = set(packages(root)) | set(MAY_IMPORT)
    found = []
    for package in sorted(ours):
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
            for line, name in _imported(tree, relative):
                target = name.split(".")[0]
                if target in ours and target != package:
                    found.append(Arrow(package, target, f"{relative}:{line}", name))
    return found


def breaches(root: Path = ROOT) -> list[Arrow]:
    """The arrows that point up a layer, or into a package the layers do not name."""
    return [a for a in arrows(root) if a.target not in MAY_IMPORT.get(a.source, set())]


if __name__ == "__main__":
    counts: dict[tuple[str, str], int] = {}
    for arrow in arrows():
        counts[arrow.source, arrow.target] = counts.get((arrow.source, arrow.target), 0) + 1
    for (source, target), count in sorted(counts.items()):
        print(f"{source:>13} → {target:<13} {count}")
    wrong = breaches()
    print(f"\n{len(wrong)} breach(es) of the layers")
    for arrow in wrong:
        print(f"  {arrow}")
    unnamed = set(packages()) - set(MAY_IMPORT)
    if unnamed:
        print(f"packages the layers do not name: {sorted(unnamed)}")
    sys.exit(1 if wrong or unnamed else 0)
