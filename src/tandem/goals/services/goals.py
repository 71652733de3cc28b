"""Every write to goals and their key results: create, edit, align, bulk-assign, close,
comment. One transaction each, the permission check, honest history, the audit record.

Bad input raises ValidationError keyed by the field it is about, before anything is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import actor_for, can, require
from tandem.audit.services import record
from tandem.goals import progress, scoring, tally
from tandem.goals.models import (
    LEVEL_RANK,
    Goal,
    GoalComment,
    GoalLevel,
    GoalState,
    Health,
    KeyResult,
    KeyResultKind,
    Milestone,
    Period,
    Visibility,
    new_assignment_key,
)
from tandem.goals.queries import goals as queries
from tandem.goals.services._common import key_result_progress, record_change, refresh_progress
from tandem.notifications.services import notify
from tandem.org import tree
from tandem.org.models import Department, Person, PersonStatus
from tandem.program.models import Program

MAX_DEPTH = 12
MAX_BULK = 5000
MAX_MENTIONS = 20
GOAL_FIELDS = (
    "title",
    "description",
    "owner",
    "period",
    "department",
    "visibility",
    "manual_progress",
    "health",
)
KEY_RESULT_FIELDS = (
    "title",
    "kind",
    "unit",
    "start_value",
    "target_value",
    "stretch_value",
    "current_value",
    "weight",
)
# Fields kept by id in the history, so the timeline can hide what a viewer may not see.
BY_ID = {"owner", "period", "department", "parent"}


# --- Validation helpers ------------------------------------------------------------------


def to_decimal(value: Any, field: str, *, label: str, required: bool = True) -> Decimal | None:
    """A number from a form or a caller, or a ValidationError naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError({field: f"{label}: enter a number."})
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"{label}: “{value}” is not a number."}) from None
    if not number.is_finite():
        raise ValidationError({field: f"{label}: “{value}” is not a number."})
    if abs(number) >= Decimal("1e14"):
        raise ValidationError({field: f"{label}: {value} is too large."})
    return number


def ensure_open(goal: Goal) -> None:
    """Refuse changes and check-ins on a closed goal or a goal in a closed period."""
    if goal.state == GoalState.CLOSED:
        raise ValidationError(
            {"state": f"“{goal.title}” is closed and scored; it takes no more changes."}
        )
    if goal.period.is_closed:
        raise ValidationError(
            {
                "period": f"{goal.period.name} is closed: its goals take no more check-ins or "
                "changes, only scores."
            }
        )


def _check_period(period: Period) -> None:
    if period.is_closed:
        raise ValidationError(
            {"period": f"{period.name} is closed; choose a period that is still open."}
        )


def _check_visibility(visibility: str, level: str) -> None:
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": "Choose who may see this goal."})
    if visibility == Visibility.PRIVATE:
        if level == GoalLevel.COMPANY:
            raise ValidationError(
                {"visibility": "Company goals are visible to everyone; they cannot be private."}
            )
        if not Program.current().private_goals_allowed:
            raise ValidationError(
                {"visibility": "The company's program does not allow private goals."}
            )


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Give the goal a title: what do you want to achieve?"})
    if len(title) > 200:
        raise ValidationError({"title": "Keep the title under 200 characters."})
    return title


def _check_parent(goal_level: str, parent: Goal, *, by: Any, goal: Goal | None = None) -> None:
    require(by, "goal.view", parent)
    if goal is not None and goal.pk is not None:
        if parent.pk == goal.pk:
            raise ValidationError({"parent": "A goal cannot align to itself."})
        if goal.path and parent.path.startswith(goal.path):
            raise ValidationError(
                {
                    "parent": f"“{parent.title}” is aligned under “{goal.title}”; aligning "
                    "to it would make a loop."
                }
            )
    if LEVEL_RANK[GoalLevel(parent.level)] > LEVEL_RANK[GoalLevel(goal_level)]:
        raise ValidationError(
            {
                "parent": f"A {GoalLevel(goal_level).label.lower()} can align to a goal of the "
                f"same or a wider scope, not to a {GoalLevel(parent.level).label.lower()}."
            }
        )
    if parent.state == GoalState.CLOSED:
        raise ValidationError({"parent": f"“{parent.title}” is closed; align to an open goal."})
    if parent.depth + 1 >= MAX_DEPTH:
        raise ValidationError({"parent": "The alignment chain is too deep to add to."})


