"""The demo company: a realistic organisation with history, generated from a seed.

Everything is built in Python first (ids, materialized paths, derived name columns,
reporting-line history) and streamed as plain rows (`core.bulk.RowSink`: COPY on
PostgreSQL), inside one transaction, with foreign keys and secondary indexes put back once
the rows are in, so 100,000 people load in minutes rather than hours. The same seed (and
the same "today") always gives the same company.

Only the demo log-ins (hr@, exec@, director@, manager@, employee@, it@, partner@) can sign
in, all with the password DEMO_PASSWORD; everyone else has an unusable password, so a demo
left running on a shared server opens seven accounts, not a hundred thousand.
"""

from __future__ import annotations

import gc
import random
import resource
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol, TypeVar

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import models, transaction
from django.utils import timezone

from tandem.access.models import Role, RoleGrant
from tandem.access.rules import SYSTEM, require
from tandem.audit.services import record
from tandem.core.bulk import (
    RowSink,
    analyze_tables,
    checks_and_indexes_after,
    next_id,
    reset_sequences,
)
from tandem.org import tree
from tandem.org.models import (
    Company,
    CompanyValue,
    Department,
    Person,
    PersonStatus,
    ReportingLine,
    derived_name_columns,
)
from tandem.program.models import Program, Purpose

DEMO_PASSWORD = "tandem-demo"  # noqa: S105 (a published demo password, printed on purpose)
DEMO_DOMAIN = "demo.tandem.test"
DEFAULT_PEOPLE = 200
DEFAULT_SEED = 2024
MIN_PEOPLE = 40
BATCH_SIZE = 2000

LEAVER_SHARE = 0.05
ON_LEAVE_SHARE = 0.02
HISTORY_SHARE = 0.08  # people who reported to someone else before their current manager
MAX_SPAN = 10
MIN_TEAM = 4

COMPANY_NAME = "Bluefjord"
COMPANY_MISSION = (
    "Make running a small business feel effortless: one calm place for invoices, payroll "
    "and cash flow, so owners spend their days on their craft, not on paperwork."
)
COMPANY_VALUES: tuple[tuple[str, str], ...] = (
    (
        "Customers first",
        "We start from the owner's problem, talk to customers every week and measure "
        "ourselves by the time we give back to them.",
    ),
    (
        "Own the outcome",
        "We say what we will deliver, deliver it, and say so early when we cannot. "
        "Shipping is not done until it works for the customer.",
    ),
    (
        "Candid and kind",
        "We give feedback directly and with care, in the open when it is about the work, "
        "in private when it is about the person.",
    ),
    (
        "Learn in public",
        "We write down what we tried, share what failed and make it easy for the next "
        "person to do better.",
    ),
    (
        "Better together",
        "We hire for generosity, help across teams without being asked and celebrate the "
        "team's wins over our own.",
    ),
)
PROGRAM_PURPOSES = [Purpose.GROWTH, Purpose.ACCOUNTABILITY, Purpose.PROMOTION]
PROGRAM_STATEMENT = (
    "We run performance conversations so that everyone knows what is expected of them, "
    "hears how they are doing well before any review, and grows in the direction they "
    "choose. Reviews are evidence for promotions; pay follows the market and your level, "
    "and is never decided from a single rating."
)


# --- The shape of the company --------------------------------------------------------

Ladder = tuple[tuple[str, str], ...]  # (level, title) from junior to senior


@dataclass(frozen=True)
class Unit:
    """A department in the demo: its share of people, its head and its job ladders."""

    name: str
    weight: float
    head_title: str
    head_level: str
    ladder: Ladder
    managers: tuple[tuple[str, str], tuple[str, str]]  # (first-line, manager of managers)
    minimum: int = 1
    subs: tuple[Unit, ...] = ()


def _engineering_ladder(kind: str) -> Ladder:
    return (
        ("IC1", f"{kind} I"),
        ("IC2", f"{kind} II"),
        ("IC3", f"Senior {kind}"),
        ("IC4", f"Staff {kind}"),
        ("IC5", f"Senior Staff {kind}"),
        ("IC6", f"Principal {kind}"),
    )


_ENG_MANAGERS = (("M1", "Engineering Manager"), ("M2", "Senior Engineering Manager"))


def _eng_team(name: str, kind: str, weight: float) -> Unit:
    return Unit(
        name=name,
        weight=weight,
        head_title=f"Director of Engineering, {name}",
        head_level="M3",
        ladder=_engineering_ladder(kind),
        managers=_ENG_MANAGERS,
    )


_SALES_MANAGERS = (("M1", "Sales Manager"), ("M2", "Regional Sales Director"))
_CS_MANAGERS = (("M1", "Team Lead, Customer Success"), ("M2", "Customer Success Director"))
_MKT_MANAGERS = (("M1", "Marketing Manager"), ("M2", "Senior Marketing Manager"))

