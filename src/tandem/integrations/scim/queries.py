"""Every read SCIM makes: its tokens (for IT), the people and departments it serves (for
the identity provider, through /scim/v2/), and the IT page's status line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser
from scim2_filter_parser.transpilers.django_q_object import Transpiler
from scim2_models import InvalidFilterException, NotFoundException

from tandem.access.rules import scope
from tandem.integrations.scim.models import ScimEvent, ScimToken, ScimUser
from tandem.integrations.scim.resources import ENTERPRISE_SCHEMA
from tandem.integrations.status import StatusLine
from tandem.org.models import Department, Person

# --- Tokens (IT) -------------------------------------------------------------------------


def tokens(user: Any) -> QuerySet[ScimToken]:
    return scope(user, ScimToken.objects.filter(revoked_at__isnull=True))


def token_for(user: Any, token_id: int) -> ScimToken:
    """One live SCIM token the user may manage; missing and not allowed both answer 404."""
    token = tokens(user).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such SCIM token.")
    return token


def status_lines() -> list[StatusLine]:
    """The IT page's line: live tokens and their last use, the last change, the day's errors."""
    live = ScimToken.objects.filter(revoked_at__isnull=True)
    count = live.count()
    if count == 0:
        return [
            StatusLine(
                integration="SCIM provisioning",
                state="off",
                summary="No SCIM token: people are not provisioned by an identity provider.",
                manage_url=reverse("integrations_scim:tokens"),
            )
        ]
    now = timezone.now()
    last_use = live.exclude(last_used_at=None).order_by("-last_used_at").first()
    last_change = ScimEvent.objects.filter(ok=True).order_by("-at").first()
    errors = ScimEvent.objects.filter(ok=False, at__gte=now - timedelta(hours=24)).count()
    parts = [f"{count} token{'s' if count != 1 else ''}"]
    parts.append(
        f"last used {timesince(last_use.last_used_at, now)} ago"
        if last_use and last_use.last_used_at
        else "never used"
    )
    if last_change is not None:
        parts.append(f"last change {timesince(last_change.at, now)} ago")
    parts.append(f"{errors} error{'s' if errors != 1 else ''} in the last 24 hours")
    return [
        StatusLine(
            integration="SCIM provisioning",
            state="failing" if errors else "ok",
            summary="; ".join(parts),
            last_activity=last_change.at if last_change else None,
            manage_url=reverse("integrations_scim:tokens"),
        )
    ]


# --- Filters -----------------------------------------------------------------------------

ENTERPRISE = ENTERPRISE_SCHEMA.lower()
USER_FILTER_MAP: dict[tuple[str, str | None, str | None], str] = {
    ("id", None, None): "pk",
    ("username", None, None): "email",
    ("externalid", None, None): "scim__external_id",
    ("emails", None, None): "email",
    ("emails", "value", None): "email",
    ("active", None, None): "is_active",
    ("name", "givenname", None): "first_name",
    ("name", "familyname", None): "last_name",
    ("title", None, None): "title",
    ("employeenumber", None, ENTERPRISE + ":"): "employee_id",
    ("department", None, ENTERPRISE + ":"): "department__name",
    ("manager", "value", ENTERPRISE + ":"): "manager_id",
    ("manager", None, ENTERPRISE + ":"): "manager_id",
    ("meta", "created", None): "created_at",
}
GROUP_FILTER_MAP: dict[tuple[str, str | None, str | None], str] = {
    ("id", None, None): "pk",
    ("displayname", None, None): "name",
    ("externalid", None, None): "scim__external_id",
    ("members", "value", None): "members__pk",
    ("members", None, None): "members__pk",
}
# Lower-case columns compared exactly: e-mails are stored lower-case (org.services), so
# `eq` can use the unique index instead of UPPER(email) over every row (issue 17's speed).
LOWERED = {"email"}
EXACT = {"pk", "scim__external_id", "manager_id", "members__pk", "is_active"}


class _StrictTranspiler(Transpiler):
    """scim2-filter-parser's Django transpiler, refusing attributes Tandem does not keep
    (it would silently drop them, and a dropped clause matches everyone)."""

    def visit_AttrPath(self, node: Any) -> Any:
        found = super().visit_AttrPath(node)
        if found is None:
            name = ".".join(
                part
                for part in (node.uri, node.attr_name, node.sub_attr and node.sub_attr.value)
                if part
            )
            raise InvalidFilterException(detail=f"filter: Tandem cannot filter on “{name}”.")
        return found


def _sharpen(q: Q) -> Q:
    """Rewrite the transpiler's case-insensitive lookups where an index can answer exactly."""
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_sharpen(child))
            continue
        key, value = cast(tuple[str, Any], child)
        column, _, lookup = key.rpartition("__")
        if lookup == "iexact" and column in LOWERED and isinstance(value, str):
            children.append((column, value.lower()))
        elif lookup == "iexact" and column in EXACT:
            if column in {"pk", "manager_id", "members__pk"}:
                value = int(value) if str(value).isdigit() else -1
            children.append((column, value))
        else:
            children.append(child)
    sharpened = Q(*children, _connector=q.connector, _negated=q.negated)
    return sharpened