def _require_create(by: Any, level: str, owner: Person, department: Department | None) -> None:
    if level == GoalLevel.COMPANY:
        require(by, "goal.create_company")
    elif level == GoalLevel.TEAM:
        require(by, "goal.create_team", department)
    else:
        require(by, "goal.create_for", owner)


def _clean_key_result(spec: Mapping[str, Any], *, existing: KeyResult | None = None) -> dict:
    """A key result's fields, checked: names the field of the first problem."""
    unknown = set(spec) - {*KEY_RESULT_FIELDS, "milestones"}
    if unknown:
        raise TypeError(f"unknown key result fields: {sorted(unknown)}")

    def pick(name: str, default: Any) -> Any:
        if name in spec:
            return spec[name]
        return getattr(existing, name) if existing is not None else default

    title = (pick("title", "") or "").strip()
    if not title:
        raise ValidationError({"title": "Key result: give it a title (what will be measured)."})
    kind = pick("kind", KeyResultKind.NUMBER)
    if kind not in KeyResultKind.values:
        raise ValidationError({"kind": "Choose what kind of key result this is."})
    weight = to_decimal(pick("weight", 1), "weight", label="Weight")
    assert weight is not None
    if weight < 0:
        raise ValidationError({"weight": "Weight: a weight cannot be negative."})
    if weight > 1000:
        raise ValidationError({"weight": "Weight: use a number up to 1000."})
    fields: dict[str, Any] = {
        "title": title[:200],
        "kind": kind,
        "unit": (pick("unit", "") or "").strip()[:20],
        "weight": weight,
        "stretch_value": None,
    }
    if kind == KeyResultKind.BOOLEAN:
        current = to_decimal(pick("current_value", 0), "current_value", label="Current value")
        fields.update(
            start_value=Decimal(0),
            target_value=Decimal(1),
            current_value=Decimal(1) if current else Decimal(0),
        )
        return fields
    if kind == KeyResultKind.MILESTONES:
        fields.update(start_value=Decimal(0), current_value=Decimal(0))
        return fields
    start = to_decimal(pick("start_value", 0), "start_value", label="Start value")
    target = to_decimal(pick("target_value", None), "target_value", label="Target")
    assert start is not None and target is not None
    if target == start:
        raise ValidationError(
            {
                "target_value": f"Target: it equals the start value ({start.normalize()}); "
                "a key result must move from its start to a different target."
            }
        )
    stretch = to_decimal(
        pick("stretch_value", None), "stretch_value", label="Stretch target", required=False
    )
    if stretch is not None and (stretch - target) * (target - start) <= 0:
        raise ValidationError(
            {
                "stretch_value": "Stretch target: it must lie beyond the target, further from "
                "the start."
            }
        )
    current = to_decimal(
        pick("current_value", None), "current_value", label="Current value", required=False
    )
    fields.update(
        start_value=start,
        target_value=target,
        stretch_value=stretch,
        current_value=start if current is None else current,
    )
    return fields


def _milestone_titles(spec: Mapping[str, Any]) -> list[str]:
    titles = [str(t).strip()[:200] for t in spec.get("milestones") or () if str(t).strip()]
    if spec.get("kind") == KeyResultKind.MILESTONES and not titles:
        raise ValidationError({"milestones": "Milestones: list at least one step."})
    return titles


def _set_path(goal: Goal, parent: Goal | None) -> None:
    goal.path = tree.path_for(parent.path if parent else None, goal.pk)
    goal.depth = tree.depth_of(goal.path)
    goal.root_id = (parent.root_id or parent.pk) if parent else goal.pk