UNITS: tuple[Unit, ...] = (
    Unit(
        name="Engineering",
        weight=0.34,
        head_title="VP of Engineering",
        head_level="VP",
        ladder=_engineering_ladder("Software Engineer"),
        managers=_ENG_MANAGERS,
        minimum=12,
        subs=(
            _eng_team("Platform", "Software Engineer", 0.22),
            _eng_team("Product Engineering", "Software Engineer", 0.30),
            _eng_team("Mobile", "Mobile Engineer", 0.12),
            _eng_team("Data", "Data Engineer", 0.12),
            _eng_team("Infrastructure", "Site Reliability Engineer", 0.10),
            _eng_team("Security", "Security Engineer", 0.07),
            _eng_team("Quality", "QA Engineer", 0.07),
        ),
    ),
    Unit(
        name="Product",
        weight=0.05,
        head_title="VP of Product",
        head_level="VP",
        ladder=(
            ("P1", "Associate Product Manager"),
            ("P2", "Product Manager"),
            ("P3", "Senior Product Manager"),
            ("P4", "Principal Product Manager"),
        ),
        managers=(("M1", "Group Product Manager"), ("M2", "Director of Product")),
    ),
    Unit(
        name="Design",
        weight=0.04,
        head_title="Head of Design",
        head_level="M3",
        ladder=(
            ("D1", "Product Designer"),
            ("D2", "Senior Product Designer"),
            ("D3", "Staff Product Designer"),
            ("D2", "UX Researcher"),
            ("D3", "Senior UX Researcher"),
        ),
        managers=(("M1", "Design Manager"), ("M2", "Senior Design Manager")),
    ),
    Unit(
        name="Sales",
        weight=0.17,
        head_title="VP of Sales",
        head_level="VP",
        ladder=(("AE1", "Account Executive"), ("AE2", "Senior Account Executive")),
        managers=_SALES_MANAGERS,
        minimum=3,
        subs=(
            Unit(
                name="Sales Development",
                weight=0.35,
                head_title="Director of Sales Development",
                head_level="M3",
                ladder=(
                    ("SDR1", "Sales Development Representative"),
                    ("SDR2", "Senior Sales Development Representative"),
                ),
                managers=(("M1", "SDR Team Lead"), ("M2", "Sales Development Manager")),
            ),
            Unit(
                name="Account Executives",
                weight=0.40,
                head_title="Director of Sales",
                head_level="M3",
                ladder=(
                    ("AE1", "Account Executive"),
                    ("AE2", "Senior Account Executive"),
                    ("AE3", "Enterprise Account Executive"),
                ),
                managers=_SALES_MANAGERS,
            ),
            Unit(
                name="Solutions Engineering",
                weight=0.15,
                head_title="Director of Solutions Engineering",
                head_level="M3",
                ladder=(
                    ("SE1", "Solutions Engineer"),
                    ("SE2", "Senior Solutions Engineer"),
                    ("SE3", "Principal Solutions Engineer"),
                ),
                managers=(
                    ("M1", "Solutions Engineering Manager"),
                    ("M2", "Senior Solutions Engineering Manager"),
                ),
            ),
            Unit(
                name="Sales Operations",
                weight=0.10,
                head_title="Head of Sales Operations",
                head_level="M3",
                ladder=(
                    ("O1", "Sales Operations Analyst"),
                    ("O2", "Senior Sales Operations Analyst"),
                ),
                managers=(("M1", "Sales Operations Manager"), ("M2", "Sales Operations Lead")),
            ),
        ),
    ),
    Unit(
        name="Marketing",
        weight=0.07,
        head_title="VP of Marketing",
        head_level="VP",
        ladder=(
            ("MK1", "Marketing Specialist"),
            ("MK2", "Content Marketing Manager"),
            ("MK2", "Growth Marketer"),
            ("MK3", "Senior Product Marketing Manager"),
        ),
        managers=_MKT_MANAGERS,
        subs=(
            Unit(
                name="Product Marketing",
                weight=0.35,
                head_title="Director of Product Marketing",
                head_level="M3",
                ladder=(
                    ("MK2", "Product Marketing Manager"),
                    ("MK3", "Senior Product Marketing Manager"),
                ),
                managers=_MKT_MANAGERS,
            ),
            Unit(
                name="Growth Marketing",
                weight=0.40,
                head_title="Director of Growth",
                head_level="M3",
                ladder=(
                    ("MK1", "Growth Marketer"),
                    ("MK2", "Senior Growth Marketer"),
                    ("MK1", "Marketing Analyst"),
                ),
                managers=_MKT_MANAGERS,
            ),
            Unit(
                name="Brand and Communications",
                weight=0.25,
                head_title="Director of Brand",
                head_level="M3",
                ladder=(
                    ("MK1", "Content Writer"),
                    ("MK2", "Brand Designer"),
                    ("MK2", "Communications Manager"),
                ),
                managers=_MKT_MANAGERS,
            ),
        ),
    ),
    Unit(
        name="Customer Success",
        weight=0.15,
        head_title="VP of Customer Success",
        head_level="VP",
        ladder=(("CS1", "Customer Success Manager"), ("CS2", "Senior Customer Success Manager")),
        managers=_CS_MANAGERS,
        minimum=3,
        subs=(
            Unit(
                name="Customer Support",
                weight=0.55,
                head_title="Head of Support",
                head_level="M3",
                ladder=(
                    ("CS1", "Customer Support Specialist"),
                    ("CS2", "Senior Customer Support Specialist"),
                    ("CS3", "Technical Support Engineer"),
                ),
                managers=(("M1", "Support Team Lead"), ("M2", "Support Manager")),
            ),
            Unit(
                name="Onboarding",
                weight=0.20,
                head_title="Head of Onboarding",
                head_level="M3",
                ladder=(("CS1", "Onboarding Specialist"), ("CS2", "Implementation Consultant")),
                managers=_CS_MANAGERS,
            ),
            Unit(
                name="Account Management",
                weight=0.25,
                head_title="Director of Account Management",
                head_level="M3",
                ladder=(
                    ("CS1", "Customer Success Manager"),
                    ("CS2", "Senior Customer Success Manager"),
                    ("CS3", "Strategic Account Manager"),
                ),
                managers=_CS_MANAGERS,
            ),
        ),
    ),
    Unit(
        name="Finance",
        weight=0.04,
        head_title="Chief Financial Officer",
        head_level="VP",
        ladder=(
            ("F1", "Accountant"),
            ("F2", "Senior Accountant"),
            ("F2", "Financial Analyst"),
            ("F3", "Senior Financial Analyst"),
            ("F3", "Payroll Specialist"),
        ),
        managers=(("M1", "Finance Manager"), ("M2", "Controller")),
    ),
    Unit(
        name="People",
        weight=0.04,
        head_title="Chief People Officer",
        head_level="VP",
        ladder=(
            ("H1", "People Operations Specialist"),
            ("H2", "Recruiter"),
            ("H2", "Senior Recruiter"),
            ("H3", "HR Business Partner"),
            ("H2", "Learning and Development Specialist"),
        ),
        managers=(("M1", "People Operations Manager"), ("M2", "Head of Talent")),
        minimum=3,
    ),
    Unit(
        name="IT",
        weight=0.03,
        head_title="Head of IT",
        head_level="M3",
        ladder=(
            ("T1", "IT Support Specialist"),
            ("T2", "Systems Administrator"),
            ("T3", "IT Engineer"),
        ),
        managers=(("M1", "IT Manager"), ("M2", "Senior IT Manager")),
        minimum=2,
    ),
    Unit(
        name="Legal",
        weight=0.02,
        head_title="General Counsel",
        head_level="VP",
        ladder=(("L1", "Paralegal"), ("L2", "Legal Counsel"), ("L3", "Senior Legal Counsel")),
        managers=(("M1", "Legal Manager"), ("M2", "Deputy General Counsel")),
    ),
    Unit(
        name="Operations",
        weight=0.05,
        head_title="VP of Operations",
        head_level="VP",
        ladder=(
            ("O1", "Operations Analyst"),
            ("O2", "Business Operations Manager"),
            ("O2", "Workplace Coordinator"),
            ("O3", "Senior Operations Manager"),
        ),
        managers=(("M1", "Operations Manager"), ("M2", "Director of Operations")),
    ),
)

