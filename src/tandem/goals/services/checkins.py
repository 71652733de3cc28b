"""Check-ins: an owner's dated update on a goal, and a person's weekly priorities.

A goal check-in sets new key-result values (numbers, yes/no, milestones ticked), a health
status and a confidence. Value changes are progress, not churn: they are kept on the
check-in itself (old → new), never counted as the goal moving under people's feet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.goals.models import (
    CheckIn,
    Goal,
    GoalState,
    Health,
    KeyResult,
    KeyResultKind,
    Milestone,
    Priority,
    WeeklyCheckIn,
)
from tandem.goals.queries.checkins import linkable_goals
from tandem.goals.services._common import record_change, refresh_progress

MAX_CONFIDENCE = 10
MAX_PRIORITIES = 20
# KeyResult values are DecimalField(max_digits=18, decimal_places=4).
MAX_VALUE = Decimal("99999999999999")
NOTE_LIMIT = 5000


def kr_field(key_result_id: int) -> str:
    """The field name a key result's new value is reported under (forms use it too)."""
    return f"kr_{key_result_id}"


def _number(value: Any, *, field: str, label: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"{label}: enter a number, like 42 or 3.5."}) from None
    if not number.is_finite():
        raise ValidationError({field: f"{label}: enter a number, like 42 or 3.5."})
    if abs(number) > MAX_VALUE:
        raise ValidationError({field: f"{label}: that number is too large."})
    return number.quantize(Decimal("0.0001"))


def _confidence(value: Any) -> int:
    message = f"Confidence is a whole number from 0 (no chance) to {MAX_CONFIDENCE} (certain)."
    if isinstance(value, bool):
        raise ValidationError({"confidence": message})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"confidence": message}) from None
    if not 0 <= number <= MAX_CONFIDENCE:
        raise ValidationError({"confidence": message})
    return number


def _boolean_value(key_result: KeyResult, value: Any) -> Decimal:
    """Yes/no key results take True/False (or 1/0): done means the target is reached."""
    if isinstance(value, bool):
        done = value
    elif isinstance(value, int | Decimal) and value in (
        key_result.target_value,
        key_result.start_value,
        0,
        1,
    ):
        done = value == key_result.target_value or (value == 1 and key_result.start_value != 1)
    else:
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on", "done"}:
            done = True
        elif text in {"0", "false", "no", "off", "", "not done"}:
            done = False
        else:
            raise ValidationError(
                {kr_field(key_result.pk): f"{key_result.title}: answer done or not done."}
            )
    return key_result.target_value if done else key_result.start_value


def refuse_if_closed(goal: Goal) -> None:
    """Check-ins end when the goal or its period is closed; the message names which."""
    if goal.period.is_closed:
        raise ValidationError(
            {
                "period": f"{goal.period.name} is closed: its goals take no more check-ins, "
                "only a score and a reflection."
            }
        )
    if goal.state == GoalState.CLOSED:
        raise ValidationError(
            {"goal": "This goal is closed: it takes no more check-ins. Its score is final."}
        )


