"""The pieces of the access matrix: the cast of roles, the org they live in, the URL walk.

tests/access/test_matrix.py and each feature's test_matrix_<app>.py hold the tables; this
module builds what they run on (`matrix_org`) and checks a case (`check_case` and kin).

Because the matrix requests every URL of the URL conf as every role, two promises of
docs/security.md are checked here on every case as well:
- **a GET never changes state**: no INSERT, UPDATE or DELETE reaches the database while a
  GET is answered (`no_writes`), except the few on GET_WRITES_ALLOWED, each with its
  reason; a row checked by POST, PATCH… is also requested by GET, which must write nothing
  either (it is refused, or shows a form);
- **no typed text in addresses**: no page served has a form or htmx element that would
  send a text field by GET, beyond the people searches on tests/text_by_get.py's ALLOWED.
"""

from __future__ import annotations

import importlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Model
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django import DjangoDbBlocker

from tandem.access.models import ApiToken, RoleGrant
from tandem.audit.models import AuditEvent
from tandem.org.models import Company, CompanyValue, Department, Person, PersonStatus
from tandem.program.models import Program
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin, hr_partner
from tests.factories import it_admin as make_it_admin
from tests.text_by_get import ALLOWED as TEXT_BY_GET_ALLOWED
from tests.text_by_get import carriers

# --- Roles ------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
EMPLOYEE = "employee"  # an outsider: a peer in another team and another department
OWNER = "owner"  # the person the object belongs to (where there is an object)
MANAGER = "manager"  # the owner's manager
SKIP_MANAGER = "skip_manager"  # the manager's manager
HR_ADMIN = "hr_admin"
HR_PARTNER = "hr_partner"  # covers the owner's department (through its parent)
OTHER_PARTNER = "other_partner"  # covers another department only
EXECUTIVE = "executive"
IT_ADMIN = "it_admin"

ROLES = (
    ANONYMOUS,
    EMPLOYEE,
    OWNER,
    MANAGER,
    SKIP_MANAGER,
    HR_ADMIN,
    HR_PARTNER,
    OTHER_PARTNER,
    EXECUTIVE,
    IT_ADMIN,
)
SIGNED_IN = ROLES[1:]

# Strings that must never appear in a page or answer given to someone who may not see them.
LEAVER_SURNAME = "Quillfeather"  # the colleague who left: visible to covering HR only
OWNER_EMPLOYEE_ID = "PRIV-7731"  # the owner's private fields: self, managers, covering HR
OWNER_LEVEL = "Level-Q9Z"

# An expected answer: one status code, or a tuple of acceptable codes (a form POST with no
# data may answer 200 with errors or redirect; what matters is that it is not 404 or 500).
Expected = int | tuple[int, ...]
FORM = (200, 302)  # a form POST by an allowed role: re-shown with errors, or done


def expect(
    allowed: tuple[str, ...] | str = SIGNED_IN,
    *,
    ok: Expected = 200,
    denied: Expected = 404,
    anonymous: Expected = 302,
) -> dict[str, Expected]:
    """Expected status per role: `ok` for the allowed roles, `denied` for the other signed-in
    ones, and `anonymous` for a visitor who is not signed in (302 to /login/ for pages)."""
    if isinstance(allowed, str):
        allowed = (allowed,)
    table: dict[str, Expected] = {ANONYMOUS: anonymous}
    for role in SIGNED_IN:
        table[role] = ok if role in allowed else denied
    return table


def public(code: Expected = 200, *, signed_in: Expected | None = None) -> dict[str, Expected]:
    """A page anyone may open, signed in or not."""
    return {role: code if role == ANONYMOUS or signed_in is None else signed_in for role in ROLES}


def api(allowed: tuple[str, ...] | str = SIGNED_IN, *, ok: Expected = 200) -> dict[str, Expected]:
    """An API endpoint: 401 for a caller without credentials, 404 for a denied one."""
    return expect(allowed, ok=ok, anonymous=401)


def url(name: str, *args: object) -> str:
    """The path of a URL name, for a row's `url`: `lambda o: url("org:person", o.owner.pk)`."""
    return reverse(name, args=args)


