"""Small vector charts as inline SVG: legible in greyscale, every number also printed in a table.

Pure functions from document rows and translated labels to SVG text. They only draw: every count and
percentage comes from the document; the geometry (bar lengths, axis) is all they work out. Outcomes are told
apart by pattern and by position as well as by colour: a failure is solid dark, missing evidence hatched, a
pass light, not applicable dotted white.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from aireport.models.documents import ItemFraction, SeverityRow
from aireport.render.fonts import FAMILY
from aireport.render.i18n import format_number, format_percent

FONT = f"{FAMILY}, 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"
OUTCOMES = ("failed", "not_evaluable", "passed", "not_applicable")
"""Stacking order, left to right: what needs attention first."""


@dataclass(frozen=True)
class Style:
    fill: str
    text: str  # colour of a count drawn on the segment


def _defs(prefix: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#f3d98b"/><rect width="2.4" height="6" fill="#6b4a00"/></pattern>'
        f'<pattern id="{prefix}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="0.9" fill="#6d6d6d"/></pattern>'
        "</defs>"
    )


def _styles(prefix: str) -> dict[str, Style]:
    return {
        "failed": Style("#9f1d18", "#ffffff"),
        "not_evaluable": Style(f"url(#{prefix}-hatch)", "#000000"),
        "passed": Style("#cfe5cc", "#000000"),
        "not_applicable": Style(f"url(#{prefix}-dots)", "#000000"),
    }


def _text(x: float, y: float, text: str, *, anchor: str = "start", weight: str = "normal", size: float = 10) -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{bold}>{escape(text)}</text>'


def _svg(prefix: str, width: int, height: float, title: str, body: Sequence[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{prefix}-title" '
        f'width="{width}" height="{height:.0f}" viewBox="0 0 {width} {height:.0f}" font-family="{FONT}">'
        f'<title id="{prefix}-title">{escape(title)}</title>{_defs(prefix)}{"".join(body)}</svg>'
    )


def text_width(text: str, size: float = 10) -> float:
    """A generous estimate of a label's width: CJK characters are square, Latin ones about half as wide."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.58 for c in text)


def _legend(
    y: float, labels: Mapping[str, str], styles: Mapping[str, Style], keys: Sequence[str]
) -> tuple[list[str], float]:
    out, x = [], 0.0
    for key in keys:
        out.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="14" height="10" fill="{styles[key].fill}" '
            'stroke="#222" stroke-width="0.6"/>'
        )
        out.append(_text(x + 19, y, labels[key]))
        x += 19 + text_width(labels[key]) + 16
    return out, x


def outcome_chart(rows: Sequence[SeverityRow], labels: Mapping[str, str], title: str) -> Markup:
    """Rules by severity (one bar each), stacked by outcome, with the count on every segment wide enough."""
    prefix, width, left, right, bar, gap, top = "oc", 640, 96, 44, 18, 8, 26
    styles = _styles(prefix)
    largest = max([r.total for r in rows] + [1])
    scale = (width - left - right) / largest
    body, _ = _legend(12, labels, styles, OUTCOMES)
    for n, row in enumerate(rows):
        y = top + n * (bar + gap)
        body.append(_text(left - 8, y + bar / 2 + 4, labels[f"severity.{row.severity.value}"], anchor="end"))
        x = float(left)
        for key in OUTCOMES:
            count = int(getattr(row, key))
            if not count:
                continue
            w = count * scale
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{styles[key].fill}" '
                'stroke="#222" stroke-width="0.6"/>'
            )
            if w >= 18:
                if key in ("not_evaluable", "not_applicable"):  # a white plate keeps digits legible on a pattern
                    plate = 7 * len(str(count)) + 4
                    body.append(
                        f'<rect x="{x + w / 2 - plate / 2:.1f}" y="{y + (bar - 12) / 2:.1f}" width="{plate}" '
                        'height="12" fill="#ffffff" rx="2"/>'
                    )
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + bar / 2 + 4:.1f}" font-size="10" text-anchor="middle" '
                    f'fill="{styles[key].text}">{count}</text>'
                )
            x += w
        body.append(_text(x + 6, y + bar / 2 + 4, format_number(row.total), weight="bold"))
    height = top + len(rows) * (bar + gap)
    return _svg(prefix, width, height, title, body)


