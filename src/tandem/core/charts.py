"""Chart geometry: the numbers Tandem's SVG chart templates draw, computed here as plain data.

Charts are server-rendered SVG drawn by the templates in `core/templates/core/charts/`, so
they work offline and under the strict Content-Security-Policy (no script, no inline style:
sizes are SVG attributes, colours CSS classes on the design tokens). This module knows no
feature: pages pass figures in (already aggregated in SQL) and get back positions in the
chart's own units — bar widths as percentages of the widest bar, line points in a fixed
viewBox — plus the summary sentence screen readers hear.

Horizontal bars come in tree order (sub-departments under their parent, indented), or
sorted by value or by name; `BAR_SORTS` names the three and `bar_sort` reads one from a
query string, falling back to the tree for anything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import QueryDict

Number = int | float | Decimal

BAR_SORTS = {"tree": "Tree order", "value": "Largest first", "name": "A to Z"}
# Deeper levels are drawn at this indentation; the table still says the full tree.
MAX_DEPTH = 4


def percent_of(value: Number, maximum: Number) -> float:
    """`value` as a share of `maximum`, in percent, clamped to 0–100 (0 when maximum is 0)."""
    if not maximum or maximum <= 0 or value <= 0:
        return 0.0
    return round(min(float(value) / float(maximum), 1.0) * 100, 2)


def bar_sort(raw: str | None) -> str:
    """The sort a query string asks for: one of `BAR_SORTS`, the tree for anything else."""
    return raw if raw in BAR_SORTS else "tree"


@dataclass(frozen=True)
class BarInput:
    """One row to draw: its label, value (or stacked parts), and where it sits in a tree.

    `path` is a materialized path ("/4/17/"); rows without one are roots. `parts` are the
    stacked segments' values in the order of the chart's series."""

    key: str
    label: str
    value: Number = 0
    display: str = ""
    path: str = ""
    parts: tuple[Number, ...] = ()
    href: str = ""


@dataclass(frozen=True)
class Segment:
    series: int
    name: str
    value: Number
    start: float
    width: float
    css: str = ""


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: Number
    display: str
    depth: int
    width: float
    href: str = ""
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    maximum: float
    series: tuple[str, ...] = ()
    sort: str = "tree"
    summary: str = ""
    series_classes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.bars

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(name, CSS class) of each series, in order."""
        return list(zip(self.series, self.series_classes, strict=True))


def _path_ids(path: str) -> list[str]:
    return [part for part in path.strip("/").split("/") if part]


def tree_order(rows: Sequence[BarInput]) -> list[tuple[BarInput, int]]:
    """Rows in tree order with their depth among the rows shown: each row right after its
    nearest shown ancestor, siblings by label. A row whose parent is not shown sits one
    level below its nearest shown ancestor (or at the top), never in a gap."""
    by_id: dict[str, BarInput] = {}
    for row in rows:
        ids = _path_ids(row.path)
        if ids:
            by_id[ids[-1]] = row
    children: dict[str | None, list[BarInput]] = {}
    for row in rows:
        ids = _path_ids(row.path)
        parent = next((a for a in reversed(ids[:-1]) if a in by_id), None)
        children.setdefault(parent, []).append(row)
    ordered: list[tuple[BarInput, int]] = []

    def visit(parent: str | None, depth: int) -> None:
        for row in sorted(children.get(parent, []), key=lambda r: (r.label.casefold(), r.key)):
            ordered.append((row, depth))
            ids = _path_ids(row.path)
            if ids:
                visit(ids[-1], depth + 1)

    visit(None, 0)
    return ordered


def _total(row: BarInput) -> Number:
    return sum(row.parts) if row.parts else row.value


def bar_chart(
    rows: Sequence[BarInput],
    *,
    sort: str = "tree",
    maximum: Number | None = None,
    series: Sequence[str] = (),
    summary: str = "",
    normalize: bool = False,
    series_classes: Sequence[str] = (),
) -> BarChart:
    """Horizontal bars, stacked when rows carry `parts` (one per `series`).

    Widths are percentages of `maximum` (by default the largest total, so the longest bar
    fills the row); with `normalize`, each stacked bar fills the row and its segments are
    shares of its own total (completion: 30 of 40 and 3 of 4 compare as 75%). Sorted by
    value, biggest first (with `normalize`, the biggest first share); by name, A to Z; by
    tree, indented; "given" keeps the caller's order. Series are coloured `series-0`,
    `series-1`, … unless `series_classes` names their CSS classes (the design tokens:
    series-0 ok, series-1 accent, series-2 muted, series-3 warn)."""
    if sort != "given":
        sort = bar_sort(sort)

    def size(row: BarInput) -> float:
        if normalize:
            total = float(_total(row))
            return float(row.parts[0]) / total if row.parts and total else 0.0
        return float(_total(row))

    if sort == "tree":
        placed = tree_order(rows)
    elif sort == "value":
        ordered = sorted(rows, key=lambda r: (-size(r), r.label.casefold(), r.key))
        placed = [(row, 0) for row in ordered]
    elif sort == "name":
        placed = [(row, 0) for row in sorted(rows, key=lambda r: (r.label.casefold(), r.key))]
    else:
        placed = [(row, 0) for row in rows]
    classes = tuple(
        series_classes[i] if i < len(series_classes) else f"series-{i}" for i in range(len(series))
    )
    largest = max((float(_total(r)) for r in rows), default=0.0)
    top = float(maximum) if maximum is not None else largest
    bars = []
    for row, depth in placed:
        total = _total(row)
        scale_to = total if normalize else top
        segments = []
        start = 0.0
        for index, part in enumerate(row.parts):
            width = min(percent_of(part, scale_to), round(100 - start, 2))
            name = series[index] if index < len(series) else ""
            css = classes[index] if index < len(classes) else f"series-{index}"
            segments.append(Segment(index, name, part, start, width, css))
            start = round(start + width, 2)
        bars.append(
            Bar(
                key=row.key,
                label=row.label,
                value=total,
                display=row.display or _number(total),
                depth=min(depth, MAX_DEPTH),
                width=percent_of(total, scale_to),
                href=row.href,
                segments=tuple(segments),
            )
        )
    return BarChart(tuple(bars), top, tuple(series), sort, summary, classes)


