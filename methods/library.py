"""The method library as a JSON document: validate, import (upsert by slug) and export it.

Every function takes an app registry so that the data migration can run it on historical
models; this module therefore never imports `methods.models` at run time.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F, Model, Prefetch, prefetch_related_objects

if TYPE_CHECKING:
    from .models import Method

FORMAT = "intervisie-methods"
VERSION = 1
BUILTIN_LIBRARY_PATH = Path(__file__).resolve().parent / "library" / "methods.json"
# Same as models.ROLES, repeated so that migrations never import the current models.
ROLES = ("facilitator", "inbrenger", "participant", "observer")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+\Z")

Table = list[tuple[str, tuple[str, ...]]]


def _bilingual(field: str, *path: str) -> Table:
    return [(f"{field}_{lang}", (*path, lang)) for lang in ("nl", "en")]


# Model field ↔ path in the document. Import and export both read these tables, which keeps the
# round trip lossless; their order is the key order of an exported file.
METHOD_MAP: Table = [
    ("slug", ("slug",)),
    *_bilingual("name", "name"),
    *_bilingual("summary", "summary"),
    ("source", ("source",)),
]
STEP_MAP: Table = [
    ("key", ("key",)),
    *_bilingual("name", "name"),
    ("kind", ("kind",)),
    ("inbrenger_mode", ("inbrenger_mode",)),
    ("default_minutes", ("minutes", "default")),
    ("min_minutes", ("minutes", "min")),
    ("max_minutes", ("minutes", "max")),
    *[pair for role in ROLES for pair in _bilingual(role, "instructions", role)],
    ("options", ("options",)),
    *_bilingual("branch_question", "branch", "question"),
    ("branch_if_no", ("branch", "if_no_goto")),
]
METHOD_KEYS = {path[0] for _field, path in METHOD_MAP} | {"steps"}
STEP_KEYS = {path[0] for _field, path in STEP_MAP}


class LibraryError(Exception):
    """Everything wrong with a library document at once, one human sentence per problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


def summarize(data: dict[str, Any]) -> str:
    """How much a valid library document holds: "3 methods (27 steps)"."""
    methods = len(data["methods"])
    steps = sum(len(method["steps"]) for method in data["methods"])
    return f"{methods} method{'s' * (methods != 1)} ({steps} step{'s' * (steps != 1)})"


