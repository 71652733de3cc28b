"""Every write of development plans: a plan, its focus areas, their actions, check-ins.

Each runs in one transaction, checks its access rule first (the person and their managers
up the line edit a plan together) and writes an audit record. Bad input raises
ValidationError keyed by the field it is about; nothing is saved then.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import diff, record, snapshot
from tandem.core.validation import clean_text
from tandem.goals.queries import goals as goal_queries
from tandem.growth.models import (
    MAX_FOCUS_AREAS,
    Action,
    ActionKind,
    ActionStatus,
    Competency,
    FocusArea,
    Placement,
    Plan,
    PlanCheckin,
    PlanStatus,
)
from tandem.org import tree
from tandem.org.models import Person, PersonStatus

TITLE_MAX = 200
NOTES_MAX = 4000
ACTION_MAX = 300
CHECKIN_MAX = 4000
PLAN_FIELDS = ("title", "starts_on", "ends_on", "status")


def _dates(starts_on: Any, ends_on: Any) -> tuple[date, date]:
    if not isinstance(starts_on, date):
        raise ValidationError({"starts_on": "Give the day the plan starts."})
    if not isinstance(ends_on, date):
        raise ValidationError({"ends_on": "Give the day the plan ends."})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The plan cannot end before it starts."})
    return starts_on, ends_on


def _status(value: Any) -> str:
    if value not in PlanStatus.values:
        raise ValidationError(
            {"status": "Choose the plan's status: draft, active, completed or archived."}
        )
    return str(value)


def _refuse_overlap(person_id: int, starts_on: date, ends_on: date, *, exclude: int | None) -> None:
    """One active plan at a time per period: two active plans whose dates overlap would
    split the person's attention and their 1:1s' talking points."""
    # Lock the person's plans so two people activating plans at once cannot both pass.
    others = Plan.objects.select_for_update().filter(
        person_id=person_id,
        status=PlanStatus.ACTIVE,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    clash = others.order_by("starts_on").first()
    if clash is not None:
        raise ValidationError(
            {
                "status": f"There is already an active plan from {clash.starts_on:%-d %b %Y} "
                f"to {clash.ends_on:%-d %b %Y} for these dates; complete or archive it first, "
                "or choose other dates."
            }
        )


def create_plan(
    user: Any,
    person: Person,
    *,
    title: str = "",
    starts_on: Any,
    ends_on: Any,
    status: str = PlanStatus.DRAFT,
) -> Plan:
    """A new plan for `person` (by the person or a manager above them)."""
    require(user, "growth.plan.create", person)
    if person.status == PersonStatus.LEFT:
        raise ValidationError({"person": f"{person} has left; a plan is for someone here."})
    title = clean_text(title, field="title", label="The title", limit=TITLE_MAX, required=False)
    starts_on, ends_on = _dates(starts_on, ends_on)
    status = _status(status)
    with transaction.atomic():
        if status == PlanStatus.ACTIVE:
            _refuse_overlap(person.pk, starts_on, ends_on, exclude=None)
        plan = Plan.objects.create(
            person=person,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
            created_by=user if getattr(user, "pk", None) else None,
        )
        record(
            actor=user,
            kind="growth.plan.create",
            obj=plan,
            subject=person,
            changes={"starts_on": starts_on, "ends_on": ends_on, "status": status},
        )
    return plan


_UNSET: Any = object()


def update_plan(
    user: Any,
    plan: Plan,
    *,
    title: Any = _UNSET,
    starts_on: Any = _UNSET,
    ends_on: Any = _UNSET,
    status: Any = _UNSET,
) -> Plan:
    """Change a plan's title, dates or status; only what is given changes."""
    require(user, "growth.plan.edit", plan)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().select_related("person").get(pk=plan.pk)
        before = snapshot(locked, PLAN_FIELDS)
        if title is not _UNSET:
            locked.title = clean_text(
                title, field="title", label="The title", limit=TITLE_MAX, required=False
            )
        locked.starts_on, locked.ends_on = _dates(
            locked.starts_on if starts_on is _UNSET else starts_on,
            locked.ends_on if ends_on is _UNSET else ends_on,
        )
        if status is not _UNSET:
            locked.status = _status(status)
        if locked.status == PlanStatus.ACTIVE:
            _refuse_overlap(locked.person_id, locked.starts_on, locked.ends_on, exclude=locked.pk)
        changes = diff(before, snapshot(locked, PLAN_FIELDS))
        if changes:
            locked.save()
            record(
                actor=user,
                kind="growth.plan.update",
                obj=locked,
                subject=locked.person,
                changes=changes,
            )
    return locked


def _competency_for(plan: Plan, competency_id: int) -> Competency:
    placement = Placement.objects.filter(person_id=plan.person_id).first()
    if placement is None:
        raise ValidationError(
            {
                "competency": f"{plan.person} is not placed on a career track yet: link the "
                "focus area to one of their goals instead."
            }
        )
    competency = Competency.objects.filter(pk=competency_id, track_id=placement.track_id).first()
    if competency is None:
        raise ValidationError(
            {"competency": f"That competency is not one of {plan.person}'s track's."}
        )
    return competency


def _goal_for(user: Any, plan: Plan, goal_id: int) -> Any:
    goal = goal_queries.goals_for(user, person=plan.person).filter(pk=goal_id).first()
    if goal is None:
        raise ValidationError({"goal": f"That goal is not one of {plan.person}'s."})
    return goal