def _number(value: Number) -> str:
    if isinstance(value, float | Decimal) and value != int(value):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(int(value))


@dataclass(frozen=True)
class LinePoint:
    x: float
    y: float
    when: date
    value: float
    label: str


@dataclass(frozen=True)
class LineChart:
    """A line over time in a `width`×`height` viewBox; the plot sits inside the margins."""

    points: tuple[LinePoint, ...]
    path: str
    pace: tuple[float, float, float, float] | None
    y_ticks: tuple[tuple[float, str], ...]
    x_labels: tuple[tuple[float, str, str], ...]
    summary: str
    width: int = 480
    height: int = 220
    left: int = 44
    right: int = 12
    top: int = 12
    bottom: int = 32

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def x_label_y(self) -> int:
        return self.height - 10

    @property
    def is_empty(self) -> bool:
        return not self.points


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _x_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _month_starts(first: date, last: date, most: int = 5) -> list[date]:
    """The first days of the months strictly inside (first, last), kept clear of the end
    labels (a tenth of the span) and thinned to at most `most`, evenly."""
    span = (last - first).days
    margin = span / 10
    found = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day >= last:
            break
        if margin <= (day - first).days <= span - margin:
            found.append(day)
    step = -(-len(found) // most) if found else 1
    return found[::step]


def progress_line(
    values: Sequence[tuple[date | datetime, Number]],
    *,
    start: date | None = None,
    end: date | None = None,
    what: str = "Progress",
) -> LineChart:
    """Progress (0–1) over dates, with the expected pace from 0 at `start` to 100% at `end`.

    The time axis spans the period when given, widened to include every value; one value
    (or all on one day) sits in the middle. Values outside 0–1 are drawn at the edge and
    reported as they are."""
    chart = LineChart((), "", None, (), (), "")
    left, top = chart.left, chart.top
    plot_w = chart.width - chart.left - chart.right
    plot_h = chart.height - chart.top - chart.bottom
    y_ticks = tuple(
        (round(top + plot_h * (1 - share), 2), f"{int(share * 100)}%")
        for share in (0, 0.25, 0.5, 0.75, 1)
    )
    points_in = sorted(((_day(when), float(v)) for when, v in values), key=lambda p: p[0])
    days = [d for d, _ in points_in]
    first = min([*days, *([start] if start else [])], default=None)
    last = max([*days, *([end] if end else [])], default=None)
    span = (last - first).days if first and last else 0

    def x_of(day: date) -> float:
        if not span or first is None:
            return round(left + plot_w / 2, 2)
        return round(left + plot_w * (day - first).days / span, 2)

    def y_of(value: float) -> float:
        return round(top + plot_h * (1 - max(0.0, min(value, 1.0))), 2)

    points = tuple(
        LinePoint(
            x_of(day), y_of(value), day, value, f"{_x_label(day)} {day.year}: {round(value * 100)}%"
        )
        for day, value in points_in
    )
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    pace = None
    if start and end and end > start and first is not None:
        pace = (x_of(start), y_of(0), x_of(end), y_of(1))
    x_labels: tuple[tuple[float, str, str], ...] = ()
    if first is not None and last is not None:
        if span:
            x_labels = (
                (x_of(first), _x_label(first), "start"),
                *((x_of(day), f"{day:%b}", "middle") for day in _month_starts(first, last)),
                (x_of(last), _x_label(last), "end"),
            )
        else:
            x_labels = ((x_of(first), _x_label(first), "middle"),)
    if not points:
        summary = f"{what}: no check-ins yet."
    else:
        latest = points[-1]
        count = len(points)
        summary = (
            f"{what} from {round(points[0].value * 100)}% on {points[0].label.split(':')[0]} "
            f"to {round(latest.value * 100)}% on {latest.label.split(':')[0]}, "
            f"over {count} check-in{'s' if count != 1 else ''}."
            if count > 1
            else f"{what}: one check-in, {round(latest.value * 100)}% on "
            f"{latest.label.split(':')[0]}."
        )
        if pace is not None and end is not None and start is not None:
            expected = percent_of((min(latest.when, end) - start).days, (end - start).days)
            summary += f" The expected pace by then was {round(expected)}%."
    return LineChart(
        points,
        path,
        pace,
        y_ticks,
        x_labels,
        summary,
    )


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str
    query: str
    current: bool


def sort_links(
    params: QueryDict, current: str, *, param: str = "sort", keys: Sequence[str] = tuple(BAR_SORTS)
) -> list[SortLink]:
    """Links that re-sort a chart on the server, keeping the page's other filters."""
    links = []
    for key in keys:
        label = BAR_SORTS[key]
        query = params.copy()
        query[param] = key
        links.append(SortLink(key, label, query.urlencode(), key == current))
    return links
