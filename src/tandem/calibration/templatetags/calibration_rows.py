"""`{% session_rows rows %}`: the body of a calibration session's table, built in Python.

A session discusses up to a few hundred people and each row carries its "Move" form; the
same markup through template loops and filters took most of the page's time at 200 people
(like the bar charts, `core/templatetags/tandem_charts.py`). Everything is escaped by
`format_html`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tandem.calibration.models import AdjustedField, Adjustment, ReasonCategory
from tandem.calibration.queries import Row

register = template.Library()

DASH = "—"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _or(value: Any, fallback: str = DASH) -> Any:
    return fallback if value is None or value == "" else value


CATEGORY_WORDS = {value: label.lower() for value, label in ReasonCategory.choices}


def _when(moment: datetime) -> str:
    """ "4 Dec, 09:30" in the reader's zone: Django's date format would cost a session of
    hundreds of changes a third of its page time, for English month abbreviations."""
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]}, {local:%H:%M}"


def _history(adjustments: list[Adjustment]) -> SafeString:
    items = format_html_join(
        "",
        '<li><time datetime="{}">{}</time> · {}: {} {} → {} ({}). “{}”</li>',
        (
            (
                a.made_at.isoformat(),
                _when(a.made_at),
                a.made_by if a.made_by is not None else "Someone who left",
                "performance rating" if a.field == AdjustedField.RATING else "potential",
                _or(a.old_value),
                a.new_value,
                CATEGORY_WORDS.get(a.category, a.category),
                a.reason,
            )
            for a in adjustments
        ),
    )
    return format_html(
        '<details class="calibration-history"><summary>History ({})</summary><ol>{}</ol></details>',
        len(adjustments),
        items,
    )


def _move_form(row: Row, csrf: str, options: dict[str, SafeString]) -> SafeString:
    key = row.key
    return format_html(
        '<details class="calibration-move"><summary>Move {name}</summary>'
        '<form method="post" action="{action}" class="calibration-move-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<div class="field"><label for="rating-{key}">Rating</label>'
        '<select id="rating-{key}" name="rating"><option value="">Unchanged ({rating})</option>'
        "{ratings}</select></div>"
        '<div class="field"><label for="potential-{key}">Potential</label>'
        '<select id="potential-{key}" name="potential"><option value="">Unchanged ({potential})'
        "</option>{potentials}</select></div>"
        '<div class="field"><label for="category-{key}">Why, in a word</label>'
        '<select id="category-{key}" name="category" required><option value="">Choose a reason'
        "</option>{categories}</select></div>"
        '<div class="field"><label for="reason-{key}">Reason</label>'
        '<textarea id="reason-{key}" name="reason" rows="2" maxlength="2000" required '
        'aria-describedby="reason-help-{key}"></textarea>'
        '<p class="helptext" id="reason-help-{key}">Read by HR and the facilitators; the person '
        "may read it if their rating changes and the company shares that.</p></div>"
        '<div class="form-actions"><button type="submit">Save the move</button></div>'
        "</form></details>",
        name=row.name,
        action=row.adjust_url,
        csrf=csrf,
        key=key,
        rating=_or(row.rating, "none"),
        potential=_or(row.potential, "not set"),
        ratings=options["rating"],
        potentials=options["potential"],
        categories=options["category"],
    )


def _remove_form(row: Row, csrf: str) -> SafeString:
    return format_html(
        '<form method="post" action="{}" class="inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="secondary">Take {} out of the session</button></form>',
        row.remove_url,
        csrf,
        row.name,
    )


def _row(row: Row, *, decides: bool, editable: bool, manages: bool, csrf: str, options: Any) -> str:
    history = _history(row.adjustments) if decides and row.adjustments else ""
    was = (
        format_html(' <span class="pill">was {}</span>', row.manager_rating)
        if row.changed and row.manager_rating is not None
        else ""
    )
    cells = format_html(
        '<tr id="entry-{key}" data-entry="{key}"><th scope="row">{name}{history}</th>'
        "<td>{manager}</td>"
        '<td class="optional">{department}</td><td class="optional">{level}</td>'
        '<td class="optional">{tenure}</td><td>{manager_rating}</td>'
        '<td class="optional">{own}</td><td class="optional">{peers}</td>'
        '<td class="optional">{goals}</td><td class="optional">{overall}</td>'
        "<td><strong>{rating}</strong>{was}</td><td>{potential}</td></tr>",
        key=row.key,
        name=row.name,
        history=history,
        manager=_or(row.manager_name),
        department=_or(row.department_name),
        level=_or(row.level),
        tenure=row.tenure_label,
        manager_rating=_or(row.manager_rating, "Not yet"),
        own=_or(row.self_score),
        peers=_or(row.peer_score),
        goals=_or(row.goals_score),
        overall=_or(row.overall_score),
        rating=_or(row.rating),
        was=was,
        potential=_or(row.potential, "Not set"),
    )
    if not (editable or manages):
        return cells
    move = _move_form(row, csrf, options) if editable else ""
    remove = _remove_form(row, csrf) if manages else ""
    return cells + format_html(
        '<tr class="calibration-move-row"><td colspan="12">{}{}</td></tr>', move, remove
    )


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