def _kr_progress(fields: Mapping[str, Any], milestones: int) -> Decimal:
    probe = KeyResult(**{k: v for k, v in fields.items() if k != "milestones"})
    return key_result_progress(probe, milestones_done=0, total=milestones)


# --- Goals ---------------------------------------------------------------------------------


def create_goal(
    *,
    by: Any,
    title: str,
    level: str,
    owner: Person,
    period: Period,
    parent: Goal | None = None,
    department: Department | None = None,
    description: str = "",
    visibility: str = Visibility.PUBLIC,
    manual_progress: Any = None,
    key_results: Iterable[Mapping[str, Any]] = (),
) -> Goal:
    """A new goal for `owner` in `period`, optionally aligned to `parent` and with key
    results ({title, kind, unit, start_value, target_value, stretch_value, current_value,
    weight, milestones: [titles]})."""
    if level not in GoalLevel.values:
        raise ValidationError({"level": "Choose a company, team or individual goal."})
    if level == GoalLevel.TEAM and department is None:
        department = owner.department
    _require_create(by, level, owner, department)
    title = _check_title(title)
    _check_period(period)
    _check_visibility(visibility, level)
    if owner.status == PersonStatus.LEFT:
        raise ValidationError({"owner": f"{owner.display_name} has left the company."})
    manual = to_decimal(manual_progress, "manual_progress", label="Progress", required=False)
    if manual is not None and not 0 <= manual <= 1:
        raise ValidationError({"manual_progress": "Progress: enter a share from 0 to 1."})
    if parent is not None:
        _check_parent(level, parent, by=by)
    specs = [(_clean_key_result(spec), _milestone_titles(spec)) for spec in key_results]

    with transaction.atomic(), tally.counting(owners=[owner.pk], periods=[period.pk]):
        goal = Goal.objects.create(
            title=title,
            description=(description or "").strip(),
            level=level,
            owner=owner,
            department=department if level != GoalLevel.COMPANY else None,
            period=period,
            parent=parent,
            visibility=visibility,
            manual_progress=manual,
            created_by=by if getattr(by, "pk", None) else None,
        )
        _set_path(goal, parent)
        goal.save(update_fields=["path", "depth", "root"])
        for position, (fields, titles) in enumerate(specs):
            key_result = KeyResult.objects.create(goal=goal, position=position, **fields)
            if titles:
                _create_milestones(key_result, titles)
        refresh_progress(goal)
        record(
            actor=by,
            kind="goal.created",
            obj=goal,
            subject=owner,
            changes={
                "level": level,
                "period": period.name,
                "parent": parent.pk if parent else None,
                "visibility": visibility,
                "key_results": len(specs),
            },
        )
    return goal


def _create_milestones(key_result: KeyResult, titles: Sequence[str]) -> None:
    Milestone.objects.bulk_create(
        [Milestone(key_result=key_result, title=t, position=i) for i, t in enumerate(titles)]
    )
    key_result.target_value = Decimal(len(titles))
    key_result.save(update_fields=["target_value"])


def _stored(field: str, value: Any) -> Any:
    if field in BY_ID:
        return getattr(value, "pk", value)
    return value


