"""Every read of calibration, scoped by its rules: the sessions of a cycle, a session's
rows side by side, its distribution against the company's and the guideline, the 9-box.

A session or row out of the reader's scope is answered like a missing one (404).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from tandem.access.rules import NotAllowed, actor_for, can, require, scope
from tandem.calibration.models import Adjustment, Entry, Session
from tandem.core.charts import BarChart, BarInput, bar_chart
from tandem.reviews.queries import ratings

POTENTIAL_LABELS = {1: "Low potential", 2: "Medium potential", 3: "High potential"}
BAND_LABELS = {1: "Lower performance", 2: "Middle performance", 3: "Higher performance"}
# Tenure bands, from the person's start date: (key, label, fewest days, most days).
TENURE_BANDS = (
    ("under-1", "Less than a year", 0, 364),
    ("1-3", "1 to 3 years", 365, 3 * 365 - 1),
    ("3-5", "3 to 5 years", 3 * 365, 5 * 365 - 1),
    ("5-plus", "5 years or more", 5 * 365, None),
)
TENURE_LABELS = {key: label for key, label, _, _ in TENURE_BANDS}


def band_of(rating: int | None, points: int) -> int | None:
    """The performance band of a rating: 1 (bottom third of the scale's points), 2 or 3."""
    if rating is None or not points:
        return None
    return min(3, max(1, math.ceil(rating * 3 / points)))


def ratings_in_band(band: int, points: int) -> list[int]:
    return [value for value in range(1, points + 1) if band_of(value, points) == band]


def tenure_of(start: date | None, today: date) -> str:
    if start is None:
        return ""
    days = (today - start).days
    for key, _, low, high in TENURE_BANDS:
        if days >= low and (high is None or days <= high):
            return key
    return ""


# --- Cycles and sessions ----------------------------------------------------------------


def cycle_for(user: Any, cycle_id: int) -> Any:
    """A cycle whose calibration `user` may see: HR admins any launched one; others a cycle
    with a session they facilitate or take part in."""
    cycle = ratings.cycle_by_id(cycle_id)
    if cycle is None:
        raise NotAllowed("calibration cycle")
    if can(user, "calibration.manage", cycle):
        return cycle
    if not scope(user, Session.objects.filter(cycle_id=cycle.pk)).exists():
        raise NotAllowed("calibration cycle")
    return cycle


def sessions(user: Any, cycle: Any) -> QuerySet[Session]:
    """The sessions of the cycle the user sees, each with `people` (how many it discusses)."""
    return (
        scope(user, Session.objects.filter(cycle_id=cycle.pk))
        .annotate(people=Count("entries"))
        .order_by("name", "pk")
    )


def session_for(user: Any, session_id: int) -> Session:
    session = scope(user, Session.objects.filter(pk=session_id)).select_related("cycle").first()
    if session is None:
        raise NotAllowed("calibration.session.view denied")
    require(user, "calibration.session.view", session)
    return session


def entry_for(user: Any, entry_id: int) -> Entry:
    entry = (
        scope(user, Entry.objects.filter(pk=entry_id))
        .select_related("session__cycle", "participant__person")
        .first()
    )
    if entry is None:
        raise NotAllowed("calibration entry")
    return entry


def may_decide(user: Any, session: Session) -> bool:
    return can(user, "calibration.session.decide", session)


# --- A session's rows -------------------------------------------------------------------


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


@dataclass(frozen=True)
class EntryRef:
    """What a row keeps of its entry: its id and its participant's (no model instance for
    each of a session's hundreds of rows)."""

    pk: int
    participant_id: int


@dataclass(frozen=True)
class Change:
    """One line of a row's history: an adjustment as read for the page, with its author's
    name (None when the author's row is gone)."""

    made_at: datetime
    made_by: str | None
    field: str
    old_value: int | None
    new_value: int
    category: str
    reason: str


@dataclass
class Row:
    """One person discussed in a session, as the reader may see them."""

    entry: EntryRef
    name: str
    person_id: int
    manager_id: int | None
    manager_name: str
    department_id: int | None
    department_name: str
    level: str
    tenure: str
    manager_rating: int | None
    self_score: float | None  # 0–100
    peer_score: float | None
    goals_score: float | None
    overall_score: Decimal | None
    rating: int | None
    potential: int | None
    band: int | None
    adjustments: list[Change] = field(default_factory=list)
    # Set by the page: the row's id as text and its addresses, so 200 rows need no
    # template tag or number formatting per row.
    key: str = ""
    adjust_url: str = ""
    remove_url: str = ""

    @property
    def tenure_label(self) -> str:
        return TENURE_LABELS.get(self.tenure, "Start date not known")

    @property
    def changed(self) -> bool:
        return self.rating != self.manager_rating


@dataclass(frozen=True)
class Filters:
    manager: int | None = None
    department: int | None = None
    level: str = ""
    tenure: str = ""

    @property
    def any(self) -> bool:
        return bool(self.manager or self.department or self.level or self.tenure)

    def keep(self, row: Row) -> bool:
        return (
            (self.manager is None or row.manager_id == self.manager)
            and (self.department is None or row.department_id == self.department)
            and (not self.level or row.level == self.level)
            and (not self.tenure or row.tenure == self.tenure)
        )


# What a row shows of its entry, participant and person, read as plain values: a session's
# hundreds of rows without model instances or the participants' and people's wide columns
# (JSON snapshots, search text).
ROW_FIELDS = (
    "pk",
    "participant_id",
    "rating",
    "potential",
    "participant__person_id",
    "participant__manager_id",
    "participant__manager_name",
    "participant__department_id",
    "participant__department_name",
    "participant__level",
    "participant__person__first_name",
    "participant__person__last_name",
    "participant__person__preferred_name",
    "participant__person__start_date",
)
HISTORY_FIELDS = (
    "entry_id",
    "made_at",
    "made_by_id",
    "made_by__first_name",
    "made_by__last_name",
    "made_by__preferred_name",
    "field",
    "old_value",
    "new_value",
    "category",
    "reason",
)


def _name(first: str | None, last: str | None, preferred: str | None) -> str:
    """A person's name as `Person.display_name` gives it, from the name columns."""
    return f"{preferred or first or ''} {last or ''}".strip()


def _histories(entry_ids: list[int]) -> dict[int, list[Change]]:
    """Each entry's adjustments, oldest first, with the author's name: one query."""
    found: dict[int, list[Change]] = {}
    if not entry_ids:
        return found
    lines = (
        Adjustment.objects.filter(entry_id__in=entry_ids)
        .order_by("made_at", "id")
        .values_list(*HISTORY_FIELDS)
    )
    for entry_id, made_at, author, first, last, preferred, *rest in lines:
        found.setdefault(entry_id, []).append(
            Change(made_at, _name(first, last, preferred) if author else None, *rest)
        )
    return found


def _entries(user: Any, session: Session) -> QuerySet[Entry]:
    return scope(user, Entry.objects.filter(session=session))


def row_count(user: Any, session: Session) -> int:
    """How many rows of the session the user may see (every page of them)."""
    return _entries(user, session).count()


def rows(
    user: Any,
    session: Session,
    *,
    points: int | None = None,
    with_history: bool = False,
    offset: int = 0,
    limit: int | None = None,
    entry_id: int | None = None,
) -> list[Row]:
    """The rows of the session the user may see, by name, with each person's ratings side
    by side: a fixed number of queries whatever the session's size. `offset` and `limit`
    give one page of them (by name, then entry id: every row on exactly one page), and
    `entry_id` the one row of that entry; the side-by-side figures are read for those
    rows only."""
    entries = _entries(user, session).order_by("participant__person__sort_name", "pk")
    if entry_id is not None:
        entries = entries.filter(pk=entry_id)
    if limit is not None:
        entries = entries[offset : offset + limit]
    elif offset:
        entries = entries[offset:]
    found = list(entries.values_list(*ROW_FIELDS))
    ids = [values[1] for values in found]
    histories = _histories([values[0] for values in found]) if with_history else {}
    cycle = session.cycle
    raw = ratings.raw_ratings(cycle, ids)
    beside = ratings.side_by_side(cycle, ids)
    if points is None:
        question = ratings.overall_question(cycle)
        points = question[1] if question else 0
    size = points
    today = timezone.localdate()
    result = []
    for (
        pk,
        participant_id,
        rating,
        potential,
        person_id,
        manager_id,
        manager_name,
        department_id,
        department_name,
        level,
        first,
        last,
        preferred,
        start_date,
    ) in found:
        manager_rating, overall = raw.get(participant_id, (None, None))
        parts = beside.get(participant_id, {})
        result.append(
            Row(
                entry=EntryRef(pk, participant_id),
                name=_name(first, last, preferred),
                person_id=person_id,
                manager_id=manager_id,
                manager_name=manager_name,
                department_id=department_id,
                department_name=department_name,
                level=level,
                tenure=tenure_of(start_date, today),
                manager_rating=manager_rating,
                self_score=_percent(parts.get("self")),
                peer_score=_percent(parts.get("peers")),
                goals_score=_percent(parts.get("goals")),
                overall_score=overall,
                rating=rating,
                potential=potential,
                band=band_of(rating, size),
                adjustments=histories.get(pk, []),
            )
        )
    return result


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def filter_options(found: list[Row]) -> dict[str, list[Option]]:
    """The choices of each filter, from the rows the reader sees."""
    managers = {(r.manager_id, r.manager_name) for r in found if r.manager_id}
    departments = {(r.department_id, r.department_name) for r in found if r.department_id}
    levels = {r.level for r in found if r.level}
    tenures = {r.tenure for r in found if r.tenure}
    return {
        "manager": [Option(str(pk), name) for pk, name in sorted(managers, key=lambda m: m[1])],
        "department": [
            Option(str(pk), name) for pk, name in sorted(departments, key=lambda d: d[1])
        ],
        "level": [Option(level, level) for level in sorted(levels)],
        "tenure": [Option(key, label) for key, label, _, _ in TENURE_BANDS if key in tenures],
    }


# --- Distribution and 9-box --------------------------------------------------------------


@dataclass(frozen=True)
class DistributionRow:
    point: int
    session: int
    session_percent: float
    company: int
    company_percent: float
    guideline: int | None


def _share(count: int, total: int) -> float:
    return round(count * 100 / total, 1) if total else 0.0


def _counts(entries: QuerySet[Entry]) -> Counter[int]:
    rows = (
        entries.filter(rating__isnull=False)
        .values("rating")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("rating", "n")
    )
    return Counter({int(rating): n for rating, n in rows if rating is not None})


def distribution(session: Session, points: int) -> list[DistributionRow]:
    """Per rating point: the session's people (all of them, whoever reads), the whole
    cycle's, and the guideline's percent. The cycle counts each person discussed in any
    session at the session's current rating, everyone else at their rating (final where
    calibrated, else the manager's). Three grouped SQL counts."""
    here = _counts(Entry.objects.filter(session=session))
    in_sessions = Entry.objects.filter(cycle_id=session.cycle_id)
    company = _counts(in_sessions) + Counter(
        ratings.rating_counts(session.cycle, excluding=in_sessions.values("participant_id"))
    )
    here_total, company_total = sum(here.values()), sum(company.values())
    guideline = session.guideline or {}
    return [
        DistributionRow(
            point=point,
            session=here[point],
            session_percent=_share(here[point], here_total),
            company=company[point],
            company_percent=_share(company[point], company_total),
            guideline=guideline.get(str(point)),
        )
        for point in range(1, points + 1)
    ]


SERIES = ("This session", "Whole cycle", "Guideline")


def distribution_chart(found: list[DistributionRow]) -> BarChart:
    """Percent of people per rating point: this session, the whole cycle, the guideline,
    each series in its own colour (one segment per bar, in the series' place)."""
    has_guideline = any(row.guideline is not None for row in found)
    bars: list[BarInput] = []
    for row in found:
        bars.append(
            BarInput(
                key=f"s{row.point}",
                label=f"{row.point} · this session",
                parts=(row.session_percent,),
                display=f"{row.session_percent:g}% ({row.session})",
            )
        )
        bars.append(
            BarInput(
                key=f"c{row.point}",
                label=f"{row.point} · whole cycle",
                parts=(0, row.company_percent),
                display=f"{row.company_percent:g}% ({row.company})",
            )
        )
        if has_guideline:
            bars.append(
                BarInput(
                    key=f"g{row.point}",
                    label=f"{row.point} · guideline",
                    parts=(0, 0, row.guideline or 0),
                    display=f"{row.guideline or 0}%",
                )
            )
    summary = "; ".join(
        f"rating {row.point}: {row.session_percent:g}% of this session, "
        f"{row.company_percent:g}% of the cycle"
        + (f", guideline {row.guideline}%" if row.guideline is not None else "")
        for row in found
    )
    return bar_chart(
        bars,
        sort="given",
        maximum=100,
        series=SERIES if has_guideline else SERIES[:2],
        series_classes=("series-1", "series-2", "series-3"),
        summary=f"Share of people per rating: {summary}.",
    )


@dataclass
class Box:
    band: int
    potential: int
    label: str
    rows: list[Row]


def nine_box(found: list[Row]) -> tuple[list[list[Box]], list[Row]]:
    """The 9-box as grid rows (high potential first), each box with its people; and the
    people not placed yet (no rating or no potential)."""
    grid = [
        [
            Box(band, potential, f"{BAND_LABELS[band]}, {POTENTIAL_LABELS[potential].lower()}", [])
            for band in (1, 2, 3)
        ]
        for potential in (3, 2, 1)
    ]
    unplaced = []
    for row in found:
        if row.band is None or row.potential is None:
            unplaced.append(row)
        else:
            grid[3 - row.potential][row.band - 1].rows.append(row)
    return grid, unplaced


def is_hr_admin(user: Any) -> bool:
    actor = actor_for(user)
    return actor is not None and actor.is_hr_admin


def levels_of(cycle: Any) -> list[str]:
    """The levels of the cycle's participants (at launch), for the "a level" scope."""
    found = (
        ratings.rated_participants(cycle)
        .exclude(level="")
        .order_by("level")
        .values_list("level", flat=True)
        .distinct()
    )
    return list(found)


def participant_ids_of(cycle: Any, people: list[Any]) -> tuple[list[int], list[Any]]:
    """The participant ids of these people in the cycle, and the people not reviewed in it."""
    found = dict(
        ratings.rated_participants(cycle)
        .filter(person__in=[p.pk for p in people])
        .values_list("person_id", "pk")
    )
    return [found[p.pk] for p in people if p.pk in found], [p for p in people if p.pk not in found]


SESSIONS_LISTED = 200


def my_sessions(user: Any) -> list[Session]:
    """The sessions the user sees (HR admins: all; facilitators and the managers taking
    part: theirs), the open ones first, then the latest cycle first, each with `people`."""
    return list(
        scope(user, Session.objects.all())
        .select_related("cycle")
        .annotate(people=Count("entries"))
        .order_by("status", "-cycle__period_end", "name", "pk")[:SESSIONS_LISTED]
    )
