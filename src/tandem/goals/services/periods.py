"""Periods: the company's goal time frames, counted from the program's switches, plus the
custom periods HR admins add; closing a period ends check-ins on its goals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.access.rules import SYSTEM, require
from tandem.audit.services import record
from tandem.goals.models import Period, PeriodKind
from tandem.program.models import PeriodLength, Program

MONTHS = {PeriodLength.QUARTER: 3, PeriodLength.HALF: 6, PeriodLength.YEAR: 12}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def bounds(day: date, *, length: str, fiscal_start_month: int) -> tuple[str, date, date]:
    """(name, first day, last day) of the period of `length` containing `day`.

    Quarters and halves are counted from the fiscal year's first month. The fiscal year is
    named after the calendar year it starts in; when it does not start in January, names
    say so ("Q1 FY2026") so they cannot be mistaken for calendar quarters."""
    months = MONTHS[PeriodLength(length)]
    fy_year = day.year if day.month >= fiscal_start_month else day.year - 1
    fy_start = date(fy_year, fiscal_start_month, 1)
    elapsed = (day.year - fy_start.year) * 12 + day.month - fy_start.month
    number = elapsed // months
    start = _add_months(fy_start, number * months)
    end = _add_months(start, months) - timedelta(days=1)
    year = f"{fy_year}" if fiscal_start_month == 1 else f"FY{fy_year}"
    if length == PeriodLength.QUARTER:
        name = f"Q{number + 1} {year}"
    elif length == PeriodLength.HALF:
        name = f"H{number + 1} {year}"
    else:
        name = f"FY{fy_year}"
    return name, start, end


def _ensure_one(name: str, kind: str, start: date, end: date) -> Period:
    existing = Period.objects.filter(kind=kind, start_date=start, end_date=end).first()
    if existing is not None:
        return existing
    unique_name = name
    if Period.objects.filter(name=name).exists():
        unique_name = f"{name} (from {start:%d %b %Y})"
    period = Period.objects.create(name=unique_name, kind=kind, start_date=start, end_date=end)
    record(
        actor=SYSTEM,
        kind="goals.period_created",
        obj=period,
        changes={"start_date": start, "end_date": end, "kind": kind},
        note="Created from the program's goal period switches.",
    )
    return period


@transaction.atomic
def ensure_periods(today: date | None = None) -> tuple[Period, Period]:
    """The current and the next period as the program defines them, created when missing.
    Safe to call any number of times."""
    today = today or timezone.localdate()
    program = Program.current()
    length = program.goal_period_length
    month = program.fiscal_year_start_month
    name, start, end = bounds(today, length=length, fiscal_start_month=month)
    current = _ensure_one(name, str(length), start, end)
    name, start, end = bounds(end + timedelta(days=1), length=length, fiscal_start_month=month)
    following = _ensure_one(name, str(length), start, end)
    return current, following


def create_period(*, by: Any, name: str, start_date: date, end_date: date) -> Period:
    """A custom period (a launch sprint, a fiscal exception) HR admins add by hand."""
    require(by, "period.manage")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the period a name, e.g. “Launch sprint 2026”."})
    if start_date > end_date:
        raise ValidationError(
            {
                "end_date": f"The end date ({end_date:%d %b %Y}) is before the start date "
                f"({start_date:%d %b %Y})."
            }
        )
    if Period.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a period named “{name}”."})
    with transaction.atomic():
        period = Period.objects.create(
            name=name[:60], kind=PeriodKind.CUSTOM, start_date=start_date, end_date=end_date
        )
        record(
            actor=by,
            kind="goals.period_created",
            obj=period,
            changes={"start_date": start_date, "end_date": end_date, "kind": PeriodKind.CUSTOM},
        )
    return period


def close_period(*, period: Period, by: Any) -> Period:
    """Close a period: from now on its goals take no check-ins or edits, only scores."""
    require(by, "period.manage", period)
    if period.is_closed:
        raise ValidationError({"period": f"{period.name} is already closed."})
    with transaction.atomic():
        period.closed_at = timezone.now()
        period.save(update_fields=["closed_at"])
        record(actor=by, kind="goals.period_closed", obj=period)
    return period