def update_goal(*, goal: Goal, by: Any, reason: str = "", **fields: Any) -> Goal:
    """Change a goal's title, description, owner, period, department, visibility, manual
    progress or health (status). `parent` is passed on to align_goal. Every change lands in
    the goal's history with `reason`; target and date changes after the period started
    count as churn."""
    require(by, "goal.edit", goal)
    parent_given = "parent" in fields
    new_parent = fields.pop("parent", None)
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"update_goal() got unknown fields: {sorted(unknown)}")
    ensure_open(goal)
    if "title" in fields:
        fields["title"] = _check_title(fields["title"])
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "period" in fields:
        _check_period(fields["period"])
    if "visibility" in fields:
        _check_visibility(fields["visibility"], goal.level)
    if "health" in fields and fields["health"] and fields["health"] not in Health.values:
        raise ValidationError({"health": "Choose on track, at risk or off track."})
    if "manual_progress" in fields:
        manual = to_decimal(
            fields["manual_progress"], "manual_progress", label="Progress", required=False
        )
        if manual is not None and not 0 <= manual <= 1:
            raise ValidationError({"manual_progress": "Progress: enter a share from 0 to 1."})
        fields["manual_progress"] = manual
    new_owner = fields.get("owner")
    if new_owner is not None and new_owner.pk != goal.owner_id:
        if new_owner.status == PersonStatus.LEFT:
            raise ValidationError({"owner": f"{new_owner.display_name} has left the company."})
        if goal.level == GoalLevel.INDIVIDUAL and not can(by, "goal.create_for", new_owner):
            raise ValidationError({"owner": f"You cannot give goals to {new_owner.display_name}."})
    if "owner" in fields and fields["owner"] is None:
        raise ValidationError({"owner": "A goal needs an owner."})

    new_period = fields.get("period")
    with transaction.atomic():
        counted = tally.counting(
            owners=[goal.owner_id, new_owner.pk if new_owner else None],
            periods=[goal.period_id, new_period.pk if new_period else None],
        )
        with counted:
            changed: list[str] = []
            audit: dict[str, list[Any]] = {}
            for field, value in fields.items():
                old = getattr(goal, field)
                old_stored, new_stored = _stored(field, old), _stored(field, value)
                if old_stored == new_stored or (
                    old_stored in (None, "") and new_stored in (None, "")
                ):
                    continue
                record_change(
                    goal=goal, field=field, old=old_stored, new=new_stored, by=by, reason=reason
                )
                setattr(goal, field, value)
                changed.append(field)
                audit[field] = [str(old_stored or ""), str(new_stored or "")]
            if changed:
                goal.save(update_fields=[*changed, "updated_at"])
                if "manual_progress" in changed:
                    refresh_progress(goal)
                record(
                    actor=by,
                    kind="goal.updated",
                    obj=goal,
                    subject=goal.owner,
                    changes=audit,
                    note=reason,
                )
        if parent_given and new_parent != goal.parent:
            align_goal(goal=goal, parent=new_parent, by=by, reason=reason)
    return goal


def align_goal(*, goal: Goal, parent: Goal | None, by: Any, reason: str = "") -> Goal:
    """Align `goal` (and everything aligned under it) to `parent`, or make it stand alone."""
    require(by, "goal.edit", goal)
    ensure_open(goal)
    if parent is not None:
        _check_parent(goal.level, parent, by=by, goal=goal)
    if (parent.pk if parent else None) == goal.parent_id:
        return goal
    with transaction.atomic():
        old_parent_id = goal.parent_id
        old_path = goal.path
        goal.parent = parent
        _set_path(goal, parent)
        deepest = (
            Goal.objects.filter(path__startswith=old_path)
            .order_by("-depth")
            .values_list("depth", flat=True)
            .first()
        )
        if deepest is not None and deepest - tree.depth_of(old_path) + goal.depth >= MAX_DEPTH:
            raise ValidationError({"parent": "The alignment chain would become too deep."})
        goal.save(update_fields=["parent", "updated_at"])
        # The subtree's root moves: the tally follows its owners (or, for a subtree of
        # many owners, recounts its periods and departments).
        moving = Goal.objects.filter(path__startswith=old_path).order_by()
        owners = set(moving.values_list("owner_id", flat=True).distinct()[: tally.MANY_OWNERS + 1])
        periods = set(moving.values_list("period_id", flat=True).distinct())
        moved = Goal.objects.filter(path__startswith=goal.path)
        if len(owners) > tally.MANY_OWNERS:
            tree.move_subtree(Goal, old_path=old_path, new_path=goal.path)
            moved.update(root_id=goal.root_id)
            tally.refresh_goals(moved.values_list("pk"))
        else:
            with tally.counting(owners=owners, periods=periods):
                tree.move_subtree(Goal, old_path=old_path, new_path=goal.path)
                moved.update(root_id=goal.root_id)
        record_change(
            goal=goal, field="parent", old=old_parent_id, new=goal.parent_id, by=by, reason=reason
        )
        record(
            actor=by,
            kind="goal.aligned",
            obj=goal,
            subject=goal.owner,
            changes={"parent": [old_parent_id, goal.parent_id]},
            note=reason,
        )
    return goal