def pk(o: Org, key: str) -> int:
    """The id of an object a feature's matrix module built on the org (`o.extras[key]`)."""
    return o.extras[key].pk


def body(make: Callable[[Org], dict[str, Any]]) -> dict[str, Any]:
    """A row's JSON body, built from the org (ids are only known once it exists); sent by
    `check_json_write`."""
    return {"json": make}


@dataclass(frozen=True)
class Row:
    """One line of the matrix: a URL (by name), the case it exercises, how to build it for
    the test org, the HTTP method checked, and the expected status for every role."""

    name: str
    case: str
    url: Callable[[Org], str]
    expected: Mapping[str, Expected]
    method: str = "GET"
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.name}[{self.case}]-{self.method}"


# --- The org ------------------------------------------------------------------------------


@dataclass
class Org:
    """A small company with one of everything the matrix needs.

    Engineering (covered by the HR partner) has a sub-department, Platform, where the owner,
    their manager and a colleague who has left work; the skip-level manager sits in
    Engineering itself. Sales (covered by the other partner) is where the outsider works.
    """

    engineering: Department
    platform: Department
    sales: Department
    people_team: Department
    people: dict[str, Person]
    leaver: Person
    outsider_manager: Person
    owner_token: ApiToken
    session_keys: dict[str, str] = field(default_factory=dict)
    # Objects of later features (goals, feedback, meetings…), built by each feature's own
    # matrix module on top of this org: extras["goal_private"], extras["meeting"], …
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def owner(self) -> Person:
        return self.people[OWNER]

    @property
    def manager(self) -> Person:
        return self.people[MANAGER]

    @property
    def everyone(self) -> list[Person]:
        """Every person of the cast, the leaver and the outsider's manager included."""
        return [*self.people.values(), self.leaver, self.outsider_manager]


