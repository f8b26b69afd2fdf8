"""What the items of a board are called: tips, advice, insights… never "items" or "points".

A collect step names its board in its options (`board`); the room (counts, form, button), the pick
step and the inbrenger's summary all say what the step itself calls the things people write, so a
count reads "2 tips", not "2 punten" (which sounds like a score). A board name this table does not
know (a coordinator's own method) falls back to neutral words ("contribution").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


@dataclass(frozen=True)
class BoardWords:
    counted: object  # "%(n)s tip" / "%(n)s tips", lazily chosen by the number under "n"
    title: object  # "Tips": a section heading
    yours: object  # "Your tip": the label of the writing field
    add: object  # "Add the tip": the button that puts it on the board
    none_picked: object  # "You did not take any tips along."

    def count(self, n: int) -> str:
        """'1 tip', '3 tips' in the active language."""
        return str(self.counted % {"n": n})


WORDS: dict[str, BoardWords] = {
    "tips": BoardWords(
        ngettext_lazy("%(n)s tip", "%(n)s tips", "n"),
        _("Tips"),
        _("Your tip"),
        _("Add the tip"),
        _("You did not take any tips along."),
    ),
    "advice": BoardWords(
        ngettext_lazy("%(n)s piece of advice", "%(n)s pieces of advice", "n"),
        _("Advice"),
        _("Your advice"),
        _("Add the advice"),
        _("You did not take any advice along."),
    ),
    "insights": BoardWords(
        ngettext_lazy("%(n)s insight", "%(n)s insights", "n"),
        _("Insights"),
        _("Your insight"),
        _("Add the insight"),
        _("You did not take any insights along."),
    ),
    "perceptions": BoardWords(
        ngettext_lazy("%(n)s perception", "%(n)s perceptions", "n"),
        _("Perceptions"),
        _("Your perception"),
        _("Add the perception"),
        _("You did not choose a perception to continue with."),
    ),
    "forces": BoardWords(
        ngettext_lazy("%(n)s force", "%(n)s forces", "n"),
        _("Forces"),
        _("Your force"),
        _("Add the force"),
        _("You did not take any forces along."),
    ),
    "success_factors": BoardWords(
        ngettext_lazy("%(n)s success factor", "%(n)s success factors", "n"),
        _("Success factors"),
        _("Your success factor"),
        _("Add the success factor"),
        _("You did not take any success factors along."),
    ),
}
GENERIC = BoardWords(
    ngettext_lazy("%(n)s contribution", "%(n)s contributions", "n"),
    _("Written on the board"),
    _("Your contribution"),
    _("Add to the board"),
    _("You did not take anything along."),
)


def words_for(board: str | None) -> BoardWords:
    """The words of a board by its name (a collect step's `board` option)."""
    return WORDS.get(board or "", GENERIC)