# --- Key results and milestones -------------------------------------------------------------


def add_key_result(*, goal: Goal, by: Any, reason: str = "", **spec: Any) -> KeyResult:
    """Add a key result: title, kind, unit, start_value, target_value, stretch_value,
    current_value, weight, milestones (titles, for a milestone list)."""
    require(by, "goal.edit", goal)
    ensure_open(goal)
    fields = _clean_key_result(spec)
    titles = _milestone_titles({**spec, "kind": fields["kind"]})
    with transaction.atomic():
        position = goal.key_results.count()
        key_result = KeyResult.objects.create(goal=goal, position=position, **fields)
        if titles:
            _create_milestones(key_result, titles)
        record_change(
            goal=goal,
            field="key_result",
            old="",
            new=key_result.title,
            by=by,
            reason=reason,
            key_result=key_result,
        )
        refresh_progress(goal)
        record(
            actor=by,
            kind="goal.key_result_added",
            obj=key_result,
            subject=goal.owner,
            changes={"goal": goal.pk, **fields},
        )
    return key_result


def update_key_result(
    *, key_result: KeyResult, by: Any, reason: str = "", **fields: Any
) -> KeyResult:
    """Change a key result; target, start and stretch changes are kept in the history and
    count as churn once the period has begun."""
    goal = key_result.goal
    require(by, "goal.edit", goal)
    ensure_open(goal)
    fields.pop("milestones", None)
    clean = _clean_key_result(fields, existing=key_result)
    if clean["kind"] != key_result.kind:
        raise ValidationError({"kind": "The kind of a key result cannot change; add a new one."})
    with transaction.atomic():
        changed: list[str] = []
        audit: dict[str, list[str]] = {}
        for field in KEY_RESULT_FIELDS:
            if field not in fields or field == "kind":
                continue
            old, new = getattr(key_result, field), clean[field]
            if key_result.kind == KeyResultKind.MILESTONES and field in (
                "start_value",
                "target_value",
                "current_value",
                "stretch_value",
            ):
                continue
            if old == new:
                continue
            record_change(
                goal=goal,
                field=field,
                old=old,
                new=new,
                by=by,
                reason=reason,
                key_result=key_result,
            )
            setattr(key_result, field, new)
            changed.append(field)
            audit[field] = [str(old), str(new)]
        if changed:
            key_result.save(update_fields=changed)
            refresh_progress(goal)
            record(
                actor=by,
                kind="goal.key_result_updated",
                obj=key_result,
                subject=goal.owner,
                changes=audit,
                note=reason,
            )
    return key_result


def remove_key_result(*, key_result: KeyResult, by: Any, reason: str = "") -> None:
    goal = key_result.goal
    require(by, "goal.edit", goal)
    ensure_open(goal)
    with transaction.atomic():
        record_change(
            goal=goal, field="key_result", old=key_result.title, new="", by=by, reason=reason
        )
        record(
            actor=by,
            kind="goal.key_result_removed",
            obj=key_result,
            subject=goal.owner,
            note=reason,
        )
        key_result.delete()
        refresh_progress(goal)


def add_milestone(*, key_result: KeyResult, by: Any, title: str) -> Milestone:
    goal = key_result.goal
    require(by, "goal.edit", goal)
    ensure_open(goal)
    if key_result.kind != KeyResultKind.MILESTONES:
        raise ValidationError({"title": "Only a milestone key result has milestones."})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Milestone: give it a title."})
    with transaction.atomic():
        milestone = Milestone.objects.create(
            key_result=key_result, title=title[:200], position=key_result.milestones.count()
        )
        KeyResult.objects.filter(pk=key_result.pk).update(
            target_value=key_result.milestones.count()
        )
        record_change(
            goal=goal, field="milestone", old="", new=milestone.title, by=by, key_result=key_result
        )
        refresh_progress(goal)
        record(actor=by, kind="goal.milestone_added", obj=milestone, subject=goal.owner)
    return milestone


