"""Bar charts as inline SVG, drawn on the server: no JavaScript, readable in print and PDF.

`bar_chart(...)` computes the geometry; the template `core/charts/bar_chart.html` draws it as an
SVG with a title (`role="img"`), a legend, a `<title>` tooltip per bar, and the same numbers as a
table under a disclosure, so a screen reader user gets the data and not just a picture.

    chart = bar_chart(
        _("Planned and realised per year"), categories=["2024", "2025"],
        series=[Series(_("Planned"), "planned", [100, 200]),
                Series(_("Realised"), "realised", [80, None])],
        unit="kr.",
    )
    {% include "core/charts/bar_chart.html" with chart=chart %}

Bars are grouped (side by side) or stacked. `css` names the fill class: green, yellow, red,
none, planned, realised, budget, spent. The SVG carries its own `<style>` with those fills
(WeasyPrint ignores the page's CSS inside inline SVG), so a chart is coloured in PDFs too;
static/css/portfolio.css colours the legend's swatches.
"""

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

_ids = itertools.count(1)

WIDTH = 640
PLOT_TOP = 10
PLOT_LEFT = 90
PLOT_BOTTOM = 40  # room for the category labels
HEIGHT = 260


@dataclass
class Series:
    label: str
    css: str
    values: list[Decimal | int | float | None]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    tooltip: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class CategoryLabel:
    x: float
    label: str
    full: str = ""  # the whole category, where `lines` shorten it
    lines: list[str] = field(default_factory=list)


@dataclass
class BarChart:
    id: str
    title: str
    unit: str
    categories: list[str]
    series: list[Series]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[CategoryLabel] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = PLOT_LEFT
    plot_bottom_y: float = 0
    empty: bool = True

    @property
    def plot_right(self) -> int:
        return self.width - 10

    @property
    def label_y(self) -> float:
        return self.plot_bottom_y + 16

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table under the chart: one row per category, one column per series."""
        return [
            (category, [format_number(s.values[i]) for s in self.series])
            for i, category in enumerate(self.categories)
        ]


def format_number(value, decimals: int = 1) -> str:
    """1.250.000 or 12,5: Danish grouping, no decimals for whole numbers, else `decimals`;
    "–" for none."""
    if value is None:
        return "–"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _nice_max(value: float) -> float:
    """A round upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1
    exponent = len(str(int(value))) - 1 if value >= 1 else 0
    base = 10**exponent
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * base:
            return step * base
    return 10 * base


def _integer_axis(top: float) -> tuple[int, int]:
    """The upper bound and the step of an axis of counts: whole numbers, at most five steps
    (1, 2, 5, 10, 20, 50 … apart)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if top <= factor * step * 5:
                size = factor * step
                return max(size, -(-int(top) // size) * size if top > 0 else size), size
        step *= 10


def wrap_label(text: str, width: int, lines: int = 2) -> list[str]:
    """A category label in at most `lines` lines of about `width` characters, broken at
    spaces and slashes; what does not fit ends in "…"."""
    words = text.replace("/", "/ ").split()
    result: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current}{'' if current.endswith('/') or not current else ' '}{word}"
        if current and len(candidate) > width:
            result.append(current)
            current = word
        else:
            current = candidate
    if current:
        result.append(current)
    result = [line if len(line) <= width else line[: width - 1] + "…" for line in result]
    if len(result) > lines:
        last = result[lines - 1]
        result = result[: lines - 1] + [(last[: width - 1] if len(last) >= width else last) + "…"]
    return result or [""]


def bar_chart(
    title: str,
    categories: list[str],
    series: list[Series],
    *,
    unit: str = "",
    stacked: bool = False,
    height: int = HEIGHT,
    counts: bool = False,
) -> BarChart:
    """`counts`: the values are numbers of things (projects, lights), so the axis has whole
    numbers only."""
    chart = BarChart(
        f"chart-{next(_ids)}", str(title), unit, [str(c) for c in categories], series, height=height
    )
    n = len(categories)
    plot_height = height - PLOT_TOP - PLOT_BOTTOM
    chart.plot_bottom_y = PLOT_TOP + plot_height
    if n == 0 or not series:
        return chart

    def num(v) -> float:
        return float(v) if v is not None else 0.0

    if stacked:
        top = max(sum(num(s.values[i]) for s in series) for i in range(n))
    else:
        top = max(num(v) for s in series for v in s.values)
    chart.empty = top <= 0
    axis_max: float
    if counts:
        whole_max, step = _integer_axis(top)
        axis_max, steps = whole_max, whole_max // step
    else:
        axis_max, steps = _nice_max(top), 4
    scale = plot_height / axis_max
    slot = (WIDTH - PLOT_LEFT - 10) / n
    group_width = slot * 0.7
    # About 6.5 px a character at 12 px: the labels wrap within their slot.
    characters = max(6, int(slot / 6.5))
    for i, category in enumerate(chart.categories):
        x0 = PLOT_LEFT + i * slot + (slot - group_width) / 2
        lines = wrap_label(category, characters)
        chart.labels.append(
            CategoryLabel(
                PLOT_LEFT + i * slot + slot / 2, " ".join(lines), full=category, lines=lines
            )
        )
        base: float = chart.plot_bottom_y
        for j, s in enumerate(series):
            value = num(s.values[i])
            h = value * scale
            text = f"{category}, {s.label}: {format_number(s.values[i])} {unit}".strip()
            if stacked:
                if h > 0:
                    chart.bars.append(Bar(x0, base - h, group_width, h, s.css, text))
                base -= h
            else:
                width = group_width / len(series)
                chart.bars.append(Bar(x0 + j * width, base - h, max(width - 2, 1), h, s.css, text))
    for k in range(steps + 1):
        value = axis_max * k / steps
        label = str(int(value)) if counts else format_number(Decimal(str(round(value, 1))))
        chart.ticks.append(Tick(chart.plot_bottom_y - value * scale, label))
    return chart
