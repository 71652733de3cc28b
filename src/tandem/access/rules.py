"""The one place that decides who may see and do what. Deny by default.

`can(user, action, obj)` answers one question; `require` raises `NotAllowed` (answered
as 404 by views and the API, so outsiders learn nothing about what exists); `scope`
narrows a queryset to what the user may see. Every view, endpoint and export uses these.

Roles: everyone signed in is an *employee*; a *manager* is anyone with reports and sees
their whole subtree; *HR admins* see everything; *HR partners* see the departments they
are granted (sub-departments included); *executives* see org-wide aggregates; *IT admins*
manage integrations and tokens, not people data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from tandem.access.models import Role, RoleGrant
from tandem.org.models import Department, Person, PersonStatus

M = TypeVar("M", bound=Model)


class _System:
    """The acting party for the command line and background tasks, which are trusted:
    whoever can run `tandem` on the server already has the database."""

    pk = None
    is_authenticated = True
    is_active = True

    def __str__(self) -> str:
        return "system"


SYSTEM: Any = _System()


class NotAllowed(Http404):
    """Raised when an action is denied. A 404 on purpose: denial must not reveal existence."""


@dataclass
class Actor:
    """A signed-in person with their roles, loaded once per request."""

    person: Person
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_hr_admin(self) -> bool:
        return Role.HR_ADMIN in self.roles

    @property
    def is_hr_partner(self) -> bool:
        return Role.HR_PARTNER in self.roles

    @property
    def is_hr(self) -> bool:
        return self.is_hr_admin or self.is_hr_partner

    @property
    def is_executive(self) -> bool:
        return Role.EXECUTIVE in self.roles

    @property
    def is_it_admin(self) -> bool:
        return Role.IT_ADMIN in self.roles

    @cached_property
    def is_manager(self) -> bool:
        return (
            Person.objects.filter(manager_id=self.person.pk)
            .exclude(status=PersonStatus.LEFT)
            .exists()
        )

    @cached_property
    def partner_department_paths(self) -> tuple[str, ...]:
        if not self.is_hr_partner:
            return ()
        paths = Department.objects.filter(
            pk__in=RoleGrant.objects.filter(person_id=self.person.pk, role=Role.HR_PARTNER).values(
                "departments"
            )
        ).values_list("path", flat=True)
        return tuple(sorted(set(paths)))

    def partner_covers_department_path(self, path: str | None) -> bool:
        if not path:
            return False
        return any(path.startswith(prefix) for prefix in self.partner_department_paths if prefix)

    def partner_scope_q(self, prefix: str = "") -> Q:
        """People whose department is inside this partner's departments."""
        q = Q(pk__in=[])
        for path in self.partner_department_paths:
            q |= Q(**{f"{prefix}department__path__startswith": path})
        return q

    def manages(self, person: Person) -> bool:
        """True when `person` is anywhere below this actor in the reporting tree."""
        own = self.person.path
        return bool(own) and person.pk != self.person.pk and person.path.startswith(own)


def actor_for(user: Any) -> Actor | None:
    """The Actor for a user, cached on the user object for the rest of the request."""
    if user is None or user is SYSTEM:
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_tandem_actor", None)
    if cached is not None:
        return cached
    roles = frozenset(RoleGrant.objects.filter(person_id=user.pk).values_list("role", flat=True))
    actor = Actor(person=user, roles=roles)
    user._tandem_actor = actor
    return actor


# --- Rules ---------------------------------------------------------------------------

Rule = Callable[[Actor, Any], bool]
RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        if action in RULES:
            raise ImproperlyConfigured(f"Access rule {action!r} is defined twice.")
        RULES[action] = func
        return func

    return register


def can(user: Any, action: str, obj: Any = None) -> bool:
    try:
        decide = RULES[action]
    except KeyError:
        raise ImproperlyConfigured(
            f"No access rule named {action!r}. Add one with @rule({action!r}) in tandem/access/."
        ) from None
    if user is SYSTEM:
        return True
    actor = actor_for(user)
    if actor is None:
        return False
    return bool(decide(actor, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise NotAllowed(f"{action} denied")


def _partner_covers(actor: Actor, person: Person) -> bool:
    if not actor.is_hr_partner or person.department is None:
        return False
    return actor.partner_covers_department_path(person.department.path)


@rule("person.view")
def _person_view(actor: Actor, person: Person) -> bool:
    if person.status != PersonStatus.LEFT:
        return True
    return actor.is_hr_admin or _partner_covers(actor, person)


@rule("person.view_private")
def _person_view_private(actor: Actor, person: Person) -> bool:
    """Level, employee id, status details and manager history."""
    return (
        person.pk == actor.person.pk
        or actor.manages(person)
        or actor.is_hr_admin
        or _partner_covers(actor, person)
    )


@rule("person.manage")
def _person_manage(actor: Actor, person: Person) -> bool:
    return actor.is_hr_admin or _partner_covers(actor, person)


@rule("person.create")
def _person_create(actor: Actor, department: Department | None) -> bool:
    if actor.is_hr_admin:
        return True
    return department is not None and actor.partner_covers_department_path(department.path)


@rule("hr.access")
def _hr_access(actor: Actor, _: Any) -> bool:
    return actor.is_hr


@rule("team.view")
def _team_view(actor: Actor, _: Any) -> bool:
    return actor.is_manager


@rule("org.insights")
def _org_insights(actor: Actor, _: Any) -> bool:
    return actor.is_executive or actor.is_hr_admin


def _hr_admin_only(actor: Actor, _: Any) -> bool:
    return actor.is_hr_admin


for _action in (
    "department.manage",
    "company.edit",
    "program.edit",
    "audit.view",
    "people.import",
    "roles.manage",
):
    rule(_action)(_hr_admin_only)


@rule("tokens.manage_all")
def _tokens_manage_all(actor: Actor, _: Any) -> bool:
    return actor.is_it_admin


@rule("token.revoke")
def _token_revoke(actor: Actor, token: Any) -> bool:
    return token.person_id == actor.person.pk or actor.is_it_admin


# --- Scopes ----------------------------------------------------------------------------


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


def scope_departments(actor: Actor, queryset: QuerySet[Department]) -> QuerySet[Department]:
    """Every employee can see the department tree (it is on the org chart anyway)."""
    return queryset


SCOPES: dict[type[Model], Callable[..., QuerySet[Any]]] = {
    Person: scope_people,
    Department: scope_departments,
}


def scope(user: Any, queryset: QuerySet[M], **options: Any) -> QuerySet[M]:
    """The rows of `queryset` the user may see. The command line and tasks (SYSTEM) see
    everything, anyone not signed in nothing; everyone else is narrowed by the model's
    scope function, which receives their Actor."""
    try:
        narrow = SCOPES[queryset.model]
    except KeyError:
        raise ImproperlyConfigured(
            f"No access scope for {queryset.model.__name__}; add one to SCOPES in access/rules.py"
        ) from None
    if user is SYSTEM:
        return queryset
    actor = actor_for(user)
    if actor is None:
        return queryset.none()
    return narrow(actor, queryset, **options)
