"""`{% case_rows group.cases %}`: the rows of the committee view's tables, built in Python.

A promotion window has hundreds of cases side by side; the same markup through template
loops, `{% url %}` and the date filter took most of the page's time at 500 cases (like the
calibration session's rows, `calibration/templatetags/calibration_rows.py`). Everything is
escaped by `format_html`."""

from __future__ import annotations

from datetime import date

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tandem.growth.queries.promotions import CaseRow

register = template.Library()

DASH = "—"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Any id: the case addresses are made from one `reverse` of it.
SAMPLE_ID = 2_147_483_647


def _day(day: date) -> str:
    """The date filter's "j M Y" (9 Jul 2026)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def case_url_maker() -> tuple[str, str]:
    """The case page's address around its id: (before, after)."""
    url = reverse("growth:promotion_case", args=[SAMPLE_ID])
    before, _, after = url.partition(str(SAMPLE_ID))
    return before, after


def _outcome(case: CaseRow) -> SafeString | str:
    if not case.outcome:
        return DASH
    if case.effective_on is None:
        return case.outcome_label
    return format_html(
        '{} <span class="muted">from <time datetime="{}">{}</time></span>',
        case.outcome_label,
        case.effective_on.isoformat(),
        _day(case.effective_on),
    )


def _row(case: CaseRow, url: tuple[str, str]) -> SafeString:
    title = format_html(' <span class="muted">{}</span>', case.title) if case.title else ""
    return format_html(
        '<tr data-case="{pk}"><td><a href="{before}{pk}{after}">{person}</a>{title}</td>'
        "<td>{department}</td><td>{from_level}</td><td>{author}</td>"
        '<td><span class="pill promotion-{status}">{status_label}</span></td>'
        "<td>{outcome}</td></tr>",
        pk=case.pk,
        before=url[0],
        after=url[1],
        person=case.person,
        title=title,
        department=case.department or DASH,
        from_level=case.from_level or DASH,
        author=case.author,
        status=case.status,
        status_label=case.status_label,
        outcome=_outcome(case),
    )


@register.simple_tag
def case_rows(cases: list[CaseRow]) -> SafeString:
    url = case_url_maker()
    return SafeString("\n".join(_row(case, url) for case in cases))
