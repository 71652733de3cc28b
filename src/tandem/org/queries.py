"""Reads about the organisation, always starting from the access scope of the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from tandem.access.rules import actor_for, can, scope
from tandem.core import pagination
from tandem.core.pagination import BadCursor
from tandem.core.sql import count_rows
from tandem.org import tree
from tandem.org.models import Department, Person, PersonStatus, fold_accents

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_ID = 2**63 - 1
SORT_NAME_LENGTH = 210  # Person.sort_name's max_length


__all__ = ["BadCursor"]


def encode_cursor(person: Person) -> str:
    return pagination.encode_cursor(person.sort_name, person.pk)


def decode_cursor(cursor: str) -> tuple[str, int]:
    return pagination.decode_text_cursor(cursor, max_length=SORT_NAME_LENGTH)


@dataclass
class PeoplePage:
    people: list[Person]
    next_cursor: str | None


def people_queryset(
    user: Any,
    *,
    q: str = "",
    department_id: int | None = None,
    manager_id: int | None = None,
    status: str | None = None,
    include_subdepartments: bool = False,
) -> QuerySet[Person]:
    people = scope(user, Person.objects.all())
    # PostgreSQL refuses NUL bytes in text; they are never part of a name anyway.
    q = q.replace("\x00", " ")
    if q:
        people = people.filter(_search_q(user, q))
    if department_id is not None:
        if include_subdepartments:
            department = Department.objects.filter(pk=department_id).first()
            path = department.path if department else "/none/"
            people = people.filter(department__path__startswith=path)
        else:
            people = people.filter(department_id=department_id)
    if manager_id is not None:
        people = people.filter(manager_id=manager_id)
    if status:
        people = people.filter(status=status)
    return people


def _search_q(user: Any, q: str) -> Q:
    """Every word must match a name, title, e-mail or department name.

    Department names are looked up first (there are few) so the person filter stays on one
    table, where PostgreSQL's trigram index on search_text serves it. Employee ids are
    private: they match only exactly, and only for people whose private fields the viewer
    may see as HR (everyone else could otherwise confirm an id by searching for it)."""
    words = q.lower().split()[:5]
    condition = Q()
    for word in words:
        department_ids = list(
            Department.objects.filter(name__icontains=word).values_list("pk", flat=True)[:500]
        )
        matches = Q(search_text__contains=word)
        if department_ids:
            matches |= Q(department_id__in=department_ids)
        condition &= matches
    actor = actor_for(user)
    if actor is not None and actor.is_hr and len(words) == 1:
        by_id = Q(employee_id__iexact=q.strip())
        if not actor.is_hr_admin:
            by_id &= actor.partner_scope_q()
        condition |= by_id
    return condition


PICK_LIMIT = 10
PICK_MIN_LENGTH = 2
PICK_MAX_WORDS = 4


def pick_words(q: str) -> list[str]:
    """The words of a picker query, lower-cased and without accents (search_text holds
    every name without its accents too); NUL bytes and the rest of a long query (nobody's
    name is 100 characters) are dropped rather than refused."""
    return fold_accents(q.replace("\x00", " ").lower()[:100]).split()[:PICK_MAX_WORDS]


def people_to_pick(
    user: Any,
    *,
    q: str,
    exclude_ids: tuple[int, ...] = (),
    manager_id: int | None = None,
    include_left: bool = False,
    limit: int = PICK_LIMIT,
) -> list[Person]:
    """Up to `limit` people the user may see whose name, title or e-mail has a word that
    starts with each typed word ("jen al" finds Jen Alvarez; "jen.a" her e-mail), in name
    order. Fewer than two characters find nobody: a one-letter search would list everyone."""
    words = pick_words(q)
    if len("".join(words)) < PICK_MIN_LENGTH:
        return []
    people = pick_queryset(
        user, words=words, exclude_ids=exclude_ids, manager_id=manager_id,
        include_left=include_left,
    )  # fmt: skip
    return list(people[:limit])


def pick_queryset(
    user: Any,
    *,
    words: list[str],
    exclude_ids: tuple[int, ...] = (),
    manager_id: int | None = None,
    include_left: bool = False,
) -> QuerySet[Person]:
    """The people `people_to_pick` reads, in name order (bench/picker.py explains it).

    Word starts are matched in `search_text` ("starts with" or "contains ' ' + word"), which
    PostgreSQL's trigram index on that column serves (migration 0003). The order is on
    LOWER(sort_name) — the same order, sort_name being lower case — so that PostgreSQL
    cannot walk the name index and filter row by row until it has ten: for "smi" at
    100,000 people that walk read 80,000 rows (250 ms) against 10 ms for the index."""
    people = scope(user, Person.objects.all())
    if not include_left:
        people = people.exclude(status=PersonStatus.LEFT)
    for word in words:
        people = people.filter(
            Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
        )
    if exclude_ids:
        people = people.exclude(pk__in=exclude_ids)
    if manager_id is not None:
        people = people.filter(manager_id=manager_id)
    return people.select_related("department").order_by(Lower("sort_name"), "pk")


def people_page(
    people: QuerySet[Person], *, cursor: str | None, limit: int = PAGE_SIZE
) -> PeoplePage:
    """One page in name order, keyset-paginated: page 1,000 costs what page 1 costs."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    if cursor:
        sort_name, pk = decode_cursor(cursor)
        # The redundant `>=` bound lets the database seek into the (sort_name, id) index
        # instead of scanning from the start: page 1,000 then costs what page 1 costs.
        people = people.filter(sort_name__gte=sort_name).filter(
            Q(sort_name__gt=sort_name) | Q(pk__gt=pk)
        )
    rows = list(
        people.select_related("department", "manager").order_by("sort_name", "pk")[: limit + 1]
    )
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return PeoplePage(people=rows[:limit], next_cursor=next_cursor)


