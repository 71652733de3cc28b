"""The period a goals matrix module builds its goals in, and removing those goals and the
period again (the org itself is torn down by matrix.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tandem.goals.models import Goal, Period
from tests.access.matrix import Org
from tests.goals.factories import _this_quarter

PERIOD = "goals_period"  # org.extras[PERIOD]: a period the module made, to remove at the end


def own_period(org: Org, name: str) -> Period:
    """A period of the module's own, around today."""
    today = timezone.localdate()
    period = Period.objects.create(
        name=name,
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=60),
    )
    org.extras[PERIOD] = period
    return period


def this_quarter(org: Org) -> Period:
    """The period of this quarter (what the goal pages show by default); made if there is
    none yet, and then removed at the end."""
    start, end = _this_quarter()
    period, made = Period.objects.get_or_create(
        kind="quarter",
        start_date=start,
        end_date=end,
        defaults={"name": f"Matrix quarter {start}"},
    )
    if made:
        org.extras[PERIOD] = period
    return period


def delete_goals(org: Org) -> None:
    """The cast's goals (children first), then the period the module made, if it made one."""
    goals = Goal.objects.filter(owner__in=org.everyone)
    goals.filter(parent__isnull=False).delete()
    goals.delete()
    if PERIOD in org.extras:
        Period.objects.filter(pk=org.extras[PERIOD].pk, goals__isnull=True).delete()
