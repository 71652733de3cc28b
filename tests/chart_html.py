"""Reading Tandem's server-drawn charts back out of a page, for view tests: the bars of one
chart (by the id its template was given) and the rows of the table behind "Show as table"."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_BAR = re.compile(
    r'<div class="bar-row depth-(?P<depth>\d)">\s*<span class="bar-label" title="(?P<label>[^"]*)">'
    r".*?<svg(?P<svg>.*?)</svg>\s*<span class=\"bar-value\">(?P<value>[^<]*)</span>",
    re.S,
)
_WIDTH = re.compile(r'<rect class="(?P<cls>bar-fill|series-\d)"[^>]*?width="(?P<width>[\d.]+)"')
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class DrawnBar:
    label: str
    depth: int
    value: str
    widths: tuple[tuple[str, float], ...]


def chart_part(page: str, chart_id: str) -> str:
    """The chart's markup: from its summary to the end of its "Show as table" panel."""
    marker = f'id="{chart_id}-summary"'
    start = page.index(marker if marker in page else f'id="{chart_id}-desc"')
    end = page.index("</details>", start)
    return page[start:end]


def summary(page: str, chart_id: str) -> str:
    found = re.search(rf'id="{re.escape(chart_id)}-summary"[^>]*>(.*?)</p>', page, re.S)
    assert found, f"no summary for chart {chart_id}"
    return html.unescape(found.group(1))


def bars(page: str, chart_id: str) -> list[DrawnBar]:
    part = chart_part(page, chart_id)
    drawn = []
    for match in _BAR.finditer(part):
        widths = tuple(
            (w.group("cls"), float(w.group("width"))) for w in _WIDTH.finditer(match.group("svg"))
        )
        drawn.append(
            DrawnBar(
                html.unescape(match.group("label")),
                int(match.group("depth")),
                html.unescape(match.group("value")),
                widths,
            )
        )
    return drawn


def table_rows(page: str, chart_id: str) -> list[list[str]]:
    """The body rows of the table in the chart's "Show as table" panel, as cell texts."""
    part = chart_part(page, chart_id)
    body = part[part.index("<tbody>") :]
    return [
        [" ".join(html.unescape(_TAG.sub("", cell)).split()) for cell in _CELL.findall(row)]
        for row in _ROW.findall(body)
    ]