def remove_milestone(*, milestone: Milestone, by: Any) -> None:
    key_result = milestone.key_result
    goal = key_result.goal
    require(by, "goal.edit", goal)
    ensure_open(goal)
    with transaction.atomic():
        record_change(
            goal=goal, field="milestone", old=milestone.title, new="", by=by, key_result=key_result
        )
        record(actor=by, kind="goal.milestone_removed", obj=milestone, subject=goal.owner)
        milestone.delete()
        KeyResult.objects.filter(pk=key_result.pk).update(
            target_value=key_result.milestones.count()
        )
        refresh_progress(goal)


def set_milestone_done(*, milestone: Milestone, by: Any, done: bool) -> Milestone:
    goal = milestone.key_result.goal
    require(by, "goal.edit", goal)
    ensure_open(goal)
    if (milestone.done_at is not None) == done:
        return milestone
    with transaction.atomic():
        milestone.done_at = timezone.now() if done else None
        milestone.save(update_fields=["done_at"])
        refresh_progress(goal)
        record(
            actor=by,
            kind="goal.milestone_done" if done else "goal.milestone_undone",
            obj=milestone,
            subject=goal.owner,
        )
    return milestone


# --- Bulk assignment -----------------------------------------------------------------------


def bulk_assign(
    *,
    by: Any,
    people: Sequence[Person],
    title: str,
    period: Period,
    description: str = "",
    parent: Goal | None = None,
    key_results: Iterable[Mapping[str, Any]] = (),
    visibility: str = Visibility.PUBLIC,
) -> list[Goal]:
    """One individual goal, the same title, description and key results, for each of
    `people`: a manager for their team, HR for a department. The goals share an
    `assignment` key. A manager may assign only within their own organisation."""
    require(by, "goal.bulk_assign")
    title = _check_title(title)
    _check_period(period)
    _check_visibility(visibility, GoalLevel.INDIVIDUAL)
    if parent is not None:
        _check_parent(GoalLevel.INDIVIDUAL, parent, by=by)
    ids = sorted({p.pk for p in people})
    if not ids:
        raise ValidationError({"people": "Choose at least one person to give the goal to."})
    if len(ids) > MAX_BULK:
        raise ValidationError({"people": f"Assign to at most {MAX_BULK} people at a time."})
    chosen = Person.objects.filter(pk__in=ids)
    if chosen.filter(status=PersonStatus.LEFT).exists():
        raise ValidationError({"people": "Some of the people chosen have left the company."})
    actor = actor_for(by)
    if actor is not None and not actor.is_hr_admin:
        own = actor.person.path
        if chosen.exclude(path__startswith=own).exclude(pk=actor.person.pk).exists():
            raise ValidationError(
                {"people": "You can assign goals only to people in your own organisation."}
            )
    specs = [(_clean_key_result(spec), _milestone_titles(spec)) for spec in key_results]
    kr_progress = [(_kr_progress(f, len(t)), f["weight"]) for f, t in specs]
    goal_progress = progress.goal_progress(kr_progress, None)
    key = new_assignment_key()
    creator = by if getattr(by, "pk", None) else None
    owners = list(chosen.only("pk", "path", "department_id"))

    with transaction.atomic(), tally.counting(owners=ids, periods=[period.pk]):
        goals = Goal.objects.bulk_create(
            [
                Goal(
                    title=title,
                    description=(description or "").strip(),
                    level=GoalLevel.INDIVIDUAL,
                    owner_id=owner.pk,
                    department_id=owner.department_id,
                    period=period,
                    parent=parent,
                    visibility=visibility,
                    progress=goal_progress,
                    assignment=key,
                    created_by=creator,
                )
                for owner in owners
            ],
            batch_size=1000,
        )
        if any(g.pk is None for g in goals):  # a backend that does not return ids
            goals = list(Goal.objects.filter(assignment=key).order_by("pk"))
        for goal in goals:
            _set_path(goal, parent)
        Goal.objects.bulk_update(goals, ["path", "depth", "root"], batch_size=1000)
        key_rows = KeyResult.objects.bulk_create(
            [
                KeyResult(goal=goal, position=i, progress=kr_progress[i][0], **fields)
                for goal in goals
                for i, (fields, _titles) in enumerate(specs)
            ],
            batch_size=1000,
        )
        if any(titles for _f, titles in specs):
            if any(k.pk is None for k in key_rows):
                key_rows = list(KeyResult.objects.filter(goal__assignment=key).order_by("pk"))
            milestones: list[Milestone] = []
            for row in key_rows:
                titles = specs[row.position][1]
                milestones.extend(
                    Milestone(key_result=row, title=t, position=i) for i, t in enumerate(titles)
                )
            Milestone.objects.bulk_create(milestones, batch_size=1000)
            for fields, titles in specs:
                if titles:
                    KeyResult.objects.filter(goal__assignment=key, title=fields["title"]).update(
                        target_value=len(titles)
                    )
        record(
            actor=by,
            kind="goal.bulk_assigned",
            object_type="goals.goal",
            object_label=title,
            changes={
                "assignment": str(key),
                "people": len(goals),
                "period": period.name,
                "parent": parent.pk if parent else None,
                "key_results": len(specs),
            },
        )
    return goals


