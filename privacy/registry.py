"""What each app holds about a user, and how each app forgets them.

The apps stack up (methods < groups < cases < sessions_app); this module sits beneath them all,
so none has to know the others. Each app registers, from its AppConfig.ready():

- sections: `register_section(key, collect, order=…)`, where `collect(user)` returns a Section:
  a title, what the records are and why they are kept, the documented fields, and the records as
  JSON-ready dicts. The "My data" page, the JSON and the HTML of the download all read these.
- erasers: `register_eraser(key, erase, order=…, blockers=…)`, where `erase(user)` deletes or
  anonymises that app's rows for the user inside the one erase transaction and returns what it
  did as {label: count}; `blockers(user)` returns reasons not to start (e.g. "you facilitate a
  room that is still open").

A new kind of data (say consent records) adds one section and, where needed, one eraser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Field:
    """One documented key of a section's records."""

    name: str
    description: str


@dataclass
class Section:
    key: str
    title: str
    description: str  # what these records are and why the app keeps them
    fields: list[Field]
    records: list[dict[str, Any]]
    # Where the member sees these in the app (a URL path), and what the link says.
    link: str = ""
    link_label: str = ""

    @property
    def count(self) -> int:
        return len(self.records)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "description": str(self.description),
            "fields": {f.name: str(f.description) for f in self.fields},
            "count": self.count,
            "records": self.records,
        }


@dataclass(frozen=True)
class _Provider:
    key: str
    order: int
    collect: Callable[[Any], Section | None]


@dataclass(frozen=True)
class _Eraser:
    key: str
    order: int
    erase: Callable[[Any], dict[str, int]]
    blockers: Callable[[Any], list[str]] | None = None


_sections: dict[str, _Provider] = {}
_erasers: dict[str, _Eraser] = {}


def register_section(key: str, collect: Callable[[Any], Section | None], order: int = 100) -> None:
    """Add (or, under the same key, replace) a section of every member's data.
    `collect(user)` may return None where the section does not apply to this user."""
    _sections[key] = _Provider(key, order, collect)


def register_eraser(
    key: str,
    erase: Callable[[Any], dict[str, int]],
    order: int = 100,
    blockers: Callable[[Any], list[str]] | None = None,
) -> None:
    """Add a step of the account erasure. Lower `order` runs first: rows that must outlive the
    account (contributions to others' cases) are anonymised before the account's own rows go."""
    _erasers[key] = _Eraser(key, order, erase, blockers)


def sections_for(user) -> list[Section]:
    sections = []
    for provider in sorted(_sections.values(), key=lambda p: (p.order, p.key)):
        section = provider.collect(user)
        if section is not None:
            sections.append(section)
    return sections


def erasers() -> list[_Eraser]:
    return sorted(_erasers.values(), key=lambda e: (e.order, e.key))


# ---- Helpers for collectors -------------------------------------------------------------------


def iso(value: datetime | date | None) -> str | None:
    """A moment as ISO 8601 in the site's time zone (dates stay dates)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


# The group a record belongs to, as every section names it.
GROUP = Field("group", gettext_lazy("the intervision group"))


def meeting_where(meeting) -> dict:
    """The values of a section's meeting and GROUP fields for a record of ``meeting``."""
    return {"meeting_starts_at": iso(meeting.starts_at), "group": meeting.group.name}
