"""Building blocks shared by the goal services: progress upkeep and honest history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from tandem.goals import progress, tally
from tandem.goals.models import Goal, GoalChange, KeyResult, KeyResultKind

# Changes to these count as "churn" when made after the period started: the goal moved
# while people were already working towards it.
CHURN_FIELDS = frozenset(
    {"target_value", "start_value", "stretch_value", "period", "start_date", "end_date"}
)


def key_result_progress(
    key_result: KeyResult, *, milestones_done: int = 0, total: int = 0
) -> Decimal:
    if key_result.kind == KeyResultKind.MILESTONES:
        return progress.milestones(milestones_done, total)
    return progress.linear(
        start=key_result.start_value,
        target=key_result.target_value,
        current=key_result.current_value,
    )


def refresh_progress(goal: Goal) -> Goal:
    """Recompute every key result's progress and the goal's, in a fixed number of queries."""
    key_results = list(goal.key_results.prefetch_related("milestones"))
    changed = []
    for key_result in key_results:
        steps = list(key_result.milestones.all())
        value = key_result_progress(
            key_result,
            milestones_done=sum(1 for m in steps if m.done_at is not None),
            total=len(steps),
        )
        if value != key_result.progress:
            key_result.progress = value
            changed.append(key_result)
    if changed:
        KeyResult.objects.bulk_update(changed, ["progress"])
    goal.progress = progress.goal_progress(
        [(kr.progress, kr.weight) for kr in key_results], goal.manual_progress
    )
    goal.save(update_fields=["progress", "updated_at"])
    return goal


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:300]


def record_change(
    *,
    goal: Goal,
    field: str,
    old: Any,
    new: Any,
    by: Any,
    reason: str = "",
    key_result: KeyResult | None = None,
) -> GoalChange | None:
    """Keep one change in the goal's history; count it as churn when it moved a target or a
    date after the period began. Returns None when nothing changed."""
    if _plain(old) == _plain(new):
        return None
    counts = field in CHURN_FIELDS and timezone.localdate() > goal.period.start_date
    change = GoalChange.objects.create(
        goal=goal,
        key_result=key_result,
        by=by if getattr(by, "pk", None) else None,
        field=field,
        old=_plain(old),
        new=_plain(new),
        reason=reason[:500],
        counts_as_churn=counts,
    )
    if counts:
        with tally.counting(owners=[goal.owner_id], periods=[goal.period_id]):
            Goal.objects.filter(pk=goal.pk).update(churn=F("churn") + 1)
        goal.churn += 1
    return change
