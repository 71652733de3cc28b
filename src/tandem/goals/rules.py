"""Who may see and change goals.

Goals are public inside the company by default. A private goal is visible to its owner,
the owner's manager chain and HR admins only: everywhere (lists, search, trees, API,
exports). Its progress still counts in its parent's roll-up, without title or owner.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.goals.models import Goal, GoalLevel, Visibility
from tandem.org.models import Department, Person


def _is_owner_or_above(actor: Actor, owner: Person) -> bool:
    return owner.pk == actor.person.pk or actor.manages(owner)


@rule("goal.view")
def _goal_view(actor: Actor, goal: Goal) -> bool:
    """Public goals: everyone. Private goals: the owner, their manager chain, HR admins."""
    if goal.visibility == Visibility.PUBLIC or actor.is_hr_admin:
        return True
    return _is_owner_or_above(actor, goal.owner)


@rule("goal.edit")
def _goal_edit(actor: Actor, goal: Goal) -> bool:
    """Edit, align, check in on, close: the owner, their managers; company goals also
    executives and HR admins; team goals also the department's head."""
    if _is_owner_or_above(actor, goal.owner):
        return True
    if goal.level == GoalLevel.COMPANY:
        return actor.is_executive or actor.is_hr_admin
    if goal.level == GoalLevel.TEAM and goal.department_id is not None:
        department = goal.department
        return department is not None and department.head_id == actor.person.pk
    return False


@rule("goal.comment")
def _goal_comment(actor: Actor, goal: Goal) -> bool:
    """Commenting on a goal: whoever may read it."""
    return _goal_view(actor, goal)


@rule("goal.create_company")
def _goal_create_company(actor: Actor, _: Any) -> bool:
    """Company goals: executives and HR admins."""
    return actor.is_executive or actor.is_hr_admin


@rule("goal.create_team")
def _goal_create_team(actor: Actor, department: Department | None) -> bool:
    """Department heads for their department, managers for their own team, HR admins."""
    if actor.is_hr_admin:
        return True
    if department is not None and department.head_id == actor.person.pk:
        return True
    return actor.is_manager


@rule("goal.create_for")
def _goal_create_for(actor: Actor, owner: Person) -> bool:
    """An individual goal for `owner`: the person themselves or one of their managers."""
    return _is_owner_or_above(actor, owner)


@rule("goal.bulk_assign")
def _goal_bulk_assign(actor: Actor, _: Any) -> bool:
    """Assigning one goal to many people at once: managers and HR admins."""
    return actor.is_manager or actor.is_hr_admin


@rule("period.manage")
def _period_manage(actor: Actor, _: Any) -> bool:
    """Goal periods (quarters, halves, years): HR admins."""
    return actor.is_hr_admin


@scope_for(Goal)
def scope_goals(actor: Actor, queryset: QuerySet[Goal], **_: Any) -> QuerySet[Goal]:
    """Public goals, one's own, one's subtree's; everything for HR admins."""
    if actor.is_hr_admin:
        return queryset
    visible = Q(visibility=Visibility.PUBLIC) | Q(owner_id=actor.person.pk)
    if actor.person.path:
        visible |= Q(owner__path__startswith=actor.person.path)
    return queryset.filter(visible)


# --- Weekly check-ins (engineer B) ------------------------------------------------------


@rule("goal.weekly_edit")
def _goal_weekly_edit(actor: Actor, person: Person) -> bool:
    """A weekly check-in is its person's own: only they write it."""
    return person.pk == actor.person.pk


@rule("goal.weekly_view")
def _goal_weekly_view(actor: Actor, person: Person) -> bool:
    """The person, their manager chain (for 1:1s) and HR admins read a weekly check-in."""
    return _is_owner_or_above(actor, person) or actor.is_hr_admin
