"""Downloadable documents: PDF (ReportLab), Markdown and CSV, built from plain data.

ReportLab is pure Python (its wheel is py3-none-any; Pillow comes as a wheel) and needs nothing
from the operating system, unlike WeasyPrint (pango) or xhtml2pdf (pycairo via svglib). We use
the PDF standard fonts: every viewer has them, so nothing is embedded, and their WinAnsi encoding
covers Dutch (ë, é, ï, “quotes”, –, …). Arrows come from the Symbol font, which ReportLab picks
by itself; anything else outside those fonts is simplified first (see `pdf_safe`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from django.http import HttpResponse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

BRAND = colors.HexColor("#0f4c5c")
MUTED = colors.HexColor("#5f6f74")
LINE = colors.HexColor("#dcd8cf")

# Characters the standard fonts lack, with a readable stand-in. (→ ← are in Symbol: kept.)
_REPLACEMENTS = {
    "\u2713": "v",  # ✓
    "\u2714": "v",
    "\u2715": "x",
    "\u2717": "x",
    "\u26a0": "!",  # ⚠
    "\u2212": "-",  # minus sign
    "\u2011": "-",  # non-breaking hyphen
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
}
_SYMBOL_OK = {"\u2192", "\u2190"}


def _fits_winansi(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def pdf_safe(text: str) -> str:
    """Text the standard PDF fonts can show: Dutch and Western European characters as they are,
    others decomposed where possible (ĳ → ij, ŉ → 'n), else a question mark."""
    out = []
    for char in str(text):
        char = _REPLACEMENTS.get(char, char)
        if char in _SYMBOL_OK or char in "\n\t" or _fits_winansi(char):
            out.append(char)
            continue
        simple = unicodedata.normalize("NFKD", char)
        simple = "".join(c for c in simple if not unicodedata.combining(c))
        out.append(simple if simple and all(_fits_winansi(c) for c in simple) else "?")
    return "".join(out)


def _markup(text: str) -> str:
    """Plain text as ReportLab paragraph markup: escaped, line breaks kept."""
    return escape(pdf_safe(text)).replace("\n", "<br/>")


class PdfDocument:
    """A small flowing document: headings, paragraphs, lists and tables, A4, page numbers."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        self.title = pdf_safe(title)
        styles = getSampleStyleSheet()
        self.styles = {
            "title": ParagraphStyle("t", parent=styles["Title"], textColor=BRAND, fontSize=20,
                                    leading=24, alignment=0, spaceAfter=4),
            "subtitle": ParagraphStyle("s", parent=styles["Normal"], textColor=MUTED,
                                       fontSize=10.5, leading=14, spaceAfter=10),
            "h2": ParagraphStyle("h2", parent=styles["Heading2"], textColor=BRAND, fontSize=14,
                                 leading=18, spaceBefore=10, spaceAfter=4),
            "h3": ParagraphStyle("h3", parent=styles["Heading3"], fontSize=11.5, leading=15,
                                 spaceBefore=6, spaceAfter=2),
            "body": ParagraphStyle("b", parent=styles["Normal"], fontSize=10.5, leading=14.5,
                                   spaceAfter=4),
            "muted": ParagraphStyle("m", parent=styles["Normal"], fontSize=9.5, leading=13,
                                    textColor=MUTED, spaceAfter=4),
            "cell": ParagraphStyle("c", parent=styles["Normal"], fontSize=9.5, leading=12.5),
        }  # fmt: skip
        self.story: list = [Paragraph(_markup(title), self.styles["title"])]
        if subtitle:
            self.story.append(Paragraph(_markup(subtitle), self.styles["subtitle"]))

    def heading(self, text: str, level: int = 2) -> None:
        self.story.append(Paragraph(_markup(text), self.styles["h2" if level <= 2 else "h3"]))

    def paragraph(self, text: str, *, muted: bool = False, bold_prefix: str = "") -> None:
        markup = _markup(text)
        if bold_prefix:
            markup = f"<b>{_markup(bold_prefix)}</b> {markup}"
        self.story.append(Paragraph(markup, self.styles["muted" if muted else "body"]))

    def bullets(self, items: Iterable[str]) -> None:
        entries = [
            ListItem(Paragraph(_markup(item), self.styles["body"]), leftIndent=12) for item in items
        ]
        if entries:
            self.story.append(ListFlowable(entries, bulletType="bullet", start="•", leftIndent=12))

    def key_values(self, rows: Sequence[tuple[str, str]]) -> None:
        data = [
            [Paragraph(f"<b>{_markup(k)}</b>", self.styles["cell"]),
             Paragraph(_markup(v), self.styles["cell"])]
            for k, v in rows
        ]  # fmt: skip
        if not data:
            return
        table = Table(data, colWidths=[45 * mm, None], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        self.story.append(table)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        col_widths: Sequence[float | None] | None = None,
    ) -> None:
        data = [[Paragraph(f"<b>{_markup(h)}</b>", self.styles["cell"]) for h in header]]
        data += [[Paragraph(_markup(str(c)), self.styles["cell"]) for c in row] for row in rows]
        table = Table(data, colWidths=col_widths, hAlign="LEFT", repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, BRAND),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        self.story.append(table)

    def space(self, height_mm: float = 3) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def render(self, footer: str = "") -> bytes:
        buffer = io.BytesIO()
        footer = pdf_safe(footer)

        def page_footer(canvas, doc) -> None:
            canvas.saveState()
            canvas.setFont("Helvetica", 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(18 * mm, 10 * mm, footer)
            canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(doc.page))
            canvas.restoreState()

        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            title=self.title,
            author="Intervisie",
            creator="Intervisie",
        )
        doc.build(self.story, onFirstPage=page_footer, onLaterPages=page_footer)
        return buffer.getvalue()


# ---- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def md_escape(text: str) -> str:
    """User text inside Markdown: no accidental emphasis, links, headings or table breaks."""
    text = _MD_SPECIAL.sub(r"\\\1", str(text))
    # A leading "-", "+" or "1." would start a list; keep line breaks inside one paragraph.
    text = re.sub(r"(?m)^(\s*)([-+]|\d+\.)(\s)", r"\1\\\2\3", text)
    return text.replace("\r\n", "\n").replace("\n", "  \n")


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(cells) -> str:
        return "| " + " | ".join(md_escape(c).replace("  \n", " ") for c in cells) + " |"

    out = [line(header), "| " + " | ".join("---" for _ in header) + " |"]
    out += [line([str(c) for c in row]) for row in rows]
    return "\n".join(out)


# ---- Responses --------------------------------------------------------------------------------


def download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Private documents: never in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, "application/pdf", filename)


def markdown_response(content: str, filename: str) -> HttpResponse:
    return download(content, "text/markdown; charset=utf-8", filename)


# Dutch spreadsheet programs (Excel with Dutch regional settings) split columns on ";": with
# "," the whole row lands in one column, and "," is the Dutch decimal sign besides.
CSV_DELIMITER = ";"


def csv_response(header: Sequence[str], rows: Iterable[Sequence], filename: str) -> HttpResponse:
    """A CSV file for spreadsheets: semicolons, UTF-8 with a byte-order mark (so Excel reads ë
    and é), header and values as the caller wrote them (in the reader's language)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if c is None else _csv_safe(c) for c in row])
    return download(buffer.getvalue(), "text/csv; charset=utf-8", filename)


def _csv_safe(value) -> str:
    """Cells starting with = + - @ are formulas to a spreadsheet: quote them."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
