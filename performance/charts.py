"""A small, deterministic line chart as SVG: the same markup on screen, in print and in a signed PDF.

No browser and no JavaScript: WeasyPrint draws it as vectors. Each series has its own colour, line
pattern and marker shape, and is named in a legend, so nothing depends on colour alone. The chart has
a ``<title>`` and ``<desc>`` and ``role="img"``; the page always shows the same numbers as a table.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.utils.html import escape

# (colour, dash pattern, marker) — GOV.UK palette colours with enough contrast on white
STYLES = [
    ("#1d70b8", "", "circle"),
    ("#d4351c", "8 4", "square"),
    ("#00703c", "2 3", "triangle"),
    ("#4c2c92", "10 3 2 3", "diamond"),
    ("#505a5f", "4 4", "circle"),
    ("#f47738", "12 4", "square"),
]


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks if span > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def _fmt(number: float) -> str:
    text = f"{number:,.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart_svg(
    *,
    title: str,
    series: list[tuple[str, list[tuple[date, Decimal | None]]]],
    y_label: str,
    x_label: str = "End of period",
    description: str = "",
    chart_id: str = "chart",
    width: int = 680,
    height: int = 340,
) -> str:
    """An SVG line chart of ``series`` (name, [(period end, value)]) over time."""
    left, right, top, bottom = 70, 40, 20, 110
    plot_w, plot_h = width - left - right, height - top - bottom
    points = [(d, float(v)) for _, pts in series for d, v in pts if v is not None]
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description or "The same figures are in the table beside the chart.")}</desc>'
    )
    if not points:
        return (
            head + f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" font-size="16">'
            "No figures to draw yet</text></svg>"
        )
    dates = sorted({d for d, _ in points})
    first, last = dates[0].toordinal(), dates[-1].toordinal()
    x_span = max(last - first, 1)
    top_value = max(v for _, v in points)
    low_value = min(0.0, min(v for _, v in points))
    step = _nice_step(top_value - low_value)
    y_max = step * (int(top_value / step) + 1) if top_value > 0 else step
    y_min = -step * (int(-low_value / step) + (1 if low_value < 0 else 0))

    def x_of(day: date) -> float:
        if len(dates) == 1:
            return left + plot_w / 2
        return left + (day.toordinal() - first) / x_span * plot_w

    def y_of(value: float) -> float:
        return top + plot_h - (value - y_min) / (y_max - y_min) * plot_h

    parts = [head, '<g font-family="Arial, sans-serif" font-size="12" fill="#0b0c0c">']
    tick = y_min
    while tick <= y_max + step / 1000:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#d9d9d9"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
        tick += step
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#0b0c0c"/>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#0b0c0c"/>')
    every = max(1, -(-len(dates) // 8))
    for index, day in enumerate(dates):
        if index % every and index != len(dates) - 1:
            continue
        x = x_of(day)
        parts.append(f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 5}" stroke="#0b0c0c"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{day:%b %Y}</text>')
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{top + plot_h + 36}" text-anchor="middle" font-weight="bold">'
        f"{escape(x_label)}</text>"
    )
    parts.append(
        f'<text transform="translate(16 {top + plot_h / 2:.0f}) rotate(-90)" text-anchor="middle" '
        f'font-weight="bold">{escape(y_label)}</text>'
    )
    legend_y = top + plot_h + 58
    legend_x = left
    for index, (name, pts) in enumerate(series):
        colour, dash, shape = STYLES[index % len(STYLES)]
        drawn = [(x_of(d), y_of(float(v))) for d, v in pts if v is not None]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(drawn) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in drawn)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        parts.extend(_marker(shape, x, y, colour) for x, y in drawn)
        if legend_x > width - 170:
            legend_x, legend_y = left, legend_y + 20
        parts.append(
            f'<line x1="{legend_x}" y1="{legend_y}" x2="{legend_x + 28}" y2="{legend_y}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        parts.append(_marker(shape, legend_x + 14, legend_y, colour))
        label = name if len(name) <= 22 else name[:21] + "…"
        parts.append(f'<text x="{legend_x + 34}" y="{legend_y + 4}">{escape(label)}</text>')
        legend_x += 40 + 7 * len(label)
    parts.append("</g></svg>")
    return "".join(parts)
