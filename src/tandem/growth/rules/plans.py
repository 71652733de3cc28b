"""Access rules: development plans.

A plan is the person's and their managers': the person and everyone above them in the
reporting line read it and edit it together. HR reads plan text only when the company's
program says plans are visible to HR (HR admins every plan, HR partners the plans of the
people in the departments they cover); otherwise HR sees only counts, on the coverage page.
Nobody else sees a plan: not peers, not executives, not IT."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.growth.models import Plan
from tandem.org.models import Person
from tandem.program.models import Program


def _hr_reads(actor: Actor, person: Person) -> bool:
    if not actor.is_hr or not Program.current().development_plans_visible_to_hr:
        return False
    if actor.is_hr_admin:
        return True
    department = getattr(person, "department", None)
    return actor.partner_covers_department_path(getattr(department, "path", None))


def _own_or_above(actor: Actor, person: Person) -> bool:
    return person.pk == actor.person.pk or actor.manages(person)


@rule("growth.plan.create")
def _plan_create(actor: Actor, person: Person) -> bool:
    """Starting a development plan for someone: the person themselves, or any manager above
    them in the reporting line."""
    return _own_or_above(actor, person)


@rule("growth.plan.view")
def _plan_view(actor: Actor, plan: Plan) -> bool:
    """Reading a development plan: the person, their managers up the line; HR admins and the
    HR partners covering the person's department only when the program makes plans visible
    to HR."""
    return _own_or_above(actor, plan.person) or _hr_reads(actor, plan.person)


@rule("growth.plan.edit")
def _plan_edit(actor: Actor, plan: Plan) -> bool:
    """Changing a development plan (its focus areas, actions, check-ins, status): the person
    and their managers up the line, together. HR never edits a plan."""
    return _own_or_above(actor, plan.person)


@rule("growth.plans.coverage")
def _plans_coverage(actor: Actor, _: Any = None) -> bool:
    """Plan coverage per department (how many people have an active plan, how many actions
    are overdue; counts only): HR admins, and HR partners for their departments."""
    return actor.is_hr


@scope_for(Plan)
def scope_plans(actor: Actor, queryset: QuerySet[Plan], **_: Any) -> QuerySet[Plan]:
    """One's own plans and those of everyone below one; every plan for HR admins and the
    plans in an HR partner's departments, only when the program makes plans visible to HR."""
    # Chosen among the people first (by id and path, each indexed), then their plans: a
    # condition on the plan's person id OR the person's path reads every plan joined to its
    # person (185 ms at 100,000 people for someone with no reports).
    people = Q(pk=actor.person.pk)
    if actor.person.path:
        people |= Q(path__startswith=actor.person.path)
    if actor.is_hr and Program.current().development_plans_visible_to_hr:
        if actor.is_hr_admin:
            return queryset
        people |= actor.partner_scope_q()
    return queryset.filter(person_id__in=Person.objects.filter(people).values("pk"))