def parse_filter(text: str, mapping: dict[tuple[str, str | None, str | None], str]) -> Q:
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
        query = _StrictTranspiler(mapping).transpile(tree)
    except InvalidFilterException:
        raise
    except Exception as error:  # the parser raises bare exceptions on bad syntax
        raise InvalidFilterException(
            detail=f"filter: “{text}” is not a filter Tandem understands."
        ) from error
    return _sharpen(query) if query is not None else Q()


# --- Users and groups (the identity provider) --------------------------------------------


def _present() -> Any:
    return ~Exists(ScimUser.objects.filter(person=OuterRef("pk"), deleted_at__isnull=False))


def users() -> QuerySet[Person]:
    """Everyone SCIM shows: every person but those the provider deleted."""
    return Person.objects.filter(_present()).select_related("department", "manager", "scim")


def user_page(*, filter_text: str, start: int, count: int) -> tuple[int, list[Person]]:
    """One page of users in id order, and how many there are in all.

    A filter (`userName eq …`, the provider's usual question) narrows through an index, so
    the page is read at once, and counted only when it is full. Without one, deep pages at
    100k come from a narrow query first (the primary key's index, no joins), then those
    rows with their joins: OFFSET over the joined rows took 700 ms at startIndex=50001
    (issue 17's speed); the total is two plain counts (everyone, minus those the provider
    deleted) instead of an anti-join's."""
    if filter_text:
        matching = users().filter(_user_filter(filter_text)).order_by("pk")
        rows = list(matching[start - 1 : start - 1 + count]) if count else []
        if count and (rows or start == 1) and len(rows) < count:
            return start - 1 + len(rows), rows
        return matching.count(), rows
    total = Person.objects.count() - ScimUser.objects.filter(deleted_at__isnull=False).count()
    if not count or total < start:
        return total, []
    present = Person.objects.filter(_present()).order_by("pk")
    ids = list(present.values_list("pk", flat=True)[start - 1 : start - 1 + count])
    return total, list(users().filter(pk__in=ids).order_by("pk")) if ids else []


def _user_filter(text: str) -> Q:
    query = parse_filter(text, USER_FILTER_MAP)
    # A userName that is not an e-mail is kept on the SCIM link: look there too.
    return _with_user_names(query)


def _with_user_names(q: Q) -> Q:
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_with_user_names(child))
        elif cast(tuple[str, Any], child)[0] == "email":
            _, value = cast(tuple[str, Any], child)
            links = ScimUser.objects.filter(user_name__iexact=value)
            found = list(links.values_list("person_id", flat=True)[:1])
            children.append(Q(pk=found[0]) if found else Q(email=value))
        else:
            children.append(child)
    return Q(*children, _connector=q.connector, _negated=q.negated)


def user(pk: str) -> Person:
    person = users().filter(pk=int(pk) if pk.isdigit() else -1).first()
    if person is None:
        raise NotFoundException(detail=f"No user with id “{pk}”.")
    return person


def groups() -> QuerySet[Department]:
    return Department.objects.select_related("scim")


def group_page(*, filter_text: str, start: int, count: int) -> tuple[int, list[Department]]:
    queryset = groups()
    if filter_text:
        queryset = queryset.filter(
            pk__in=Department.objects.filter(parse_filter(filter_text, GROUP_FILTER_MAP)).values(
                "pk"
            )
        )
    total = queryset.count()
    rows = list(queryset.order_by("pk")[start - 1 : start - 1 + count]) if count else []
    return total, rows


def group(pk: str) -> Department:
    department = groups().filter(pk=int(pk) if pk.isdigit() else -1).first()
    if department is None:
        raise NotFoundException(detail=f"No group with id “{pk}”.")
    return department


def members_of(department_ids: list[int]) -> dict[int, list[int]]:
    """Each department's people (ids), in one query for a page of groups."""
    result: dict[int, list[int]] = {pk: [] for pk in department_ids}
    rows = (
        Person.objects.filter(department_id__in=department_ids)
        .filter(_present())
        .order_by("pk")
        .values_list("department_id", "pk")
    )
    for department_id, pk in rows:
        result[department_id].append(pk)
    return result