def build_org() -> Org:
    engineering = DepartmentFactory(name="Matrix Engineering")
    platform = DepartmentFactory(name="Matrix Platform", parent=engineering)
    sales = DepartmentFactory(name="Matrix Sales")
    people_team = DepartmentFactory(name="Matrix People")

    skip = PersonFactory(first_name="Sam", last_name="Skip", department=engineering)
    manager = PersonFactory(
        first_name="Mia", last_name="Manager", department=platform, manager=skip
    )
    owner = PersonFactory(
        first_name="Olu",
        last_name="Owner",
        department=platform,
        manager=manager,
        employee_id=OWNER_EMPLOYEE_ID,
        level=OWNER_LEVEL,
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    leaver = PersonFactory(
        first_name="Lee",
        last_name=LEAVER_SURNAME,
        department=platform,
        manager=manager,
        status=PersonStatus.LEFT,
        start_date=yesterday - timedelta(days=400),
        end_date=yesterday,
    )
    outsider_manager = PersonFactory(first_name="Oscar", last_name="Boss", department=sales)
    outsider = PersonFactory(
        first_name="Eve", last_name="Outsider", department=sales, manager=outsider_manager
    )
    people = {
        EMPLOYEE: outsider,
        OWNER: owner,
        MANAGER: manager,
        SKIP_MANAGER: skip,
        HR_ADMIN: hr_admin(first_name="Hana", last_name="Admin", department=people_team),
        HR_PARTNER: hr_partner(
            [engineering], first_name="Pat", last_name="Partner", department=people_team
        ),
        OTHER_PARTNER: hr_partner(
            [sales], first_name="Paz", last_name="Otherpartner", department=people_team
        ),
        EXECUTIVE: executive(first_name="Ezra", last_name="Exec", department=people_team),
        IT_ADMIN: make_it_admin(first_name="Ivy", last_name="Itadmin", department=people_team),
    }
    # Made directly rather than through create_token, so no audit event outlives the module
    # (the audit trail is append-only and could not be cleaned up).
    raw, prefix, token_hash = ApiToken.generate()
    owner_token = ApiToken.objects.create(
        person=owner, name="owner's laptop", prefix=prefix, token_hash=token_hash
    )
    return Org(
        engineering=engineering,
        platform=platform,
        sales=sales,
        people_team=people_team,
        people=people,
        leaver=leaver,
        outsider_manager=outsider_manager,
        owner_token=owner_token,
    )


def tear_down_org(org: Org) -> None:
    people = org.everyone
    ApiToken.objects.filter(person__in=people).delete()
    RoleGrant.objects.filter(person__in=people).delete()
    # Reports first, then their managers (the reporting FK is SET_NULL, but be tidy).
    for person in sorted(people, key=lambda p: -p.depth):
        Person.objects.filter(pk=person.pk).delete()
    for department in (org.platform, org.engineering, org.sales, org.people_team):
        Department.objects.filter(pk=department.pk).delete()


@contextmanager
def matrix_org(
    django_db_blocker: DjangoDbBlocker,
    *,
    extras: Callable[[Org], None] | None = None,
    cleanup: Callable[[Org], None] | None = None,
) -> Iterator[Org]:
    """The org of a matrix module, with a signed-in session for each role.

    `extras` builds the module's own objects on top of the org and files them in
    `org.extras`; `cleanup` removes them again. Whatever happens, on the way out the
    sessions end, `cleanup` runs (so it must cope with extras that were only partly built)
    and the org is torn down: nothing outlives the module.

    Used by each module's module-scoped `org` fixture: the org and the sessions are made
    once for the whole module (signing in for each of hundreds of tests would double its
    run time). Each test runs in its own transaction and rolls back, so a POST or a
    sign-out cannot leak into the next.
    """
    with django_db_blocker.unblock():
        org = build_org()
        try:
            if extras is not None:
                extras(org)
            signed_in_sessions(org)
            yield org
        finally:
            end_sessions(org)
            if cleanup is not None:
                cleanup(org)
            tear_down_org(org)


# --- Running one case -------------------------------------------------------------------------

FINGERPRINT_EXTRAS: list[Callable[[], Any]] = []


def register_fingerprint(snapshot: Callable[[], Any]) -> None:
    """A feature's matrix module adds what its denied writes could touch."""
    FINGERPRINT_EXTRAS.append(snapshot)


def register_tables(*models: type[Model]) -> None:
    """A feature's matrix module adds the tables its denied writes could touch, every row."""
    register_fingerprint(lambda: tuple(table_rows(model) for model in models))


def signed_in_sessions(org: Org) -> None:
    for role, person in org.people.items():
        client = Client()
        client.force_login(person)
        org.session_keys[role] = client.session.session_key or ""


def end_sessions(org: Org) -> None:
    Session.objects.filter(session_key__in=org.session_keys.values()).delete()


def client_as(org: Org, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = org.session_keys[role]
    return client


def matches(status: int, expected: Expected) -> bool:
    return status in expected if isinstance(expected, tuple) else status == expected


def cases(rows: tuple[Row, ...]) -> list[tuple[Row, str]]:
    return [(row, role) for row in rows for role in ROLES]


def case_ids(rows: tuple[Row, ...]) -> list[str]:
    return [f"{row.label}-{role}" for row, role in cases(rows)]


def check_case(row: Row, role: str, org: Org) -> str | None:
    """Request the row's URL as `role` and assert the expected status; a refused POST must
    change nothing. A GET must write nothing (and any row's URL is also requested by GET)
    and a page must send no typed text by GET. Returns the page text of a 200 GET, for
    leak checks."""
    client = client_as(org, role)
    target = row.url(org)
    expected = row.expected[role]
    if row.method == "GET":
        with no_writes(f"GET {target} as {role}"):
            response = client.get(target)
        if response.status_code == 200:
            assert_no_text_by_get(response, row.name, target)
    else:
        check_get_writes_nothing(client, target, role)
        before = fingerprint()
        response = client.post(target, dict(row.data))
        if role == ANONYMOUS or expected in (401, 404):
            assert fingerprint() == before, f"a refused POST to {target} changed the database"
    assert matches(response.status_code, expected), (
        f"{row.method} {target} as {role}: expected {expected}, got {response.status_code}"
    )
    if role == ANONYMOUS and expected == 302 and row.name != "logout":
        assert response["Location"].startswith("/login/"), response["Location"]
    if row.method == "GET" and response.status_code == 200:
        return response.content.decode(errors="replace")
    return None


def check_json_write(row: Row, role: str, org: Org) -> None:
    """Send the row's API write as JSON, as a real client would (so a denied role is refused
    by access, not by parsing), assert the expected status; a refused one changes nothing.
    The body is `row.data`, or what `body(...)` builds from the org."""
    client = client_as(org, role)
    target = row.url(org)
    check_get_writes_nothing(client, target, role)
    make = row.data.get("json")
    payload = json.dumps(make(org) if callable(make) else dict(row.data))
    expected = row.expected[role]
    before = fingerprint()
    response = client.generic(row.method, target, payload, content_type="application/json")
    if role == ANONYMOUS or expected in (401, 404):
        assert fingerprint() == before, f"a refused {row.method} to {target} changed the database"
    assert matches(response.status_code, expected), (
        f"{row.method} {target} as {role}: expected {expected}, got {response.status_code} "
        f"{response.content[:300]!r}"
    )


def check_api_case(row: Row, role: str, org: Org) -> str | None:
    """`check_case` for the API: a write is sent as JSON (`check_json_write`) and has no text
    to search; a read is checked by `check_case`, which returns a 200's answer."""
    if row.method == "GET":
        return check_case(row, role, org)
    check_json_write(row, role, org)
    return None


def export_text(response: HttpResponseBase) -> str:
    """A streamed export as text: CSV as it is, XLSX cell by cell."""
    assert isinstance(response, StreamingHttpResponse), "the export is not streamed"
    content = b"".join(response.streaming_content)  # type: ignore[arg-type]
    if response["Content-Type"].startswith("text/csv"):
        return content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "\t".join("" if cell is None else str(cell) for cell in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def check_export(row: Row, role: str, org: Org) -> str | None:
    """`check_case` for a streamed export (which has no `response.content`): request the
    row's URL as `role`, assert the status, and return a 200's export as text."""
    target = row.url(org)
    # An export is a GET that records who took it: the one write an export may make.
    with no_writes(f"GET {target} as {role}", allowed=EXPORT_WRITES_ALLOWED):
        response = client_as(org, role).get(target)
        expected = row.expected[role]
        assert matches(response.status_code, expected), (
            f"GET {target} as {role}: expected {expected}, got {response.status_code}"
        )
        if role == ANONYMOUS:
            assert response["Location"].startswith("/login/"), response["Location"]
        if response.status_code == 200:
            assert response.streaming, f"{target} is not streamed"
            return export_text(response)  # streamed: the export runs as it is read
    return None


def assert_unseen(text: str | None, role: str, target: str, readers: Mapping[str, Any]) -> None:
    """Each secret (`readers`: secret → the roles who may read it) is absent from the text of
    a page or answer given to anyone else. `text` None (no 200) has nothing to check."""
    if text is None:
        return
    for secret, allowed in readers.items():
        if role not in allowed:
            assert secret not in text, f"{target} shows {role} {secret!r}"


def assert_rows_build_their_own_urls(rows: Iterable[Row], org: Org) -> None:
    """Each row's URL (its query string aside) resolves to the row's own URL name."""
    wrong = []
    for row in rows:
        target = row.url(org)
        name = resolve(target.split("?")[0]).view_name
        if name != row.name:
            wrong.append(f"{row.label} builds {target} ({name})")
    assert not wrong, "\n".join(wrong)


def all_matrix_rows() -> list[Row]:
    """The rows of every matrix module (tests/access/test_matrix*.py)."""
    rows: list[Row] = []
    for path in sorted(Path(__file__).parent.glob("test_matrix*.py")):
        module = importlib.import_module(f"tests.access.{path.stem}")
        rows.extend(module.MATRIX)
    return rows


# --- A GET changes nothing ------------------------------------------------------------------

WRITE = re.compile(
    r'^\s*(?:(INSERT)\s+(?:OR\s+\w+\s+)?INTO|(UPDATE)|(DELETE)\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)

# (statement, table) → why a GET may write it. Keep this short: each entry is a promise in
# docs/security.md ("A GET never changes state").
GET_WRITES_ALLOWED: dict[tuple[str, str], str] = {
    ("UPDATE", "django_session"): (
        "the session's last-seen time, at most once a minute: the idle time-out "
        "(TANDEM_SESSION_IDLE_MINUTES) is counted from it, on the server"
    ),
    ("UPDATE", "access_apitoken"): (
        "an API token's last-used time, at most once a minute: IT admins tell a live "
        "token from a forgotten one by it (not reached here: the matrix's API calls use "
        "sessions)"
    ),
    ("INSERT", "fairness_ratereffects"): (
        "a cycle's rater-effects estimate, cached when HR first reads it (a small cycle is "
        "computed at once, a large one queued): derived from the ratings, nobody's data"
    ),
    ("UPDATE", "fairness_ratereffects"): (
        "the same cache, computed again (or queued) when a rating changed since"
    ),
}
EXPORT_WRITES_ALLOWED: dict[tuple[str, str], str] = {
    **GET_WRITES_ALLOWED,
    ("INSERT", "audit_auditevent"): (
        "the audit record of an export: who took which people data out of Tandem, when"
    ),
}


def written(sql: str) -> tuple[str, str] | None:
    """("INSERT" | "UPDATE" | "DELETE", table) for a statement that writes, else None."""
    match = WRITE.match(sql)
    if match is None:
        return None
    verb = next(v for v in match.groups()[:3] if v)
    return verb.upper(), match.group(4).lower()


@contextmanager
def no_writes(
    what: str, *, allowed: Mapping[tuple[str, str], str] = GET_WRITES_ALLOWED
) -> Iterator[None]:
    """Fail when a statement that writes (beyond `allowed`) runs inside the block."""
    writes: list[str] = []

    def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        kind = written(sql)
        if kind is not None and kind not in allowed:
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield
    assert not writes, f"{what} wrote to the database:\n" + "\n".join(writes)


def check_get_writes_nothing(client: Client, target: str, role: str) -> None:
    """A URL checked with another method answers a GET without writing, and without a 500."""
    with no_writes(f"GET {target} as {role}"):
        response = client.get(target)
    assert response.status_code < 500, f"GET {target} as {role}: {response.status_code}"


# --- No typed text in addresses ---------------------------------------------------------------


def assert_no_text_by_get(response: HttpResponseBase, name: str, target: str) -> None:
    """The page has no form or htmx element that sends a text field by GET, beyond the
    people searches on tests/text_by_get.py's ALLOWED."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode(errors="replace")  # type: ignore[attr-defined]
    wrong = []
    for carrier in carriers(html):
        goes_to = carrier.target.split("?")[0] or target.split("?")[0]
        try:
            where = resolve(goes_to).view_name
        except Resolver404:
            where = goes_to
        if (where, carrier.name) not in TEXT_BY_GET_ALLOWED:
            wrong.append(carrier.describe())
    assert not wrong, f"{target} ({name}) would put typed text in an address:\n" + "\n".join(wrong)


# --- What "nothing changed" means ------------------------------------------------------------


def table_rows(model: type[Model]) -> list[tuple[Any, ...]]:
    """Every row of a table, in order: what a snapshot for the fingerprint compares."""
    return list(model._default_manager.order_by("pk").values_list())


def fingerprint() -> tuple[Any, ...]:
    """Everything a denied write could have touched. Compared before and after a POST."""
    return (
        AuditEvent.objects.count(),
        table_rows(Person),
        table_rows(Department),
        table_rows(RoleGrant),
        table_rows(ApiToken),
        table_rows(Company),
        table_rows(CompanyValue),
        table_rows(Program),
        *(snapshot() for snapshot in FINGERPRINT_EXTRAS),
    )


# --- Walking the URL configuration ---------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself for an unnamed URL
    pattern: str


def all_routes() -> Iterator[Route]:
    """Every URL pattern in the project, recursively, with its namespaced name."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
    ) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            else:
                pattern = prefix + str(entry.pattern)
                if entry.name:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                else:
                    name = pattern
                yield Route(name=name, pattern=pattern)

    yield from walk(get_resolver().url_patterns, "/", "")