_STEPS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)


def axis_max(values: Sequence[float], tolerances: Sequence[float]) -> float:
    """The axis end (percent): the smallest of 0.5, 1, 2, 5 ... 100 holding every tolerance and every value but
    outliers. An outlier is a value more than three times the next one down; its bar is drawn broken at the end
    of the axis, its figure printed beside it, so that one 100% does not flatten every 0.3% into a hairline."""
    ordered = sorted({v for v in values if v > 0}, reverse=True)
    top = 0
    while top + 1 < len(ordered) and ordered[top] > 3 * ordered[top + 1]:
        top += 1
    cover = max([ordered[top] if ordered else 0.0, *tolerances])
    return next((step for step in _STEPS if cover <= step), 100.0)


def fraction_chart(rows: Sequence[ItemFraction], labels: Mapping[str, str], title: str) -> Markup:
    """Failing percentage of each item rule per source: one bar per source, grouped by rule, with the
    rule's tolerance marked; the exact figures are printed beside every bar."""
    prefix, width, left, right, bar, gap, top = "fc", 660, 230, 150, 14, 6, 30
    styles = _styles(prefix)
    axis = axis_max([r.failing_percent for r in rows], [r.tolerance_percent for r in rows])
    span = width - left - right
    body, x = _legend(12, labels, styles, ("failed", "passed"))
    body.append(
        f'<line x1="{x + 6:.1f}" y1="2" x2="{x + 6:.1f}" y2="14" stroke="#000" stroke-width="1.4" '
        'stroke-dasharray="2 1.5"/>'
    )
    body.append(_text(x + 14, 12, labels["tolerance"]))
    y = float(top)
    previous = None
    for row in rows:
        if row.rule_id != previous:
            if previous is not None:
                y += 6
            body.append(_text(0, y + bar - 3, row.rule_id, weight="bold"))
            previous = row.rule_id
        body.append(_text(left - 8, y + bar - 3, row.source_id, anchor="end"))
        key = "failed" if row.outcome.value == "fail" else "passed"
        clipped = row.failing_percent > axis
        w = span if clipped else max(row.failing_percent / axis * span, 0.8 if row.failed else 0)
        body.append(f'<rect x="{left}" y="{y:.1f}" width="{span}" height="{bar}" fill="#f4f4f4"/>')
        body.append(
            f'<rect x="{left}" y="{y:.1f}" width="{w:.1f}" height="{bar}" fill="{styles[key].fill}" '
            'stroke="#222" stroke-width="0.5"/>'
        )
        if clipped:  # a broken bar: two white slashes near its end
            for dx in (-22, -16):
                x0 = left + span + dx
                body.append(
                    f'<line x1="{x0:.1f}" y1="{y + bar + 1:.1f}" x2="{x0 + 5:.1f}" y2="{y - 1:.1f}" '
                    'stroke="#fff" stroke-width="2.2"/>'
                )
        if row.tolerance_percent > 0:
            tx = left + row.tolerance_percent / axis * span
            body.append(
                f'<line x1="{tx:.1f}" y1="{y - 2:.1f}" x2="{tx:.1f}" y2="{y + bar + 2:.1f}" stroke="#000" '
                'stroke-width="1.4" stroke-dasharray="2 1.5"/>'
            )
        counts = f"{format_number(row.failed)} / {format_number(row.applicable)}"
        figure = f"{format_percent(row.failing_percent)} ({counts})"
        body.append(_text(left + span + 6, y + bar - 3, figure, size=9))
        y += bar + gap
    # Axis: 0, half and the full scale, below the bars.
    for fraction in (0.0, 0.5, 1.0):
        x = left + fraction * span
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{y:.1f}" stroke="#999" stroke-width="0.4"/>')
        body.append(_text(x, y + 11, f"{axis * fraction:g}%", anchor="middle", size=8.5))
    return _svg(prefix, width, y + 16, title, body)
