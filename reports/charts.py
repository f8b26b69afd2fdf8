"""Small charts as inline SVG, rendered on the server: no JavaScript, no library, no CDN.

Each chart is an accessible image (role="img" with a title); the page shows the same figures in a
table next to it. Colours come from classes (series-0, series-1, …) styled in app.css, so the
markup carries no inline styles (CSP). The view boxes are narrow so that text stays legible when
a phone scales the chart down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# A phone's card is about 320 px wide: at this width the text (13 units, app.css) stays ~12 px.
WIDTH = 340
FONT = 13
CHAR = 7.4  # the average width of a character at FONT, for laying out legends


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # "series-0", "series-1", …


def _short(label: str, limit: int = 15) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _legend(series: Sequence[Series], y: float) -> tuple[SafeString, float]:
    """The legend, wrapped over as many lines as it needs; and the height it takes."""
    parts, x, line = [], 0.0, 0
    for s in series:
        needed = 22 + len(s.name) * CHAR
        if x and x + needed > WIDTH:
            x, line = 0.0, line + 1
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" rx="2" class="{}"/>'
                '<text x="{}" y="{}" class="chart-legend">{}</text>',
                _num(x),
                _num(y + line * 18 + 1),
                s.css,
                _num(x + 14),
                _num(y + line * 18 + 11),
                s.name,
            )
        )
        x += needed
    return mark_safe("".join(parts)), (line + 1) * 18


def _svg(height: float, title: str, body: SafeString, css: str) -> SafeString:
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        css,
        WIDTH,
        _num(height),
        title,
        title,
        body,
    )


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[Series],
    unit: str = "",
) -> SafeString:
    """Grouped horizontal bars: one row per label, one bar per series."""
    label_w, value_w, bar_h, gap = 118, 44, 14, 10
    plot_w = WIDTH - label_w - value_w
    legend, legend_h = _legend(series, 0)
    top = legend_h + 6
    peak = max((v or 0 for _, values in rows for v in values), default=0) or 1
    row_h = len(series) * (bar_h + 2) + gap
    parts = [legend]
    for i, (label, values) in enumerate(rows):
        y0 = top + i * row_h
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label"><title>{}</title>{}'
                "</text>",
                label_w - 6,
                _num(y0 + len(series) * (bar_h + 2) / 2 + 3),
                label,
                _short(label),
            )
        )
        for j, (s, value) in enumerate(zip(series, values, strict=False)):
            y = y0 + j * (bar_h + 2)
            width = 0 if value is None else max(1.5, value / peak * plot_w)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" rx="2" class="{}">'
                    "<title>{}: {}</title></rect>"
                    '<text x="{}" y="{}" class="chart-value">{}</text>',
                    label_w,
                    _num(y),
                    _num(width),
                    bar_h,
                    s.css,
                    s.name,
                    "–" if value is None else f"{_num(value)}{unit}",
                    _num(label_w + width + 4),
                    _num(y + bar_h - 3),
                    "–" if value is None else f"{_num(value)}{unit}",
                )
            )
    height = top + max(1, len(rows)) * row_h
    return _svg(height, title, mark_safe("".join(parts)), "chart-bars")


def line_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Sequence[float | None]],  # per series, one value per label
    series: Sequence[Series],
    y_min: float = 1,
    y_max: float = 5,
) -> SafeString:
    """Lines over time on a fixed scale (evaluation scores 1–5); gaps where a value is missing."""
    legend, legend_h = _legend(series, 0)
    left, right, top, bottom = 26, 14, legend_h + 10, 34
    height = 180 + legend_h
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    n = len(labels)

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def y(v: float) -> float:
        return top + plot_h - (v - y_min) / (y_max - y_min) * plot_h

    parts = [legend]
    for tick in range(int(y_min), int(y_max) + 1):
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"/>'
                '<text x="{}" y="{}" text-anchor="end" class="chart-axis">{}</text>',
                left,
                WIDTH - right,
                _num(y(tick)),
                _num(y(tick)),
                left - 5,
                _num(y(tick) + 4),
                tick,
            )
        )
    step = max(1, -(-n // 8))  # at most eight date labels
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" class="chart-axis">{}</text>',
                    _num(x(i)),
                    height - bottom + 16,
                    label,
                )
            )
    for s, points in zip(series, values, strict=False):
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(points):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_num(x(i))},{_num(y(v))}")
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3.5" class="{}"><title>{} {}: {}</title></circle>',
                    _num(x(i)),
                    _num(y(v)),
                    s.css,
                    labels[i],
                    s.name,
                    _num(v),
                )
            )
        if segment:
            segments.append(segment)
        parts.append(
            format_html_join(
                "",
                '<polyline points="{}" class="chart-line {}" fill="none"/>',
                ((" ".join(seg), s.css) for seg in segments if len(seg) > 1),
            )
        )
    return _svg(height, title, mark_safe("".join(parts)), "chart-lines")


def column_chart(
    title: str, columns: Sequence[tuple[str, float, float]], series: Series
) -> SafeString:
    """Columns of value out of a maximum each (e.g. present out of members), oldest left."""
    left, top, bottom = 4, 18, 34
    height = 170
    plot_h = height - top - bottom
    n = max(1, len(columns))
    slot = (WIDTH - left) / n
    width = min(34, slot * 0.7)
    parts = []
    step = max(1, -(-n // 8))
    for i, (label, value, maximum) in enumerate(columns):
        cx = left + slot * i + slot / 2
        h_max = plot_h
        h = 0 if not maximum else value / maximum * h_max
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" class="chart-track"/>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" class="{}">'
                "<title>{}: {}/{}</title></rect>"
                '<text x="{}" y="{}" text-anchor="middle" class="chart-value">{}</text>',
                _num(cx - width / 2),
                top,
                _num(width),
                plot_h,
                _num(cx - width / 2),
                _num(top + plot_h - h),
                _num(width),
                _num(h),
                series.css,
                label,
                _num(value),
                _num(maximum),
                _num(cx),
                _num(top + plot_h - h - 4),
                _num(value),
            )
        )
        if i % step == 0 or i == n - 1:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" class="chart-axis">{}</text>',
                    _num(cx),
                    height - bottom + 16,
                    label,
                )
            )
    return _svg(height, title, mark_safe("".join(parts)), "chart-columns")
