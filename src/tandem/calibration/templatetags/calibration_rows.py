"""`{% session_rows rows %}`: the body of a calibration session's table, built in Python.

A session discusses up to a few hundred people and each row carries its "Move" form; the
same markup through template loops and filters took most of the page's time at 200 people
(like the bar charts, `core/templatetags/tandem_charts.py`). Every value is escaped by
`_e` (what `format_html` does to a plain value) and the menus' options, escaped once by the
view, are put in as they are."""

from __future__ import annotations

from datetime import datetime, tzinfo
from html import escape
from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString

from tandem.calibration.models import AdjustedField, ReasonCategory
from tandem.calibration.queries import Change, Row

register = template.Library()

DASH = "—"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _or(value: Any, fallback: str = DASH) -> Any:
    return fallback if value is None or value == "" else value


CATEGORY_WORDS = {value: label.lower() for value, label in ReasonCategory.choices}


def _when(moment: datetime, zone: tzinfo) -> str:
    """ "4 Dec, 09:30" in the reader's zone: Django's date format would cost a session of
    hundreds of changes a third of its page time, for English month abbreviations."""
    local = moment.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]}, {local.hour:02d}:{local.minute:02d}"


def _e(value: Any) -> str:
    """`value` escaped as `format_html` escapes a plain value (Django's `escape` is
    `html.escape` of its text), without the lazy wrappers that cost a session of hundreds
    of rows and history lines a third of its page time."""
    return escape(str(value))


def _history(adjustments: list[Change]) -> str:
    zone = timezone.get_current_timezone()
    items = "".join(
        f'<li><time datetime="{a.made_at.isoformat()}">{_when(a.made_at, zone)}</time> · '
        f"{_e(a.made_by if a.made_by is not None else 'Someone who left')}: "
        f"{'performance rating' if a.field == AdjustedField.RATING else 'potential'} "
        f"{_e(_or(a.old_value))} → {_e(a.new_value)} "
        f"({_e(CATEGORY_WORDS.get(a.category, a.category))}). “{_e(a.reason)}”</li>"
        for a in adjustments
    )
    return (
        f'<details class="calibration-history"><summary>History ({len(adjustments)})</summary>'
        f"<ol>{items}</ol></details>"
    )


def _move_form(row: Row, csrf: str, options: dict[str, SafeString]) -> str:
    key = _e(row.key)
    return (
        f'<details class="calibration-move"><summary>Move {_e(row.name)}</summary>'
        f'<form method="post" action="{_e(row.adjust_url)}" class="calibration-move-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf)}">'
        f'<div class="field"><label for="rating-{key}">Rating</label>'
        f'<select id="rating-{key}" name="rating"><option value="">Unchanged '
        f"({_e(_or(row.rating, 'none'))})</option>{options['rating']}</select></div>"
        f'<div class="field"><label for="potential-{key}">Potential</label>'
        f'<select id="potential-{key}" name="potential"><option value="">Unchanged '
        f"({_e(_or(row.potential, 'not set'))})</option>{options['potential']}</select></div>"
        f'<div class="field"><label for="category-{key}">Why, in a word</label>'
        f'<select id="category-{key}" name="category" required><option value="">Choose a reason'
        f"</option>{options['category']}</select></div>"
        f'<div class="field"><label for="reason-{key}">Reason</label>'
        f'<textarea id="reason-{key}" name="reason" rows="2" maxlength="2000" required '
        f'aria-describedby="reason-help-{key}"></textarea>'
        f'<p class="helptext" id="reason-help-{key}">Read by HR and the facilitators; the person '
        "may read it if their rating changes and the company shares that.</p></div>"
        '<div class="form-actions"><button type="submit">Save the move</button></div>'
        "</form></details>"
    )


def _remove_form(row: Row, csrf: str) -> str:
    return (
        f'<form method="post" action="{_e(row.remove_url)}" class="inline">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf)}">'
        f'<button type="submit" class="secondary">Take {_e(row.name)} out of the session'
        "</button></form>"
    )


def _row(row: Row, *, decides: bool, editable: bool, manages: bool, csrf: str, options: Any) -> str:
    """The row's cells (and its forms' row), every value escaped by `_e`."""
    history = _history(row.adjustments) if decides and row.adjustments else ""
    was = (
        f' <span class="pill">was {_e(row.manager_rating)}</span>'
        if row.changed and row.manager_rating is not None
        else ""
    )
    key = _e(row.key)
    name = _e(row.name)
    cells = (
        f'<tr id="entry-{key}" data-entry="{key}"><th scope="row">{name}{history}</th>'
        f"<td>{_e(_or(row.manager_name))}</td>"
        f'<td class="optional">{_e(_or(row.department_name))}</td>'
        f'<td class="optional">{_e(_or(row.level))}</td>'
        f'<td class="optional">{_e(row.tenure_label)}</td>'
        f"<td>{_e(_or(row.manager_rating, 'Not yet'))}</td>"
        f'<td class="optional">{_e(_or(row.self_score))}</td>'
        f'<td class="optional">{_e(_or(row.peer_score))}</td>'
        f'<td class="optional">{_e(_or(row.goals_score))}</td>'
        f'<td class="optional">{_e(_or(row.overall_score))}</td>'
        f"<td><strong>{_e(_or(row.rating))}</strong>{was}</td>"
        f"<td>{_e(_or(row.potential, 'Not set'))}</td></tr>"
    )
    if not (editable or manages):
        return cells
    move = _move_form(row, csrf, options) if editable else ""
    remove = _remove_form(row, csrf) if manages else ""
    return f'{cells}<tr class="calibration-move-row"><td colspan="12">{move}{remove}</td></tr>'


@register.simple_tag(takes_context=True)
def session_rows(context: Any, rows: list[Row]) -> SafeString:
    request = context.get("request")
    csrf = (
        get_token(request)
        if (request is not None and (context.get("editable") or context.get("manages")))
        else ""
    )
    options = {
        "rating": context.get("rating_options", ""),
        "potential": context.get("potential_options", ""),
        "category": context.get("category_options", ""),
    }
    flags = {
        "decides": bool(context.get("decides")),
        "editable": bool(context.get("editable")),
        "manages": bool(context.get("manages")),
    }
    return SafeString("".join(_row(row, csrf=csrf, options=options, **flags) for row in rows))


@register.simple_tag(takes_context=True)
def nine_box_people(context: Any, rows: list[Row]) -> SafeString:
    """The `<li>`s of one box of the 9-box (a person each, draggable when the session is
    editable), built in Python like the table: a 400-person session's boxes through a
    template loop cost it about a tenth of its page time."""
    if not rows:
        return SafeString('<li class="muted nine-box-empty">Nobody</li>')
    editable = bool(context.get("editable"))
    items = []
    for row in rows:
        key, name = _e(row.key), _e(row.name)
        drag = (
            f' draggable="true" data-entry="{key}" data-adjust="{_e(row.adjust_url)}"'
            f' data-rating="{_e("" if row.rating is None else row.rating)}"'
            if editable
            else ""
        )
        items.append(
            f'<li class="nine-box-person"{drag} data-name="{name}"><a href="#entry-{key}">'
            f'{name}</a> <span class="muted">{_e(row.rating)}</span></li>'
        )
    return SafeString("".join(items))