OFFICE = Unit(
    name="Office of the CEO",
    weight=0,
    head_title="Chief Executive Officer",
    head_level="CEO",
    ladder=(("EX1", "Executive Assistant"), ("EX2", "Chief of Staff")),
    managers=(("M1", "Chief of Staff"), ("M2", "Chief of Staff")),
)

# Junior levels are the most common; the last rungs of a ladder are rare.
LEVEL_WEIGHTS = (26, 30, 22, 12, 7, 3)

# (location, time zone, name locales, weight)
LOCATIONS: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("San Francisco", "America/Los_Angeles", ("en_US",), 16),
    ("New York", "America/New_York", ("en_US",), 14),
    ("Austin", "America/Chicago", ("en_US", "es_MX"), 8),
    ("Toronto", "America/Toronto", ("en_CA",), 6),
    ("London", "Europe/London", ("en_GB", "en_IN"), 14),
    ("Berlin", "Europe/Berlin", ("de_DE",), 10),
    ("Amsterdam", "Europe/Amsterdam", ("nl_NL",), 6),
    ("Paris", "Europe/Paris", ("fr_FR",), 5),
    ("Lisbon", "Europe/Lisbon", ("pt_PT",), 5),
    ("Madrid", "Europe/Madrid", ("es_ES",), 4),
    ("Bengaluru", "Asia/Kolkata", ("en_IN",), 6),
    ("Singapore", "Asia/Singapore", ("en_US", "en_IN"), 3),
    ("Sydney", "Australia/Sydney", ("en_AU",), 3),
)

NICKNAMES = {
    "Robert": "Bob",
    "William": "Will",
    "Elizabeth": "Liz",
    "Katherine": "Kate",
    "Christopher": "Chris",
    "Alexander": "Alex",
    "Jennifer": "Jen",
    "Michael": "Mike",
    "Margaret": "Maggie",
    "Nicholas": "Nick",
    "Jonathan": "Jon",
    "Benjamin": "Ben",
    "Samantha": "Sam",
    "Matthew": "Matt",
    "Daniel": "Dan",
    "Rebecca": "Becky",
}