def add_focus_area(
    user: Any,
    plan: Plan,
    *,
    title: str = "",
    competency_id: int | None = None,
    goal_id: int | None = None,
    notes: str = "",
) -> FocusArea:
    """A focus area of the plan, about a competency of the person's track or one of their
    goals (its title defaults to the competency's or the goal's). At most MAX_FOCUS_AREAS."""
    require(user, "growth.plan.edit", plan)
    if (competency_id is None) == (goal_id is None):
        raise ValidationError(
            {"competency": "Link the focus area to a competency or to a goal (one of the two)."}
        )
    notes = clean_text(notes, field="notes", label="The notes", limit=NOTES_MAX, required=False)
    with transaction.atomic():
        # Locking the plan makes the limit hold when two people add an area at once.
        locked = Plan.objects.select_for_update().select_related("person").get(pk=plan.pk)
        count = FocusArea.objects.filter(plan=locked).count()
        if count >= MAX_FOCUS_AREAS:
            raise ValidationError(
                {
                    "focus_areas": f"A plan has at most {MAX_FOCUS_AREAS} focus areas; this one "
                    f"has {count}. Remove one before adding another."
                }
            )
        competency = _competency_for(locked, competency_id) if competency_id is not None else None
        goal = _goal_for(user, locked, goal_id) if goal_id is not None else None
        default = competency.name if competency is not None else str(getattr(goal, "title", ""))
        title = clean_text(
            title or default, field="title", label="The title", limit=TITLE_MAX, required=True
        )
        if FocusArea.objects.filter(plan=locked, competency=competency, goal=goal).exists():
            field = "competency" if competency is not None else "goal"
            raise ValidationError({field: f"“{default}” is already a focus area of this plan."})
        area = FocusArea.objects.create(
            plan=locked,
            position=count,
            title=title,
            competency=competency,
            goal=goal,
            notes=notes,
        )
        record(
            actor=user,
            kind="growth.focus_area.add",
            obj=area,
            subject=locked.person,
            changes={
                "plan": locked.pk,
                "competency": competency.pk if competency else None,
                "goal": goal.pk if goal else None,
            },
        )
    return area


def remove_focus_area(user: Any, area: FocusArea) -> None:
    """Take a focus area (and its actions) off the plan."""
    plan = area.plan
    require(user, "growth.plan.edit", plan)
    with transaction.atomic():
        record(
            actor=user,
            kind="growth.focus_area.remove",
            obj=area,
            subject=plan.person,
            changes={"plan": plan.pk, "title": area.title},
        )
        area.delete()


def allowed_owner_ids(person: Person) -> list[int]:
    """The person and their managers up the line: the owners an action has without naming
    a mentor."""
    return [person.pk, *reversed([pk for pk in tree.ids_in(person.path) if pk != person.pk])]


def _owner(person: Person, owner_id: Any) -> Person:
    if not isinstance(owner_id, int):
        raise ValidationError({"owner": "Choose who owns the action."})
    owner = (
        Person.objects.filter(pk=owner_id, is_active=True).exclude(status=PersonStatus.LEFT).first()
    )
    if owner is None:
        raise ValidationError({"owner": f"Nobody active has the id {owner_id}."})
    return owner


def add_action(
    user: Any,
    area: FocusArea,
    *,
    kind: str,
    text: str,
    owner_id: int,
    due_on: date | None = None,
) -> Action:
    """An action under a focus area: a course, a stretch project, mentoring… owned by the
    person, a manager of theirs or a mentor (anyone active in the company)."""
    plan = area.plan
    require(user, "growth.plan.edit", plan)
    if kind not in ActionKind.values:
        raise ValidationError(
            {"kind": "Choose the kind of action: " + ", ".join(ActionKind.values) + "."}
        )
    text = clean_text(text, field="text", label="The action", limit=ACTION_MAX)
    if due_on is not None and not isinstance(due_on, date):
        raise ValidationError({"due_on": "Give the due date as a day."})
    owner = _owner(plan.person, owner_id)
    with transaction.atomic():
        position = Action.objects.filter(focus_area=area).count()
        action = Action.objects.create(
            focus_area=area, kind=kind, text=text, owner=owner, due_on=due_on, position=position
        )
        record(
            actor=user,
            kind="growth.action.add",
            obj=action,
            subject=plan.person,
            changes={"focus_area": area.pk, "owner": owner.pk, "due_on": due_on},
        )
    return action


def set_action_status(user: Any, action: Action, status: str) -> Action:
    """Move an action to a status; done_at is set when it is done and cleared otherwise."""
    plan = action.focus_area.plan
    require(user, "growth.plan.edit", plan)
    if status not in ActionStatus.values:
        raise ValidationError(
            {"status": "Choose the action's status: " + ", ".join(ActionStatus.values) + "."}
        )
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.status == status:
            return locked
        before = snapshot(locked, ("status",))
        locked.status = status
        locked.done_at = timezone.now() if status == ActionStatus.DONE else None
        locked.save(update_fields=["status", "done_at"])
        record(
            actor=user,
            kind="growth.action.status",
            obj=locked,
            subject=plan.person,
            changes=diff(before, {"status": status}),
        )
    return locked


def add_checkin(user: Any, plan: Plan, *, text: str) -> PlanCheckin:
    """A dated note on how the plan is going."""
    require(user, "growth.plan.edit", plan)
    text = clean_text(text, field="text", label="The check-in", limit=CHECKIN_MAX)
    with transaction.atomic():
        checkin = PlanCheckin.objects.create(plan=plan, author=user, text=text)
        record(
            actor=user,
            kind="growth.plan.checkin",
            obj=checkin,
            subject=plan.person,
            changes={"plan": plan.pk},
        )
    return checkin
