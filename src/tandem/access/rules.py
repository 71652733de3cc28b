"""The machinery that decides who may see and do what. Deny by default.

`can(user, action, obj)` answers one question; `require` raises `NotAllowed` (answered
as 404 by views and the API, so outsiders learn nothing about what exists); `scope`
narrows a queryset to what the user may see. Every view, endpoint and export uses these.

The rules themselves live beside their features: each app declares its actions with
`@rule("goal.view")` and its scopes with `@scope_for(Goal)` in `<app>/rules.py`, imported
by the app's `AppConfig.ready()`. This module knows no feature. An action or model nobody
registered fails loudly: at start-up through the system check in `access/checks.py`, and
at the call. `tandem access-rules` lists every registered rule and scope with its module
and docstring, so "who may do X" still has one answer.

Roles: everyone signed in is an *employee*; a *manager* is anyone with reports and sees
their whole subtree; *HR admins* see everything; *HR partners* see the departments they
are granted (sub-departments included); *executives* see org-wide aggregates; *IT admins*
manage integrations and tokens, not people data.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterable
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

    @property
    def is_people_analyst(self) -> bool:
        """An HR admin who also holds the people-analytics role: the only readers of
        protected attributes and of fairness figures. The role alone grants nothing."""
        return self.is_hr_admin and Role.PEOPLE_ANALYTICS in self.roles

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


@dataclass
class PreviewActor(Actor):
    """A person as an HR admin previews them ("view as", docs/anonymity.md): the person's
    own roles, narrowed to what the previewer may read. `can` allows an action only when
    both may; `scope` keeps only the rows both may see. So a preview shows what the person
    sees minus whatever HR could not already read (private notes, private feedback,
    anonymous authors, the person's own drafts)."""

    previewer: Actor | None = None


def preview_user(
    person: Person,
    previewer: Any,
    *,
    roles: Iterable[str] | None = None,
    is_manager: bool | None = None,
) -> Person:
    """A copy of `person` to render their pages with, as `previewer` (an HR admin) sees
    them: every `can`/`scope` asked for it is the intersection of both (PreviewActor).
    `roles` (the roles the person holds) and `is_manager` (whether anyone who has not left
    reports to them), when the caller has read them already."""
    hr = actor_for(previewer)
    assert hr is not None, "a preview needs a signed-in previewer"
    # A copy, so the actor cached on it never reaches the caller's instance.
    user = copy.copy(person)
    user.__dict__.pop("_tandem_actor", None)
    if roles is None:
        roles = RoleGrant.objects.filter(person_id=user.pk).values_list("role", flat=True)
    actor = PreviewActor(person=user, roles=frozenset(roles), previewer=hr)
    if is_manager is not None:
        actor.__dict__["is_manager"] = is_manager  # the cached_property, already known
    user._tandem_actor = actor  # type: ignore[attr-defined]
    return user


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


# --- The registry ------------------------------------------------------------------------

Rule = Callable[[Actor, Any], bool]
Scope = Callable[..., QuerySet[Any]]
RULES: dict[str, Rule] = {}
SCOPES: dict[type[Model], Scope] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the function that decides `action` ("goal.view"): it receives the Actor and
    the object, and returns whether the action is allowed. Its docstring is what
    `tandem access-rules` shows auditors, so state the rule in the company's words."""

    def register(func: Rule) -> Rule:
        if action in RULES:
            raise ImproperlyConfigured(f"Access rule {action!r} is defined twice.")
        RULES[action] = func
        return func

    return register


def scope_for(model: type[Model]) -> Callable[[Scope], Scope]:
    """Register the function that narrows a queryset of `model` to the rows an Actor may
    see: `fn(actor, queryset, **options) -> queryset`."""

    def register(func: Scope) -> Scope:
        if model in SCOPES:
            raise ImproperlyConfigured(f"Access scope for {model.__name__} is defined twice.")
        SCOPES[model] = func
        return func

    return register


@dataclass(frozen=True)
class Registered:
    """One entry of the registry, as `tandem access-rules` lists it."""

    kind: str  # "rule" or "scope"
    name: str  # the action ("goal.view") or the model ("goals.Goal")
    function: str
    module: str
    doc: str


def _entry(kind: str, name: str, func: Callable[..., Any]) -> Registered:
    doc = " ".join((inspect.getdoc(func) or "").split())
    return Registered(kind, name, func.__qualname__, func.__module__, doc)


def registry() -> list[Registered]:
    """Every registered rule, then every scope, sorted by name."""
    rules = [_entry("rule", action, func) for action, func in sorted(RULES.items())]
    scopes = sorted(
        (_entry("scope", model._meta.label, func) for model, func in SCOPES.items()),
        key=lambda entry: entry.name,
    )
    return [*rules, *scopes]


# --- Deciding ------------------------------------------------------------------------------


def can(user: Any, action: str, obj: Any = None) -> bool:
    try:
        decide = RULES[action]
    except KeyError:
        raise ImproperlyConfigured(
            f"No access rule named {action!r}. Declare it with @rule({action!r}) in the "
            "rules.py of the app it belongs to (see docs/architecture.md)."
        ) from None
    if user is SYSTEM:
        return True
    actor = actor_for(user)
    if actor is None:
        return False
    if isinstance(actor, PreviewActor) and actor.previewer is not None:
        return bool(decide(actor, obj)) and bool(decide(actor.previewer, obj))
    return bool(decide(actor, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise NotAllowed(f"{action} denied")


def scope(user: Any, queryset: QuerySet[M], **options: Any) -> QuerySet[M]:
    """The rows of `queryset` the user may see. The command line and tasks (SYSTEM) see
    everything, anyone not signed in nothing; everyone else is narrowed by the model's
    scope function, which receives their Actor."""
    try:
        narrow = SCOPES[queryset.model]
    except KeyError:
        raise ImproperlyConfigured(
            f"No access scope for {queryset.model.__name__}. Declare one with "
            f"@scope_for({queryset.model.__name__}) in the rules.py of the app it belongs to."
        ) from None
    if user is SYSTEM:
        return queryset
    actor = actor_for(user)
    if actor is None:
        return queryset.none()
    narrowed = narrow(actor, queryset, **options)
    if isinstance(actor, PreviewActor) and actor.previewer is not None:
        everything = queryset.model._default_manager.all()
        theirs = narrow(actor.previewer, everything, **options)
        # Only when the previewer's scope narrows anything (an HR admin's often does not):
        # one sub-select of the ids the previewer may see.
        if theirs.query.where != everything.query.where:
            narrowed = narrowed.filter(pk__in=theirs.values("pk"))
    return narrowed


# --- Access's own rules: API tokens and role grants ------------------------------------------


@rule("roles.manage")
def _roles_manage(actor: Actor, _: Any) -> bool:
    """Granting and revoking roles (HR admin, HR partner, executive, IT admin): HR admins."""
    return actor.is_hr_admin


@rule("tokens.manage_all")
def _tokens_manage_all(actor: Actor, _: Any) -> bool:
    """Listing and revoking everyone's API tokens: IT admins."""
    return actor.is_it_admin


@rule("token.revoke")
def _token_revoke(actor: Actor, token: Any) -> bool:
    """Revoking a token: the person it belongs to, or an IT admin."""
    return token.person_id == actor.person.pk or actor.is_it_admin