# --- Demo log-ins --------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    key: str
    role: str
    email: str
    name: str = ""
    title: str = ""


LOGIN_ROLES: tuple[tuple[str, str, str], ...] = (
    ("hr", "HR admin, people analytics", f"hr@{DEMO_DOMAIN}"),
    ("partner", "HR partner: Sales, Customer Success", f"partner@{DEMO_DOMAIN}"),
    ("exec", "Executive", f"exec@{DEMO_DOMAIN}"),
    ("director", "Manager of managers", f"director@{DEMO_DOMAIN}"),
    ("manager", "First-line manager", f"manager@{DEMO_DOMAIN}"),
    ("employee", "Employee", f"employee@{DEMO_DOMAIN}"),
    ("it", "IT admin", f"it@{DEMO_DOMAIN}"),
)


def demo_logins() -> list[DemoLogin]:
    """The demo log-ins as they are in the database now (names filled in when loaded)."""
    emails = [email for _, _, email in LOGIN_ROLES]
    people = {p.email: p for p in Person.objects.filter(email__in=emails)}
    logins = []
    for key, role, email in LOGIN_ROLES:
        person = people.get(email)
        logins.append(
            DemoLogin(
                key=key,
                role=role,
                email=email,
                name=person.display_name if person else "",
                title=person.title if person else "",
            )
        )
    return logins


# --- Generation ----------------------------------------------------------------------


class DemoRefused(Exception):
    """The database already holds an organisation; the demo only loads into an empty one."""


Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class _Row:
    """One person while the company is being drawn, before they become a model instance."""

    index: int
    manager: int | None
    unit: int  # index into the department list
    location: int
    title: str = ""
    level: str = ""
    fixed_title: bool = False
    reports: list[int] = field(default_factory=list)
    start: date = date.min
    status: str = PersonStatus.ACTIVE
    end: date | None = None
    login: str = ""


@dataclass
class _Dept:
    index: int
    unit: Unit
    parent: int | None
    head: int | None = None


@dataclass(frozen=True)
class DemoPart:
    """How long one part of the demo (the org, each feature's data, the commit) took, on
    the clock and in this process's CPU time (the database server's is not in it; on a
    busy machine the CPU time says more than the clock), and the process's peak memory when
    it ended (peak resident set size, which only grows)."""

    name: str
    seconds: float
    cpu_seconds: float
    peak_mb: float


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time this process has used so far (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Parts:
    """Times each part of the load and tells the caller when the next one starts."""

    def __init__(self, started: Callable[[str], None]) -> None:
        self.started = started
        self.parts: list[DemoPart] = []
        self.name = ""
        self.since = self.cpu_since = 0.0

    def begin(self, name: str) -> None:
        self.end()
        self.name, self.since, self.cpu_since = name, time.perf_counter(), cpu_seconds()
        self.started(name)

    def end(self) -> None:
        if self.name:
            seconds = time.perf_counter() - self.since
            cpu = cpu_seconds() - self.cpu_since
            self.parts.append(DemoPart(self.name, seconds, cpu, peak_rss_mb()))
            self.name = ""


def _no_part(name: str) -> None:
    return None


@dataclass
class DemoResult:
    people: int
    departments: int
    reporting_lines: int
    logins: list[DemoLogin]
    parts: list[DemoPart] = field(default_factory=list)


class _Names:
    """First and last names from Faker's locale data, drawn with our own seeded RNG.

    Drawing from the lists directly is ~20x faster than calling Faker per name and just as
    deterministic; the weights Faker ships (e.g. en_US name frequencies) are kept."""

    def __init__(self) -> None:
        from faker import Faker

        self._lists: dict[str, tuple[Any, ...]] = {}
        for _, _, locales, _ in LOCATIONS:
            for locale in locales:
                if locale in self._lists:
                    continue
                provider: Any = Faker(locale).provider("faker.providers.person")
                self._lists[locale] = (
                    *self._weighted(provider.first_names),
                    *self._weighted(provider.last_names),
                )

    @staticmethod
    def _weighted(names: Any) -> tuple[list[str], list[float] | None]:
        if isinstance(names, dict):
            return list(names), [float(w) for w in names.values()]
        return list(names), None

    def draw(self, rng: random.Random, locale: str) -> tuple[str, str]:
        firsts, first_w, lasts, last_w = self._lists[locale]
        first = rng.choices(firsts, first_w)[0] if first_w else rng.choice(firsts)
        last = rng.choices(lasts, last_w)[0] if last_w else rng.choice(lasts)
        return first, last


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum())


