"""Helpers for the setup tests: a draft cycle that is ready to launch, built through the
services, and a launch that runs the queued task the way the worker would."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from tandem.org.models import Department, Person
from tandem.reviews.models import PHASE_ORDER, Cycle, PhaseKind, QuestionKind, Relationship
from tandem.reviews.services import cycles
from tests.reviews.factories import template_with_questions


def phase_dates(start: date | None = None, *, days: int = 7) -> dict[str, Any]:
    """Back-to-back windows of `days` days, in order, calibration left out."""
    start = start or timezone.localdate()
    dates: dict[str, Any] = {}
    for index, kind in enumerate(k for k in PHASE_ORDER if k != PhaseKind.CALIBRATION):
        opens = start + timedelta(days=index * days)
        dates[kind] = (opens, opens + timedelta(days=days - 1))
    return dates


def draft_cycle(
    by: Person,
    *,
    relationships: Sequence[str] = (Relationship.SELF, Relationship.MANAGER),
    departments: Sequence[Department] = (),
    additions: Sequence[Person] = (),
    kinds: Sequence[str] = (QuestionKind.RATING, QuestionKind.TEXT),
    **settings: Any,
) -> Cycle:
    today = timezone.localdate()
    cycle = cycles.create_cycle(
        by=by,
        name=settings.pop("name", "Spring review"),
        period_start=today - timedelta(days=180),
        period_end=today,
        **settings,
    )
    cycles.set_forms(
        cycle,
        by=by,
        forms={r: template_with_questions(r, kinds=kinds) for r in relationships},
    )
    cycles.set_phases(cycle, by=by, dates=phase_dates())
    cycles.set_participant_rules(
        cycle, by=by, departments=departments, additions=additions, exclude_on_leave=True
    )
    return cycle


def launch(cycle: Cycle, by: Person, capture: Any) -> Cycle:
    """launch_cycle, with the on-commit task run (ImmediateBackend runs it at once)."""
    with capture(execute=True):
        cycles.launch_cycle(cycle, by=by)
    cycle.refresh_from_db()
    return cycle


def edit_page_data(cycle: Cycle, **changes: Any) -> dict[str, Any]:
    """What the cycle's set-up page posts when HR changes nothing but `changes` (field
    names as the page has them: "settings-use_for", "forms-manager"…): every part of the
    one form, filled in with the cycle as it is, the way a browser sends it."""
    from django import forms

    from tandem.reviews.views.setup import _cycle_forms

    data: dict[str, Any] = {}
    for form in _cycle_forms(cycle).values():
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            elif isinstance(value, date):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = "" if value is None else str(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
