"""Who may see and manage people, departments and the company's details.

- Everyone signed in sees every current colleague and the department tree (it is on the
  org chart anyway). People who left are seen by HR admins and the HR partners covering
  their department only.
- A person's private fields (level, employee id, status details, manager history) are seen
  by the person, their manager chain, HR admins and the covering HR partners.
- HR admins manage everyone; HR partners manage the people of their departments
  (sub-departments included). Departments, the company, imports and the program are HR
  admins' alone.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.org.models import Department, Person, PersonStatus


def _partner_covers(actor: Actor, person: Person) -> bool:
    if not actor.is_hr_partner or person.department is None:
        return False
    return actor.partner_covers_department_path(person.department.path)


@rule("person.view")
def _person_view(actor: Actor, person: Person) -> bool:
    """A current colleague: everyone. Someone who left: HR admins and the covering partner."""
    if person.status != PersonStatus.LEFT:
        return True
    return actor.is_hr_admin or _partner_covers(actor, person)


@rule("person.view_private")
def _person_view_private(actor: Actor, person: Person) -> bool:
    """Level, employee id, status details and manager history: the person, their manager
    chain, HR admins and the covering HR partner."""
    return (
        person.pk == actor.person.pk
        or actor.manages(person)
        or actor.is_hr_admin
        or _partner_covers(actor, person)
    )


@rule("person.manage")
def _person_manage(actor: Actor, person: Person) -> bool:
    """Editing a person, their manager and their status: HR admins and the covering partner."""
    return actor.is_hr_admin or _partner_covers(actor, person)


@rule("person.invite")
def _person_invite(actor: Actor, person: Person) -> bool:
    """E-mailing someone an invitation (a link to choose their password): HR admins and the
    covering HR partner."""
    return actor.is_hr_admin or _partner_covers(actor, person)


@rule("person.create")
def _person_create(actor: Actor, department: Department | None) -> bool:
    """Adding a person: HR admins anywhere, HR partners into a department they cover."""
    if actor.is_hr_admin:
        return True
    return department is not None and actor.partner_covers_department_path(department.path)


@rule("hr.access")
def _hr_access(actor: Actor, _: Any) -> bool:
    """The HR pages: HR admins and HR partners."""
    return actor.is_hr


@rule("team.view")
def _team_view(actor: Actor, _: Any) -> bool:
    """The team page: anyone with reports."""
    return actor.is_manager


@rule("org.insights")
def _org_insights(actor: Actor, _: Any) -> bool:
    """Org-wide figures (headcount, coverage, churn): executives and HR admins."""
    return actor.is_executive or actor.is_hr_admin


def _hr_admin_only(actor: Actor, _: Any) -> bool:
    """HR admins only."""
    return actor.is_hr_admin


for _action in ("department.manage", "company.edit", "people.import"):
    rule(_action)(_hr_admin_only)


@scope_for(Person)
def scope_people(
    actor: Actor, queryset: QuerySet[Person], *, purpose: str = "view"
) -> QuerySet[Person]:
    """People the user may see ("view") or manage as HR ("manage")."""
    if actor.is_hr_admin:
        return queryset
    if purpose == "view":
        visible = ~Q(status=PersonStatus.LEFT)
        if actor.is_hr_partner:
            visible |= actor.partner_scope_q()
        return queryset.filter(visible)
    if purpose == "manage":
        return queryset.filter(actor.partner_scope_q()) if actor.is_hr_partner else queryset.none()
    raise ImproperlyConfigured(f"Unknown purpose {purpose!r} for scope_people")


@scope_for(Department)
def scope_departments(actor: Actor, queryset: QuerySet[Department]) -> QuerySet[Department]:
    """Every employee can see the department tree (it is on the org chart anyway)."""
    return queryset