def post_checkin(
    *,
    goal: Goal,
    by: Any,
    health: str,
    confidence: Any,
    note: str = "",
    values: Mapping[int, Any] | None = None,
    milestones_done: Iterable[int] = (),
    milestones_undone: Iterable[int] = (),
    at: datetime | None = None,
) -> CheckIn:
    """Post a check-in on `goal` as `by` (its owner, or someone above them).

    `values` maps key-result ids to their new value (a number; True/False for yes/no key
    results). `milestones_done` are milestone ids ticked in this check-in,
    `milestones_undone` ones un-ticked; milestones not named keep their state. Key results
    left out keep their value. `at` backdates the check-in (demo data only).
    """
    require(by, "goal.view", goal)
    require(by, "goal.edit", goal)
    values = dict(values or {})
    done_ids = set(milestones_done)
    undone_ids = set(milestones_undone)
    if health not in Health.values:
        raise ValidationError(
            {"health": "Choose a status: " + ", ".join(label for _, label in Health.choices) + "."}
        )
    level = _confidence(confidence)
    note = note or ""
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": f"Keep the note under {NOTE_LIMIT} characters."})
    if done_ids & undone_ids:
        raise ValidationError({"milestones": "A milestone cannot be both done and not done."})

    with transaction.atomic():
        locked = Goal.objects.select_for_update().select_related("period").get(pk=goal.pk)
        refuse_if_closed(locked)
        key_results = {kr.pk: kr for kr in locked.key_results.all()}
        unknown = [k for k in values if k not in key_results]
        if unknown:
            raise ValidationError({"values": "A key result in this check-in is not on this goal."})
        steps = {
            m.pk: m
            for m in Milestone.objects.filter(key_result__goal=locked).select_related("key_result")
        }
        if (done_ids | undone_ids) - set(steps):
            raise ValidationError(
                {"milestones": "A milestone in this check-in is not on this goal."}
            )

        changes: list[dict[str, Any]] = []
        changed_krs: list[KeyResult] = []
        for kr_id, raw in values.items():
            key_result = key_results[kr_id]
            if key_result.kind == KeyResultKind.MILESTONES:
                continue  # milestone key results move through their steps only
            if key_result.kind == KeyResultKind.BOOLEAN:
                new = _boolean_value(key_result, raw)
            else:
                new = _number(raw, field=kr_field(kr_id), label=key_result.title)
            old = key_result.current_value
            if new != old:
                key_result.current_value = new
                changed_krs.append(key_result)
                changes.append(
                    {
                        "key_result": kr_id,
                        "title": key_result.title,
                        "old": _shown(key_result, old),
                        "new": _shown(key_result, new),
                    }
                )
        now = at or timezone.now()
        changed_steps: list[Milestone] = []
        for step_id in sorted(done_ids | undone_ids):
            step = steps[step_id]
            was_done = step.done_at is not None
            if step_id in done_ids and not was_done:
                step.done_at = now
            elif step_id in undone_ids and was_done:
                step.done_at = None
            else:
                continue
            changed_steps.append(step)
            changes.append(
                {
                    "key_result": step.key_result_id,
                    "milestone": step_id,
                    "title": f"{step.key_result.title}: {step.title}",
                    "old": "done" if was_done else "not done",
                    "new": "not done" if was_done else "done",
                }
            )
        if changed_krs:
            KeyResult.objects.bulk_update(changed_krs, ["current_value"])
        if changed_steps:
            Milestone.objects.bulk_update(changed_steps, ["done_at"])
        refresh_progress(locked)

        old_health = locked.health
        locked.health = health
        latest = locked.last_checkin_at
        locked.last_checkin_at = now if latest is None or now > latest else latest
        locked.save(update_fields=["health", "last_checkin_at", "updated_at"])
        # The status joins the goal's history (never churn); values stay on the check-in.
        record_change(goal=locked, field="health", old=old_health, new=health, by=by)
        checkin = CheckIn.objects.create(
            goal=locked,
            author=by if getattr(by, "pk", None) else None,
            created_at=now,
            health=health,
            confidence=level,
            note=note,
            progress=locked.progress,
            values=changes,
        )
        record(
            actor=by,
            kind="goals.checkin",
            obj=checkin,
            subject=locked.owner,
            object_label=f"Check-in on “{locked.title}”",
            changes={
                "health": health,
                "confidence": level,
                "progress": locked.progress,
                "values": [f"{c['title']}: {c['old']} → {c['new']}" for c in changes],
            },
        )
    goal.progress = locked.progress
    goal.health = locked.health
    goal.last_checkin_at = locked.last_checkin_at
    return checkin


def _shown(key_result: KeyResult, value: Decimal) -> str:
    if key_result.kind == KeyResultKind.BOOLEAN:
        return "done" if value == key_result.target_value else "not done"
    text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text or "0"


# --- Weekly check-ins ------------------------------------------------------------------


PriorityInput = Sequence[Any]  # (title, goal_id | None) or (title, goal_id | None, carried_from)