# --- Closing -------------------------------------------------------------------------------


def close_goal(
    *, goal: Goal, by: Any, score: Any, reflection: str = "", carry_over: bool = False
) -> Goal:
    """Score a goal on the company's scale (stored 0..1) with a reflection, and close it.
    With `carry_over`, an unfinished goal continues in the next period as a copy linked to
    this one (`carried_from`); the copy is `goal.carried_to.first()`."""
    require(by, "goal.edit", goal)
    if goal.state == GoalState.CLOSED:
        raise ValidationError({"state": f"“{goal.title}” is already closed."})
    scale = Program.current().goal_scoring_scale
    stored = scoring.to_stored(score, scale)
    reflection = (reflection or "").strip()
    if carry_over and goal.progress >= 1:
        raise ValidationError(
            {"carry_over": "This goal is complete; there is nothing to carry over."}
        )
    following = None
    if carry_over:
        following = queries.next_period(goal.period)
        if following is None:
            from tandem.goals.services.periods import ensure_periods

            ensure_periods(goal.period.end_date + timedelta(days=1))
            following = queries.next_period(goal.period)
        if following is None:
            raise ValidationError({"carry_over": "There is no open period to carry it into."})

    with transaction.atomic():
        goal.score = stored
        goal.reflection = reflection
        goal.state = GoalState.CLOSED
        goal.closed_at = timezone.now()
        goal.save(update_fields=["score", "reflection", "state", "closed_at", "updated_at"])
        record_change(goal=goal, field="state", old=GoalState.ACTIVE, new=GoalState.CLOSED, by=by)
        record(
            actor=by,
            kind="goal.closed",
            obj=goal,
            subject=goal.owner,
            changes={"score": stored, "carry_over": carry_over},
        )
        if following is not None:
            _carry_over(goal, following, by=by)
    return goal