def read_library_file(path: str | Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except OSError as error:
        raise LibraryError([f"{path}: cannot read the file ({error.strerror})"]) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise LibraryError([f"{path}: not valid UTF-8 JSON ({error})"]) from error


# --- validation: collect every problem, say where it is ----------------------------------------


def _check_fields(errors: list[str], where: str, entry: dict, allowed: set, required: set) -> None:
    errors += [f"{where}: unknown field '{name}'" for name in sorted(set(entry) - allowed)]
    errors += [f"{where}: missing field '{name}'" for name in sorted(required - set(entry))]


def _check_slug(
    errors: list[str], where: str, entry: dict, field: str, max_length: int, seen: dict[str, int]
) -> None:
    """A slug-like identifier, unique in its list; `seen` maps earlier values to their number."""
    value, number = entry.get(field), len(seen) + 1
    if field in entry and not (isinstance(value, str) and SLUG_RE.match(value)):
        errors.append(f"{where}: {field} must be letters, digits, - or _")
    elif isinstance(value, str) and len(value) > max_length:
        errors.append(f"{where}: {field} is longer than {max_length} characters")
    elif isinstance(value, str) and value in seen:
        errors.append(f"{where}: duplicate {field} '{value}' (number {seen[value]} and {number})")
    seen.setdefault(value if isinstance(value, str) else f"#{number}", number)


def _check_text(
    errors: list[str],
    where: str,
    label: str,
    value: Any,
    *,
    required: bool = False,
    max_length: int = 0,
) -> None:
    """A bilingual text {"nl": …, "en": …}; Dutch is the language that must be there."""
    if not isinstance(value, dict) or not all(
        lang in ("nl", "en") and isinstance(text, str) for lang, text in value.items()
    ):
        errors.append(f'{where}: {label} must look like {{"nl": "…", "en": "…"}}')
    elif required and not value.get("nl", "").strip():
        errors.append(f"{where}: missing Dutch {label}")
    elif max_length and any(len(text) > max_length for text in value.values()):
        errors.append(f"{where}: {label} is longer than {max_length} characters")


def _check_minutes(errors: list[str], where: str, minutes: Any) -> None:
    if not isinstance(minutes, dict) or set(minutes) != {"default", "min", "max"}:
        errors.append(f'{where}: minutes must look like {{"default": 10, "min": 5, "max": 15}}')
        return
    if not all(type(value) is int for value in minutes.values()):
        errors.append(f"{where}: minutes must be whole numbers")
        return
    low, default, high = minutes["min"], minutes["default"], minutes["max"]
    if low < 1:
        errors.append(f"{where}: min is {low} min; a step takes at least 1 minute")
    if low > default:
        errors.append(f"{where}: min ({low} min) is more than default ({default} min)")
    if default > high:
        errors.append(f"{where}: default ({default} min) is more than max ({high} min)")


def _check_step(errors: list[str], where: str, step: dict, keys: set, choices: dict) -> None:
    _check_fields(errors, where, step, STEP_KEYS, {"key", "name", "kind", "minutes"})
    if "name" in step:
        _check_text(errors, where, "name", step["name"], required=True, max_length=120)
    for field, allowed in choices.items():
        if field in step and step[field] not in allowed:
            errors.append(f"{where}: unknown {field} {step[field]!r} (one of {', '.join(allowed)})")
    if "minutes" in step:
        _check_minutes(errors, where, step["minutes"])
    instructions = step.get("instructions", {})
    if not isinstance(instructions, dict):
        errors.append(f"{where}: instructions must hold a text per role ({', '.join(ROLES)})")
        instructions = {}
    for role, text in instructions.items():
        if role not in ROLES:
            errors.append(f"{where}: instructions for unknown role '{role}' ({', '.join(ROLES)})")
        else:
            _check_text(errors, where, f"instructions for the {role}", text)
    if not isinstance(step.get("options", {}), dict):
        errors.append(f"{where}: options must be an object")
    branch = step.get("branch")
    if branch is not None and (
        not isinstance(branch, dict) or set(branch) != {"question", "if_no_goto"}
    ):
        errors.append(f'{where}: branch must be null or {{"question": …, "if_no_goto": "<key>"}}')
    elif branch is not None:
        _check_text(
            errors, where, "branch question", branch["question"], required=True, max_length=200
        )
        if branch["if_no_goto"] == step.get("key"):
            errors.append(f"{where}: branch goes to its own step")
        elif not isinstance(branch["if_no_goto"], str) or branch["if_no_goto"] not in keys:
            errors.append(f"{where}: branch goes to unknown step {branch['if_no_goto']!r}")


def _check_method(errors: list[str], where: str, method: dict, choices: dict) -> None:
    _check_fields(errors, where, method, METHOD_KEYS, {"slug", "name", "steps"})
    if "name" in method:
        _check_text(errors, where, "name", method["name"], required=True, max_length=120)
    _check_text(errors, where, "summary", method.get("summary", {}))
    if not isinstance(method.get("source", ""), str) or len(method.get("source", "")) > 200:
        errors.append(f"{where}: source must be a text of at most 200 characters")
    steps = method.get("steps")
    if steps is None:
        return
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        errors.append(f"{where}: steps must be a non-empty list of objects")
        return
    keys = {step.get("key") for step in steps if isinstance(step.get("key"), str)}
    seen: dict[str, int] = {}
    for number, step in enumerate(steps, start=1):
        key = step.get("key")
        step_where = f"{where} / {key if key and isinstance(key, str) else f'step {number}'}"
        _check_slug(errors, step_where, step, "key", 60, seen)
        _check_step(errors, step_where, step, keys, choices)


def validate_library(data: Any, choices: dict[str, list[str]]) -> list[str]:
    """All problems in a library document in reading order; none means it can be imported.

    `choices` maps a step field to its allowed values, e.g. {"kind": [...]}.
    """
    if not isinstance(data, dict):
        return ["the library must be a JSON object"]
    errors: list[str] = []
    if data.get("format") != FORMAT:
        errors.append(f"format must be {FORMAT!r}, not {data.get('format')!r}")
    if data.get("version") != VERSION:
        errors.append(f"version {data.get('version')!r} is not supported (expected {VERSION})")
    methods = data.get("methods")
    if not isinstance(methods, list):
        return [*errors, "methods must be a list"]
    seen: dict[str, int] = {}
    for number, method in enumerate(methods, start=1):
        if not isinstance(method, dict):
            errors.append(f"method {number}: must be an object")
            seen[f"#{number}"] = number
            continue
        slug = method.get("slug")
        where = slug if slug and isinstance(slug, str) else f"method {number}"
        _check_slug(errors, where, method, "slug", 80, seen)
        _check_method(errors, where, method, choices)
    return errors


# --- import and export -------------------------------------------------------------------------


def _values(model: type[Model], table: Table, entry: dict[str, Any]) -> dict[str, Any]:
    """Model field values from a valid document entry; what is left out gets its default."""
    fields = {field.name: field for field in model._meta.concrete_fields}
    values = {}
    for name, path in table:
        if name not in fields:  # a historical model lacks the fields added later
            continue
        value: Any = entry
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None  # "branch" may be null
        values[name] = fields[name].get_default() if value is None else value
    return values


def _upsert(
    method_model: type[Model], step_model: type[Model], entry: dict, builtin: bool, using: str
) -> Model:
    method, _created = method_model._default_manager.using(using).update_or_create(
        slug=entry["slug"],
        defaults=_values(method_model, METHOD_MAP, entry) | {"is_builtin": builtin},
    )
    # Steps are updated in place by key, so anything that points at a step keeps its target.
    steps = step_model._default_manager.using(using).filter(method=method)
    steps.exclude(key__in=[step["key"] for step in entry["steps"]]).delete()
    existing = {step.key: step for step in steps}
    # (method, order) is unique at every moment: park the kept steps beyond the new numbers.
    steps.update(
        order=F("order") + max([len(entry["steps"]), *(s.order for s in existing.values())])
    )
    for order, data in enumerate(entry["steps"], start=1):
        step = existing.get(data["key"]) or step_model(method=method)
        for name, value in (_values(step_model, STEP_MAP, data) | {"order": order}).items():
            setattr(step, name, value)
        step.save(using=using)
    if any(f.name == "steps_version" for f in method_model._meta.concrete_fields):
        # Running rooms cache steps by this token (methods/cache.py); historical models (the
        # data migration) have no Step.save() that would replace it.
        method_model._default_manager.using(using).filter(pk=method.pk).update(
            steps_version=secrets.randbits(62)
        )
    return method


def load_library(
    data: Any, *, builtin: bool = False, apps: Apps = global_apps, using: str = DEFAULT_DB_ALIAS
) -> list[Method]:
    """Validate the whole document, then create or replace each method by slug; all or nothing."""
    method_model = apps.get_model("methods", "Method")
    step_model = apps.get_model("methods", "Step")
    # The kinds the running code knows, also while an early migration loads the current file
    # (choices live in Python, not in the database: a historical model may lack a newer kind).
    current_step = global_apps.get_model("methods", "Step")
    choices = {
        field: [value for value, _label in current_step._meta.get_field(field).choices]
        for field in ("kind", "inbrenger_mode")
    }
    if errors := validate_library(data, choices):
        raise LibraryError(errors)
    with transaction.atomic(using=using):
        return [
            _upsert(method_model, step_model, entry, builtin, using) for entry in data["methods"]
        ]


def _document(obj: Model, table: Table) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for name, path in table:
        node = document
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = getattr(obj, name)
    return document


def dump_library(
    methods: Iterable[Method] | None = None, *, apps: Apps = global_apps
) -> dict[str, Any]:
    """The library document for these methods (default: all, in the order they were added)."""
    method_model = apps.get_model("methods", "Method")
    step_model = apps.get_model("methods", "Step")
    methods = list(method_model._default_manager.order_by("pk") if methods is None else methods)
    prefetch_related_objects(
        methods, Prefetch("steps", queryset=step_model._default_manager.order_by("order"))
    )
    documents = []
    for method in methods:
        steps = [_document(step, STEP_MAP) for step in method.steps.all()]
        for step in steps:
            if not step["branch"]["if_no_goto"]:
                step["branch"] = None
        documents.append(_document(method, METHOD_MAP) | {"steps": steps})
    return {"format": FORMAT, "version": VERSION, "methods": documents}