def save_weekly_checkin(
    *,
    person: Any,
    by: Any,
    week_start: date,
    priorities: Sequence[PriorityInput] = (),
    done: Mapping[int, bool | None] | None = None,
    carry_over: Iterable[int] = (),
    note: str = "",
    at: datetime | None = None,
) -> WeeklyCheckIn:
    """Save `person`'s check-in for the week starting `week_start` (a Monday).

    `priorities` is the full list for the week, in order: (title, goal id or None for "not
    linked"), optionally with a third item, the id of last week's priority it continues.
    `done` marks last week's priorities done (True) or not done (False).
    `carry_over` names last week's priorities to carry into this week as new priorities
    linked back to them (skipped when already carried)."""
    require(by, "goal.weekly_edit", person)
    if not isinstance(week_start, date) or week_start.weekday() != 0:
        raise ValidationError({"week_start": "A week starts on a Monday."})
    note = note or ""
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": f"Keep the note under {NOTE_LIMIT} characters."})
    done = dict(done or {})
    carry_ids = list(dict.fromkeys(carry_over))
    previous_start = week_start - timedelta(days=7)

    cleaned: list[tuple[str, int | None, int | None]] = []
    for index, item in enumerate(priorities):
        title = str(item[0] if len(item) > 0 else "").strip()
        goal_id = item[1] if len(item) > 1 else None
        carried_from = item[2] if len(item) > 2 else None
        if not title:
            raise ValidationError({f"priority_{index}_title": "Write what the priority is."})
        if len(title) > 200:
            raise ValidationError(
                {f"priority_{index}_title": "Keep a priority under 200 characters."}
            )
        cleaned.append((title, goal_id, carried_from))

    with transaction.atomic():
        last_week = list(
            Priority.objects.filter(
                checkin__person=person, checkin__week_start=previous_start
            ).select_related("goal")
        )
        last_by_id = {p.pk: p for p in last_week}
        if set(done) - set(last_by_id):
            raise ValidationError({"done": "Only last week's priorities can be marked done."})
        if set(carry_ids) - set(last_by_id):
            raise ValidationError({"carry": "Only last week's priorities can be carried over."})
        already = {c for _, _, c in cleaned if c is not None}
        if already - set(last_by_id):
            raise ValidationError({"carry": "Only last week's priorities can be carried over."})
        for carried_id in carry_ids:
            if carried_id not in already:
                source = last_by_id[carried_id]
                cleaned.append((source.title, source.goal_id, carried_id))
                already.add(carried_id)
        if not cleaned:
            raise ValidationError(
                {
                    "priorities": "List at least one priority for the week (link it to a goal "
                    "if it serves one)."
                }
            )
        if len(cleaned) > MAX_PRIORITIES:
            raise ValidationError(
                {"priorities": f"List at most {MAX_PRIORITIES} priorities: the few that matter."}
            )
        allowed = set(linkable_goals(person, week_start).values_list("pk", flat=True))
        for index, (_, goal_id, carried_from) in enumerate(cleaned):
            if goal_id is not None and goal_id not in allowed:
                if carried_from is not None:
                    # A carried priority whose goal has since closed carries over unlinked.
                    cleaned[index] = (cleaned[index][0], None, carried_from)
                    continue
                raise ValidationError(
                    {
                        f"priority_{index}_goal": "Link a priority to one of your current "
                        "goals, or choose “not linked”."
                    }
                )

        checkin, _ = WeeklyCheckIn.objects.select_for_update().get_or_create(
            person=person, week_start=week_start
        )
        before = list(checkin.priorities.values_list("title", "goal_id", "carried_from_id"))
        checkin.priorities.all().delete()
        Priority.objects.bulk_create(
            [
                Priority(
                    checkin=checkin,
                    title=title,
                    goal_id=goal_id,
                    carried_from_id=carried_from,
                    position=position,
                )
                for position, (title, goal_id, carried_from) in enumerate(cleaned)
            ]
        )
        marked = []
        for priority_id, value in done.items():
            priority = last_by_id[priority_id]
            state = None if value is None else bool(value)
            if priority.done != state:
                priority.done = state
                marked.append(priority)
        if marked:
            Priority.objects.bulk_update(marked, ["done"])
        checkin.note = note
        checkin.submitted_at = at or timezone.now()
        checkin.save(update_fields=["note", "submitted_at"])
        after = [(t, g, c) for t, g, c in cleaned]
        record(
            actor=by,
            kind="goals.weekly_checkin",
            obj=checkin,
            subject=person,
            object_label=f"Weekly check-in, week of {week_start:%d %b %Y}",
            changes={
                "priorities": [len(before), len(after)],
                "linked": sum(1 for _, g, _ in after if g is not None),
                "carried": sum(1 for _, _, c in after if c is not None),
                "marked": {str(p.pk): p.done for p in marked},
            },
        )
    return checkin