def _carry_over(goal: Goal, period: Period, *, by: Any) -> Goal:
    parent = goal.parent if goal.parent and goal.parent.state == GoalState.ACTIVE else None
    with tally.counting(owners=[goal.owner_id], periods=[period.pk]):
        copy = Goal.objects.create(
            title=goal.title,
            description=goal.description,
            level=goal.level,
            owner_id=goal.owner_id,
            department_id=goal.department_id,
            period=period,
            parent=parent,
            visibility=goal.visibility,
            health=goal.health,
            manual_progress=goal.manual_progress,
            carried_from=goal,
            created_by=by if getattr(by, "pk", None) else None,
        )
        _set_path(copy, parent)
        copy.save(update_fields=["path", "depth", "root"])
    for key_result in goal.key_results.prefetch_related("milestones"):
        steps = list(key_result.milestones.all())
        new = KeyResult.objects.create(
            goal=copy,
            **{f: getattr(key_result, f) for f in KEY_RESULT_FIELDS},
            position=key_result.position,
        )
        Milestone.objects.bulk_create(
            [
                Milestone(key_result=new, title=m.title, position=m.position, done_at=m.done_at)
                for m in steps
            ]
        )
    refresh_progress(copy)
    record_change(goal=copy, field="carried_from", old="", new=goal.pk, by=by)
    record_change(goal=goal, field="carried_to", old="", new=copy.pk, by=by)
    record(
        actor=by,
        kind="goal.carried_over",
        obj=copy,
        subject=copy.owner,
        changes={"carried_from": goal.pk, "period": period.name},
    )
    return copy


# --- Comments ------------------------------------------------------------------------------

MENTION = re.compile(r"@([\w.+-]+)(?:\s+([A-Z][\w'-]*))?")


def _mentioned(body: str) -> list[Person]:
    """People named in `body` as @local-part (of their work e-mail) or @First Last."""
    query = Q(pk__in=[])
    found = 0
    for match in MENTION.finditer(body):
        token = match.group(1).rstrip(".-")
        if not token:
            continue
        query |= Q(email__istartswith=f"{token}@")
        surname = match.group(2)
        if surname:
            query |= Q(first_name__iexact=token, last_name__iexact=surname)
            query |= Q(preferred_name__iexact=token, last_name__iexact=surname)
        found += 1
        if found >= MAX_MENTIONS:
            break
    if not found:
        return []
    return list(
        Person.objects.filter(query).exclude(status=PersonStatus.LEFT).order_by("pk")[:MAX_MENTIONS]
    )


def add_comment(*, goal: Goal, by: Any, body: str) -> GoalComment:
    """Comment on a goal. People @mentioned who may see the goal are notified once each;
    the owner hears about comments on their goal."""
    require(by, "goal.comment", goal)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Comment: write something first."})
    if len(body) > 5000:
        raise ValidationError({"body": "Comment: keep it under 5000 characters."})
    mentioned = [p for p in _mentioned(body) if can(p, "goal.view", goal)]
    with transaction.atomic():
        comment = GoalComment.objects.create(
            goal=goal, author=by if getattr(by, "pk", None) else None, body=body
        )
        if mentioned:
            comment.mentions.set(mentioned)
        url = reverse("goals:detail", args=[goal.pk]) + f"#comment-{comment.pk}"
        author = getattr(by, "display_name", "Someone")
        for person in mentioned:
            if person.pk == getattr(by, "pk", None):
                continue
            notify(
                person=person,
                kind="mention",
                title=f"{author} mentioned you on “{goal.title}”"[:200],
                body=f"{author} mentioned you in a comment on the goal “{goal.title}”. Open "
                "the goal in Tandem to read the comment and reply.",
                url=url,
                dedupe_key=f"goal-comment-mention:{comment.pk}:{person.pk}",
            )
        if goal.owner_id != getattr(by, "pk", None) and goal.owner_id not in {
            p.pk for p in mentioned
        }:
            notify(
                person=goal.owner,
                kind="goals.comment",
                title=f"{author} commented on “{goal.title}”"[:200],
                body=f"{author} commented on your goal “{goal.title}”. Open the goal in "
                "Tandem to read the comment and reply.",
                url=url,
                dedupe_key=f"goal-comment:{comment.pk}",
            )
        record(
            actor=by,
            kind="goal.commented",
            obj=comment,
            subject=goal.owner,
            changes={"goal": goal.pk, "mentions": [p.pk for p in mentioned]},
        )
    return comment
