"""The inbrenger's summary as Markdown and as PDF; the same sections, in the same order, as the
page (templates/cases/summary.html)."""

from __future__ import annotations

from datetime import datetime

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.documents import PdfDocument, md_escape

from .summary import CaseSummary


def when(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i") if moment else ""


def score(value: float | None) -> str:
    """As the page shows it: one decimal in the active language's notation (4,5 or 4.5)."""
    return "–" if value is None else f"{floatformat(value, 1)} / 5"


def meta_rows(summary: CaseSummary) -> list[tuple[str, str]]:
    rows = [(_("Group"), summary.group)]
    if summary.meeting_starts_at:
        rows.append((_("Meeting"), when(summary.meeting_starts_at)))
    if summary.method:
        rows.append((_("Method"), summary.method))
    if summary.facilitator:
        rows.append((_("Facilitator"), summary.facilitator))
    return rows


def question_line(question) -> str:
    text = question.text or _("(asked aloud)")
    return f"{text} ({question.rating_label})" if question.rating else text


def tip_line(tip) -> str:
    text = f"{tip.column}: {tip.text}" if tip.column else tip.text
    if tip.reaction_label:
        text = f"{text} ({tip.reaction_label})"
    if tip.picked:
        text = f"{text} — {_('taken along')}"
        if tip.reason:
            text = f"{text}: {tip.reason}"
    return text


def board_heading(board) -> str:
    """ "Insights · Shared awareness and action plan": what was written, and in which step."""
    return f"{board.heading} · {board.title}" if board.heading else board.title


def filename(summary: CaseSummary, extension: str) -> str:
    day = timezone.localtime(summary.meeting_starts_at) if summary.meeting_starts_at else None
    stamp = f"-{day:%Y-%m-%d}" if day else ""
    return f"intervisie-summary{stamp}.{extension}"


# ---- Markdown ---------------------------------------------------------------------------------


def _section(out: list[str], title: str, level: int = 2) -> None:
    while out and out[-1] == "":
        out.pop()
    out += ["", f"{'#' * level} {title}", ""]


def summary_markdown(summary: CaseSummary) -> str:
    out = [f"# {_('Summary')}: {md_escape(summary.title)}", ""]
    out += [f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in meta_rows(summary)]
    _section(out, _("Your question"))
    out.append(f"**{_('As brought')}:** {md_escape(summary.question_as_brought)}")
    out.append("")
    reformulated = summary.question_reformulated or _("not reformulated")
    out.append(f"**{_('As reformulated')}:** {md_escape(reformulated)}")

    if summary.has_questions:
        _section(out, f"{_('Questions from the group')} ({len(summary.questions)})")
        if summary.questions:
            out += [
                f"{i}. {md_escape(question_line(q))}" for i, q in enumerate(summary.questions, 1)
            ]
        else:
            out.append(_("No questions were written down."))

    for board in summary.boards:
        _section(out, md_escape(board_heading(board)))
        if board.tips:
            out += [f"- [{'x' if t.picked else ' '}] {md_escape(tip_line(t))}" for t in board.tips]
        else:
            out.append(_("Nothing was written on the board."))

    if summary.has_pick:
        _section(out, _("What you take along"))
        if summary.picked:
            out += [f"- {md_escape(tip_line(t))}" for t in summary.picked]
        else:
            out.append(summary.none_picked)

    if summary.private_notes:
        _section(out, _("Your private notes"))
        out.append(md_escape(summary.private_notes))

    _section(out, _("Your action plan"))
    if summary.action_plan:
        out += [f"- **{md_escape(k)}** {md_escape(v)}" for k, v in summary.action_plan]
    else:
        out.append(_("No action plan was written."))

    evaluation = summary.evaluation
    if summary.has_evaluation:
        _section(out, _("Evaluation"))
    if summary.has_evaluation and evaluation is None:
        out.append(_("No evaluations were given."))
    elif evaluation is not None:
        out.append(f"- {_('Evaluations')}: {evaluation.count}")
        out.append(f"- {_('What it gave (product)')}: {score(evaluation.product_average)}")
        out.append(f"- {_('How it went (process)')}: {score(evaluation.process_average)}")
        if evaluation.remarks:
            _section(out, _("Remarks"), 3)
            out += [f"- {md_escape(r)}" for r in evaluation.remarks]
        if evaluation.takeaways:
            _section(out, _("What the others take along"), 3)
            out += [f"- {md_escape(t)}" for t in evaluation.takeaways]

    if summary.follow_up:
        _section(out, _("What became of it"))
        out.append(md_escape(summary.follow_up))
    return "\n".join(out).rstrip() + "\n"


# ---- PDF --------------------------------------------------------------------------------------


def summary_pdf(summary: CaseSummary) -> bytes:
    doc = PdfDocument(f"{_('Summary')}: {summary.title}", summary.inbrenger)
    doc.key_values(meta_rows(summary))

    doc.heading(_("Your question"))
    doc.paragraph(summary.question_as_brought, bold_prefix=f"{_('As brought')}:")
    doc.paragraph(
        summary.question_reformulated or _("not reformulated"),
        bold_prefix=f"{_('As reformulated')}:",
    )

    if summary.has_questions:
        doc.heading(f"{_('Questions from the group')} ({len(summary.questions)})")
        if summary.questions:
            doc.bullets(question_line(q) for q in summary.questions)
        else:
            doc.paragraph(_("No questions were written down."), muted=True)

    for board in summary.boards:
        doc.heading(board_heading(board))
        if board.tips:
            doc.bullets(("[x] " if t.picked else "[  ] ") + tip_line(t) for t in board.tips)
        else:
            doc.paragraph(_("Nothing was written on the board."), muted=True)

    if summary.has_pick:
        doc.heading(_("What you take along"))
        if summary.picked:
            doc.bullets(tip_line(t) for t in summary.picked)
        else:
            doc.paragraph(summary.none_picked, muted=True)

    if summary.private_notes:
        doc.heading(_("Your private notes"))
        doc.paragraph(summary.private_notes)

    doc.heading(_("Your action plan"))
    if summary.action_plan:
        doc.key_values(summary.action_plan)
    else:
        doc.paragraph(_("No action plan was written."), muted=True)

    evaluation = summary.evaluation
    if summary.has_evaluation:
        doc.heading(_("Evaluation"))
    if summary.has_evaluation and evaluation is None:
        doc.paragraph(_("No evaluations were given."), muted=True)
    elif evaluation is not None:
        doc.key_values(
            [
                (_("Evaluations"), str(evaluation.count)),
                (_("What it gave (product)"), score(evaluation.product_average)),
                (_("How it went (process)"), score(evaluation.process_average)),
            ]
        )
        if evaluation.remarks:
            doc.heading(_("Remarks"), level=3)
            doc.bullets(evaluation.remarks)
        if evaluation.takeaways:
            doc.heading(_("What the others take along"), level=3)
            doc.bullets(evaluation.takeaways)

    if summary.follow_up:
        doc.heading(_("What became of it"))
        doc.paragraph(summary.follow_up)
    return doc.render(footer=_("Confidential: for %(name)s only.") % {"name": summary.inbrenger})
