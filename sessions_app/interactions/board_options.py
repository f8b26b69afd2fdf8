"""What a board is set up as (a step's options: board, columns, prefix, anonymity) and holds
(BoardData), and the rules for an item's text. No database, no request: interactions/board.py
does the reading and the actions."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from methods.boards import BoardWords, words_for
from methods.i18n import current_lang

from ..models import BoardItem, RoomMember
from . import InteractionError

MAX_LENGTH = 1000  # BoardItem.text; Balint advice may well be a few paragraphs
MAX_ITEMS_PER_PERSON = 30
REACTIONS = ("yes", "no")
RELEASED = "released"  # key in StepRun.state: ids of an anonymous board's shown items, in order


def localize(value) -> str:
    """A library text in the active language: {"nl": …, "en": …}, or a plain string."""
    if isinstance(value, dict):
        return str(value.get(current_lang()) or value.get("nl") or next(iter(value.values()), ""))
    return str(value or "")


@dataclass(frozen=True)
class Column:
    key: str
    raw_label: object = ""

    @property
    def label(self) -> str:
        return localize(self.raw_label)


@dataclass(frozen=True)
class BoardOptions:
    board: str
    columns: tuple[Column, ...]
    hidden: bool = False
    anonymous: bool = False
    prefix: object = ""
    reacts: bool = False

    @classmethod
    def of(cls, step) -> "BoardOptions":
        options = step.options or {}
        columns = []
        for raw in options.get("columns") or ():
            if isinstance(raw, dict) and raw.get("key"):
                columns.append(Column(str(raw["key"]), raw.get("label") or raw["key"]))
            elif isinstance(raw, str) and raw:
                columns.append(Column(raw, raw))
        return cls(
            board=str(options.get("board") or step.key),
            columns=tuple(columns) or (Column(""),),
            hidden=bool(options.get("hidden_until_reveal")),
            anonymous=bool(options.get("anonymous")),
            prefix=options.get("item_prefix") or "",
            reacts=bool(options.get("inbrenger_reacts")),
        )

    @property
    def multi(self) -> bool:
        return len(self.columns) > 1

    @property
    def words(self) -> BoardWords:
        """What this board's items are called: tips, advice, insights…"""
        return words_for(self.board)

    def column(self, key: str) -> Column:
        """The column an item shows in; items of a column that no longer exists go first."""
        return next((c for c in self.columns if c.key == key), self.columns[0])

    def column_labels(self) -> dict[str, str]:
        return {c.key: c.label for c in self.columns} if self.multi else {}


@dataclass
class BoardData:
    options: BoardOptions
    items: list[BoardItem]
    members: dict[int, RoomMember]
    revealed: bool = False
    released: list[int] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return self.options.hidden and not self.revealed

    @property
    def shown(self) -> list[BoardItem]:
        """The items the shared screens show: an anonymous board's released ones, in the order
        they were released."""
        if not self.options.anonymous:
            return self.items
        by_id = {item.pk: item for item in self.items}
        return [by_id[pk] for pk in self.released if pk in by_id]

    def author_name(self, item: BoardItem) -> str:
        author = self.members.get(item.author_id)
        return author.name if author else "?"


# ---- Item prefix ------------------------------------------------------------------------------

_TRAILING = " …?.!"


def _stem(prefix: str) -> str:
    """'Heb je er wel eens aan gedacht om…?' → 'Heb je er wel eens aan gedacht om'."""
    return prefix.strip().rstrip(_TRAILING)


def prefix_stems(raw) -> list[str]:
    values = raw.values() if isinstance(raw, dict) else [raw]
    return [s for s in (_stem(str(v or "")) for v in values) if s]


def _without_overlap(stem: str, text: str) -> str:
    """Drop the words the opening already ends with: "om te bellen" after "…gedacht om"."""
    words = stem.split()
    for k in range(len(words) - 1, 0, -1):
        tail = " ".join(words[-k:])
        if text[: len(tail) + 1].casefold() == f"{tail} ".casefold():
            return text[len(tail) + 1 :]
    return text


def apply_prefix(text: str, raw_prefix) -> str:
    """Complete an item gently with the step's opening rather than refusing it: a tip written as
    "met hem te praten" becomes "Heb je er wel eens aan gedacht om met hem te praten?"."""
    prefix = localize(raw_prefix).strip()
    stem = _stem(prefix)
    if not stem:
        return text
    used = next(
        (s for s in prefix_stems(raw_prefix) if text[: len(s)].casefold() == s.casefold()), None
    )
    if used is not None:
        rest = text[len(used) :]
    else:
        rest = _without_overlap(stem, text.lstrip("…. "))
        rest = rest[:1].lower() + rest[1:] if rest[1:2].islower() else rest
        text = f"{stem} {rest}"
    if not rest.strip(_TRAILING + ","):
        raise InteractionError(_("Complete the sentence: write your item after the opening."))
    if prefix.endswith("?") and not text.endswith("?"):
        text = text.rstrip(" .…!") + "?"
    return text


def prefill(raw_prefix) -> str:
    stem = _stem(localize(raw_prefix))
    return f"{stem} " if stem else ""


def clean_text(raw) -> str:
    """Tidy whitespace but keep line breaks: advice may come as a few numbered steps."""
    lines = [" ".join(line.split()) for line in str(raw or "").replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines).strip())