def person_for(user: Any, pk: int) -> Person:
    """The person with this id, or 404 when they do not exist or the user may not see them."""
    person = (
        scope(user, Person.objects.all())
        .select_related("department", "manager")
        .filter(pk=pk)
        .first()
    )
    if person is None or not can(user, "person.view", person):
        raise Http404("No such person.")
    return person


def manager_chain(person: Person) -> list[Person]:
    """The person's managers from the top of the company down to their direct manager."""
    ids = tree.ids_in(person.path)[:-1]
    by_id = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def direct_reports(user: Any, person: Person) -> QuerySet[Person]:
    return (
        scope(user, Person.objects.filter(manager=person))
        .exclude(status=PersonStatus.LEFT)
        .select_related("department")
        .annotate(report_count=Count("reports", filter=~Q(reports__status=PersonStatus.LEFT)))
        .order_by("sort_name", "pk")
    )


def direct_reports_of(
    user: Any, managers: list[Person], limit: int = 500
) -> dict[int, list[Person]]:
    """The direct reports of each manager given, as `direct_reports` answers for one, from
    one query whatever the number of managers (the org chart's second level on opening)."""
    rows = (
        scope(user, Person.objects.filter(manager__in=[m.pk for m in managers]))
        .exclude(status=PersonStatus.LEFT)
        .select_related("department")
        .annotate(report_count=Count("reports", filter=~Q(reports__status=PersonStatus.LEFT)))
        .order_by("manager_id", "sort_name", "pk")
    )
    found: dict[int, list[Person]] = {m.pk: [] for m in managers}
    for person in rows[: limit * max(len(managers), 1)]:
        if person.manager_id is not None and len(found[person.manager_id]) < limit:
            found[person.manager_id].append(person)
    return found


def chart_roots(user: Any) -> QuerySet[Person]:
    return (
        scope(user, Person.objects.filter(manager__isnull=True))
        .exclude(status=PersonStatus.LEFT)
        .select_related("department")
        .annotate(report_count=Count("reports", filter=~Q(reports__status=PersonStatus.LEFT)))
        .order_by("sort_name", "pk")
    )


def subtree_size(person: Person) -> int:
    return (
        Person.objects.filter(path__startswith=person.path)
        .exclude(pk=person.pk)
        .exclude(status=PersonStatus.LEFT)
        .count()
    )


def departments(user: Any) -> QuerySet[Department]:
    """The departments the user may see, by path, with `people`: how many are still here."""
    staying = Person.objects.exclude(status=PersonStatus.LEFT)
    return (
        scope(user, Department.objects.all())
        .select_related("parent", "head")
        # One index-only count per department (person_dept_status_idx), not a join of
        # every person grouped by department (120 ms at 100,000 people).
        .annotate(people=count_rows(staying.filter(department=OuterRef("pk"))))
        .order_by("path")
    )


# --- Signing in: who can, who was invited ---------------------------------------------------

# The HR people list's "Sign-in" filter.
NOT_INVITED = "not_invited"
INVITED = "invited"
SIGNED_IN = "signed_in"
SIGN_IN_CHOICES = [
    ("", "Anyone"),
    (NOT_INVITED, "Not invited yet"),
    (INVITED, "Invited, not signed in yet"),
    (SIGNED_IN, "Has signed in"),
]


def without_password() -> Q:
    """People who cannot sign in yet: no usable password. An import or HR creates people
    so; they choose a password at an invitation's link."""
    return Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)


def invitable() -> Q:
    """People an invitation may go to: no password yet, and still here (leavers never)."""
    return without_password() & Q(is_active=True) & ~Q(status=PersonStatus.LEFT)


def with_sign_in(people: QuerySet[Person], state: str) -> QuerySet[Person]:
    """`people` narrowed to one state of the "Sign-in" filter ("" leaves them all)."""
    if state == NOT_INVITED:
        return people.filter(invitable(), invitation__isnull=True)
    if state == INVITED:
        return people.filter(invitable(), invitation__isnull=False)
    if state == SIGNED_IN:
        return people.filter(last_login__isnull=False)
    return people


@dataclass(frozen=True)
class SignInState:
    """Where someone stands with signing in, as the HR pages show it."""

    code: str  # signed_in, can_sign_in, invited, expired, not_invited, left
    label: str
    since: datetime | None = None

    @property
    def can_invite(self) -> bool:
        return self.code in ("invited", "expired", "not_invited")

    @property
    def invited(self) -> bool:
        return self.code in ("invited", "expired")


def sign_in_state(person: Person) -> SignInState:
    """From the person's row and their invitation (select_related("invitation") for lists)."""
    if person.status == PersonStatus.LEFT or not person.is_active:
        return SignInState("left", "No access (left)")
    if person.last_login is not None:
        return SignInState("signed_in", "Signed in", person.last_login)
    if person.has_usable_password():
        return SignInState("can_sign_in", "Has a password, not signed in yet")
    invitation = getattr(person, "invitation", None)
    if invitation is None:
        return SignInState("not_invited", "Not invited yet")
    if invitation.expired:
        return SignInState("expired", "Invitation expired", invitation.sent_at)
    return SignInState("invited", "Invited", invitation.sent_at)