def _split(total: int, parts: int, minimum: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` random shares, each at least `minimum`."""
    extra = total - parts * minimum
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = extra / sum(weights)
    shares = [minimum + int(w * scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def _allocate(total: int, units: Sequence[Unit]) -> list[int]:
    """People per unit by weight (largest remainder), respecting each unit's minimum."""
    weight_sum = sum(u.weight for u in units)
    raw = [total * u.weight / weight_sum for u in units]
    counts = [max(u.minimum, int(r)) for u, r in zip(units, raw, strict=True)]
    order = sorted(range(len(units)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(counts) < total:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts) > total:
        biggest = max(range(len(counts)), key=lambda j: counts[j] - units[j].minimum)
        counts[biggest] -= 1
    return counts


class _Builder:
    def __init__(self, *, people: int, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.founded = today - timedelta(days=365 * 9 + 2)
        self.leavers = max(2, round(people * LEAVER_SHARE))
        self.active = people - self.leavers
        self.rows: list[_Row] = []
        self.depts: list[_Dept] = []
        self.location_weights = [w for *_, w in LOCATIONS]

    # -- tree --

    def _add(self, manager: int | None, unit: int, location: int | None = None) -> int:
        if location is None:
            location = self._location_near(manager)
        row = _Row(index=len(self.rows), manager=manager, unit=unit, location=location)
        self.rows.append(row)
        if manager is not None:
            self.rows[manager].reports.append(row.index)
        return row.index

    def _location_near(self, manager: int | None) -> int:
        # Most teams sit together; some people work from another office.
        if manager is not None and self.rng.random() < 0.7:
            return self.rows[manager].location
        return self.rng.choices(range(len(LOCATIONS)), self.location_weights)[0]

    def _dept(self, unit: Unit, parent: int | None) -> int:
        self.depts.append(_Dept(index=len(self.depts), unit=unit, parent=parent))
        return len(self.depts) - 1

    def _team(self, head: int, count: int, dept: int) -> None:
        """`count` people below `head`, in teams of 4 to 10 with managers above them."""
        if count <= 0:
            return
        if count <= MAX_SPAN:
            for _ in range(count):
                self._add(head, dept)
            return
        span = self.rng.randint(5, 8)
        while (count - span) // MIN_TEAM < 1:
            span -= 1
        managers = min(span, (count - span) // MIN_TEAM)
        sizes = _split(count - span, managers, MIN_TEAM, self.rng)
        children = [self._add(head, dept) for _ in range(managers)]
        for _ in range(span - managers):
            self._add(head, dept)
        for child, size in zip(children, sizes, strict=True):
            self._team(child, size, dept)

    def build_tree(self) -> None:
        office = self._dept(OFFICE, None)
        ceo = self._add(None, office)
        self.depts[office].head = ceo
        staff = [u for u in OFFICE.ladder if self.active >= 100 or u[0] == "EX1"]
        for level, title in staff:
            row = self.rows[self._add(ceo, office)]
            row.level, row.title, row.fixed_title = level, title, True
        remaining = self.active - len(self.rows)
        for unit, count in zip(UNITS, _allocate(remaining, UNITS), strict=True):
            dept = self._dept(unit, None)
            head = self._add(ceo, dept)
            self.depts[dept].head = head
            self._set(head, unit.head_level, unit.head_title)
            below = count - 1
            if unit.subs and below >= 8 * len(unit.subs):
                for sub, sub_count in zip(unit.subs, _allocate(below, unit.subs), strict=True):
                    sub_dept = self._dept(sub, dept)
                    sub_head = self._add(head, sub_dept)
                    self.depts[sub_dept].head = sub_head
                    self._set(sub_head, sub.head_level, sub.head_title)
                    self._team(sub_head, sub_count - 1, sub_dept)
            else:
                self._team(head, below, dept)
        ceo_row = self.rows[ceo]
        ceo_row.level, ceo_row.title, ceo_row.fixed_title = "CEO", OFFICE.head_title, True

    def _set(self, index: int, level: str, title: str) -> None:
        row = self.rows[index]
        row.level, row.title, row.fixed_title = level, title, True

    # -- titles --

    def assign_titles(self) -> None:
        weights_cache: dict[int, list[int]] = {}
        for row in self.rows:
            if row.fixed_title:
                continue
            unit = self.depts[row.unit].unit
            if row.reports:
                manages_managers = any(self.rows[r].reports for r in row.reports)
                row.level, row.title = unit.managers[1 if manages_managers else 0]
                continue
            ladder = unit.ladder
            weights = weights_cache.setdefault(len(ladder), list(LEVEL_WEIGHTS[: len(ladder)]))
            row.level, row.title = self.rng.choices(ladder, weights)[0]

    # -- dates and statuses --

    def assign_start_dates(self) -> None:
        """Hiring grew over the years: more recent starters than early ones.

        Dates are drawn for everyone, then handed out top of the tree first with some
        jitter, so most people joined after their manager; the rest are the history: they
        first reported to someone above, until their current manager arrived."""
        last = self.today - timedelta(days=7)
        span_days = (last - self.founded).days - 14
        dates = sorted(
            last - timedelta(days=int(span_days * self.rng.random() ** 1.4))
            for _ in range(len(self.rows) - 1)
        )
        depth = self._depths()
        jitter = len(self.rows) * 0.12
        order = sorted(
            range(1, len(self.rows)),
            key=lambda i: (depth[i] * len(self.rows) / 7 + self.rng.gauss(0, jitter), i),
        )
        self.rows[0].start = self.founded
        for index, start in zip(order, dates, strict=True):
            self.rows[index].start = start

    def add_leavers(self) -> None:
        first_line = [
            r.index
            for r in self.rows
            if r.reports and not any(self.rows[x].reports for x in r.reports)
        ]
        for _ in range(self.leavers):
            candidates = self.rng.sample(first_line, min(8, len(first_line)))
            manager = next(
                (i for i in candidates if len(self.rows[i].reports) < MAX_SPAN), candidates[0]
            )
            if len(self.rows[manager].reports) >= MAX_SPAN:
                manager = min(first_line, key=lambda i: len(self.rows[i].reports))
            index = self._add(manager, self.rows[manager].unit)
            row = self.rows[index]
            unit = self.depts[row.unit].unit
            row.level, row.title = self.rng.choices(unit.ladder, LEVEL_WEIGHTS[: len(unit.ladder)])[
                0
            ]
            latest_start = self.today - timedelta(days=120)
            earliest = self.founded + timedelta(days=30)
            row.start = earliest + timedelta(
                days=self.rng.randint(0, (latest_start - earliest).days)
            )
            tenure = (self.today - timedelta(days=7) - row.start).days
            row.end = row.start + timedelta(days=self.rng.randint(60, max(60, tenure)))
            row.status = PersonStatus.LEFT

    def choose_logins(self) -> None:
        dept_of = {d.unit.name: d for d in self.depts}
        ceo = self.rows[0]
        ceo.login = "exec"

        people = dept_of["People"]
        assert people.head is not None
        self.rows[people.head].login = "hr"
        partner = next(
            r
            for r in self.rows
            if r.unit == people.index and not r.reports and r.status == PersonStatus.ACTIVE
        )
        partner.login, partner.level, partner.title = "partner", "H3", "HR Business Partner"

        it = dept_of["IT"]
        it_people = [r for r in self.rows if r.unit == it.index and r.status == PersonStatus.ACTIVE]
        it_row = next((r for r in it_people if not r.reports), it_people[0])
        it_row.login = "it"
        if not it_row.reports:
            it_row.level, it_row.title = "T3", "IT Engineer"

        eng = dept_of["Engineering"].index
        engineering = {d.index for d in self.depts if eng in (d.index, d.parent)}
        directors = [
            r
            for r in self.rows
            if r.unit in engineering and any(self.rows[x].reports for x in r.reports)
        ]
        depth = self._depths()
        director = max(directors, key=lambda r: (depth[r.index], -r.index))
        director.login = "director"
        subtree = [x for x in self._subtree(director.index) if x != director.index]
        first_line = [
            i
            for i in subtree
            if self.rows[i].reports and not any(self.rows[x].reports for x in self.rows[i].reports)
        ]
        direct = [i for i in first_line if self.rows[i].manager == director.index]
        manager = self.rows[(direct or first_line)[0]]
        manager.login = "manager"
        employee = next(
            self.rows[i]
            for i in manager.reports
            if not self.rows[i].reports and self.rows[i].status == PersonStatus.ACTIVE
        )
        employee.login = "employee"

    def _depths(self) -> list[int]:
        depths = [0] * len(self.rows)
        for row in self.rows:
            if row.manager is not None:
                depths[row.index] = depths[row.manager] + 1
        return depths

    def _subtree(self, index: int) -> Iterator[int]:
        stack = [index]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(self.rows[node].reports)

    def assign_leave(self) -> None:
        candidates = [
            r
            for r in self.rows
            if r.status == PersonStatus.ACTIVE and not r.reports and not r.login
        ]
        count = max(1, round(len(self.rows) * ON_LEAVE_SHARE))
        for row in self.rng.sample(candidates, min(count, len(candidates))):
            row.status = PersonStatus.ON_LEAVE

    def build(self) -> None:
        self.build_tree()
        self.assign_titles()
        self.assign_start_dates()
        self.add_leavers()
        self.choose_logins()
        self.assign_leave()


PERSON_FIELDS = (
    "id", "password", "last_login", "email", "employee_id", "first_name", "last_name",
    "preferred_name", "title", "level", "department", "location", "time_zone", "start_date",
    "status", "end_date", "manager", "is_active", "path", "depth", "sort_name", "search_text",
    "created_at",
)  # fmt: skip


class _Sink(RowSink):
    """Rows for one table, BATCH_SIZE at a time, telling `written(rows so far)` after each."""

    def __init__(
        self, model: type[models.Model], names: Sequence[str], written: Callable[[int], None]
    ) -> None:
        super().__init__(model, names, chunk=BATCH_SIZE)
        self.written = written

    def flushed(self, written: int) -> None:
        self.written(self.count)


ReportingLineRow = tuple[int, int | None, date, date | None]  # person, manager, start, end


def _reporting_lines(
    builder: _Builder, rows: list[_Row], pk_of: Callable[[int], int]
) -> Iterator[ReportingLineRow]:
    """Current and past reporting lines, consistent with start dates.

    Someone hired before their current manager first reported to the closest manager
    above who was already there; some others changed teams once in the past."""
    rng = builder.rng
    last_change = builder.today - timedelta(days=30)
    for row in rows:
        final_end = row.end
        if row.manager is None:
            yield (pk_of(row.index), None, row.start, None)
            continue
        manager = rows[row.manager]
        previous: int | None = None
        switch: date | None = None
        if row.start < manager.start:
            ancestor = manager.manager
            while ancestor is not None and rows[ancestor].start > row.start:
                ancestor = rows[ancestor].manager
            previous, switch = ancestor, manager.start
        elif rng.random() < HISTORY_SHARE and manager.manager is not None:
            earliest = max(row.start, manager.start) + timedelta(days=60)
            latest = min(last_change, final_end or last_change)
            peers = [
                p
                for p in rows[manager.manager].reports
                if p != row.manager and rows[p].reports and rows[p].start <= row.start
            ]
            if peers and earliest < latest:
                previous = rng.choice(peers)
                switch = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
        if switch is not None and (final_end is None or switch < final_end):
            before = pk_of(previous) if previous is not None else None
            yield (pk_of(row.index), before, row.start, switch)
            yield (pk_of(row.index), pk_of(row.manager), switch, final_end)
        else:
            yield (pk_of(row.index), pk_of(row.manager), row.start, final_end)


def org_is_empty() -> bool:
    return not Person.objects.exists()


class DemoLoader(Protocol):
    """A later feature's `load_demo(*, seed, today, progress)`."""

    def __call__(self, *, seed: int, today: date, progress: Progress) -> None: ...


Loader = TypeVar("Loader", bound=DemoLoader)

_DEMO_LOADERS: list[DemoLoader] = []


def register_demo(load: Loader) -> Loader:
    """Decorate a later feature's `load_demo` (goals, feedback, 1:1s…) so the demo runs it
    inside its transaction, after the org exists, in registration order.

    Each app's demo module registers itself when that app's AppConfig.ready() imports it, and
    Django runs ready() in INSTALLED_APPS order (goals, feedback, meetings, reviews), so each
    feature's demo data is written after the data it builds on, as it always was."""
    if load not in _DEMO_LOADERS:
        _DEMO_LOADERS.append(load)
    return load


def register_demo_before(app: str) -> Callable[[Loader], Loader]:
    """`register_demo`, but run before the first loader of `app` ("reviews"): for a part
    that changes data a later feature's demo reads (the team story changes goals and
    feedback, which the reviews demo writes its answers from)."""

    def register(load: Loader) -> Loader:
        if load in _DEMO_LOADERS:
            return load
        for index, existing in enumerate(_DEMO_LOADERS):
            if getattr(existing, "__module__", "").startswith(f"tandem.{app}."):
                _DEMO_LOADERS.insert(index, load)
                return load
        _DEMO_LOADERS.append(load)
        return load

    return register


def load_demo(
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    by: Any = SYSTEM,
    today: date | None = None,
    progress: Progress = _no_progress,
    part_started: Callable[[str], None] = _no_part,
) -> DemoResult:
    """Generate the demo company and write it in bulk. Refuses a database with people.

    `part_started(name)` is called as each part begins (org, then each feature's demo in
    registration order, then the commit); the result says how long each took.

    Python's cycle collector is off meanwhile: the load makes millions of tuples and
    dicts while holding the whole company, so each collection walks a big heap to find
    nothing (about a fifth of the CPU time at 10,000 people); the drawing makes no cycles
    worth collecting, and peak memory stays the same."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(
            people=people,
            seed=seed,
            by=by,
            today=today,
            progress=progress,
            part_started=part_started,
        )
    finally:
        if enabled:
            gc.enable()


# From this size on, the load drops PostgreSQL's foreign keys and secondary indexes and
# builds them again at the end (core.bulk.checks_and_indexes_after): minutes faster at
# 100,000 people, but a fixed 0.4 s of catalogue work that a small company never earns back.
BULK_LOAD_PEOPLE = 2_000


def _load(
    *,
    people: int,
    seed: int,
    by: Any,
    today: date | None,
    progress: Progress,
    part_started: Callable[[str], None],
) -> DemoResult:
    require(by, "people.import")
    if people < MIN_PEOPLE:
        raise ValueError(f"people: the demo needs at least {MIN_PEOPLE} people (got {people}).")
    if not org_is_empty():
        raise DemoRefused("The database already has people; the demo only loads into an empty one.")
    today = today or timezone.localdate()
    parts = _Parts(part_started)
    parts.begin("org")
    builder = _Builder(people=people, seed=seed, today=today)
    builder.build()
    names = _Names()
    rng = builder.rng

    with transaction.atomic():
        if not org_is_empty():
            raise DemoRefused(
                "The database already has people; the demo only loads into an empty one."
            )
        if Department.objects.exists():
            raise DemoRefused(
                "The database already has departments; the demo only loads into an empty one."
            )
        with checks_and_indexes_after() if people >= BULK_LOAD_PEOPLE else nullcontext():
            person_base = next_id(Person)
            dept_base = next_id(Department)

            def pk_of(index: int) -> int:
                return person_base + index

            rows = builder.rows
            depts: list[Department] = []
            dept_paths: dict[int, str] = {}
            for d in builder.depts:
                pk = dept_base + d.index
                parent_pk = dept_base + d.parent if d.parent is not None else None
                path = tree.path_for(dept_paths.get(parent_pk) if parent_pk else None, pk)
                dept_paths[pk] = path
                depts.append(
                    Department(
                        id=pk,
                        name=d.unit.name,
                        parent_id=parent_pk,
                        head_id=pk_of(d.head) if d.head is not None else None,
                        path=path,
                        depth=tree.depth_of(path),
                    )
                )

            paths = tree.compute_paths(
                {
                    pk_of(r.index): (pk_of(r.manager) if r.manager is not None else None)
                    for r in rows
                }
            )
            demo_hash = make_password(DEMO_PASSWORD)
            emails_taken: dict[str, int] = {}
            login_email = {key: email for key, _, email in LOGIN_ROLES}
            alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            now = timezone.now()
            total = len(depts) + len(rows)
            people_sink = _Sink(Person, PERSON_FIELDS, lambda n: progress("people", n, total))
            for row in rows:
                _, time_zone, locales, _ = LOCATIONS[row.location]
                first, last = names.draw(rng, rng.choice(locales))
                preferred = NICKNAMES.get(first, "") if rng.random() < 0.5 else ""
                if row.login:
                    email = login_email[row.login]
                    password = demo_hash
                else:
                    local = f"{_ascii_slug(preferred or first) or 'person'}.{_ascii_slug(last)}"
                    seen = emails_taken.get(local, 0)
                    emails_taken[local] = seen + 1
                    email = f"{local}{seen + 1 if seen else ''}@{DEMO_DOMAIN}"
                    password = UNUSABLE_PASSWORD_PREFIX + "".join(rng.choices(alphabet, k=40))
                pk = pk_of(row.index)
                path = paths[pk]
                sort_name, search_text = derived_name_columns(
                    first_name=first,
                    last_name=last,
                    preferred_name=preferred,
                    title=row.title,
                    email=email,
                )
                people_sink.add(
                    (
                        pk,
                        password,
                        None,
                        email,
                        f"BF{row.index + 1:06d}",
                        first,
                        last,
                        preferred,
                        row.title,
                        row.level,
                        dept_base + row.unit,
                        LOCATIONS[row.location][0],
                        time_zone,
                        row.start,
                        row.status,
                        row.end,
                        pk_of(row.manager) if row.manager is not None else None,
                        row.status != PersonStatus.LEFT,
                        path,
                        tree.depth_of(path),
                        sort_name,
                        search_text,
                        now,
                    )
                )
            progress("departments", 0, len(depts))
            Department.objects.bulk_create(depts)
            people_sink.flush()
            lines_sink = _Sink(
                ReportingLine,
                ("person", "manager", "start_date", "end_date"),
                lambda n: progress("reporting lines", n, n),
            )
            for line in _reporting_lines(builder, rows, pk_of):
                lines_sink.add(line)
            lines_sink.flush()
            people_count, lines_count = people_sink.added, lines_sink.added
            reset_sequences([Person, Department])

            by_login = {row.login: pk_of(row.index) for row in rows if row.login}
            for key, role in (
                ("hr", Role.HR_ADMIN),
                ("partner", Role.HR_PARTNER),
                ("exec", Role.EXECUTIVE),
                ("it", Role.IT_ADMIN),
            ):
                grant = RoleGrant.objects.create(person_id=by_login[key], role=role)
                if role == Role.HR_PARTNER:
                    grant.departments.set(
                        [d for d in depts if d.name in ("Sales", "Customer Success")]
                    )

            Company.objects.update_or_create(
                pk=1, defaults={"name": COMPANY_NAME, "mission": COMPANY_MISSION}
            )
            CompanyValue.objects.all().delete()
            CompanyValue.objects.bulk_create(
                CompanyValue(name=name, description=description, position=position)
                for position, (name, description) in enumerate(COMPANY_VALUES)
            )
            Program.objects.update_or_create(
                pk=1,
                defaults={
                    "purposes": list(PROGRAM_PURPOSES),
                    "purpose_statement": PROGRAM_STATEMENT,
                },
            )
            for load_feature_demo in _DEMO_LOADERS:
                parts.begin(_part_name(load_feature_demo))
                load_feature_demo(seed=seed, today=today, progress=progress)
            parts.begin("keys and indexes")
        parts.begin("commit")
        record(
            actor=by,
            kind="demo.load",
            object_type="org.company",
            object_label=COMPANY_NAME,
            changes={
                "people": people_count,
                "departments": len(depts),
                "reporting_lines": lines_count,
                "seed": seed,
            },
            note="Demo company loaded",
        )
    parts.begin("statistics")
    analyze_tables()
    parts.end()
    return DemoResult(
        people=people_count,
        departments=len(depts),
        reporting_lines=lines_count,
        logins=demo_logins(),
        parts=parts.parts,
    )


def _part_name(load: DemoLoader) -> str:
    """A feature demo's part name: its own `demo_part`, else its app's (tandem.goals.demo
    -> goals)."""
    named = getattr(load, "demo_part", "")
    if isinstance(named, str) and named:
        return named
    module = getattr(load, "__module__", "") or ""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 2 and pieces[0] == "tandem" else module or "feature"
