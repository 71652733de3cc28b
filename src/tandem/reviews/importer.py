"""The ratings history import, part one: check every row of a file of past ratings and work
out which ratings are new.

Nothing here writes. The file is read by the HRIS import's reader (`org.importer`: CSV or
XLSX told apart by content, size and row limits, the same `Problem` with a row number);
`plan` checks every row against the rest of the file and against a snapshot of the people
and the imported cycles already in Tandem, and returns either every problem or the exact
list of ratings to add. `services.imports` loads the snapshot and writes the plan.

Columns: cycle, period_start, period_end, employee_id, reviewer_employee_id, relationship
(self, manager, peer or upward; manager when empty), rating, scale_points.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from tandem.core.validation import NOT_TEXT, unstorable
from tandem.org.importer import (
    CellError,
    Problem,
    Table,
    clean_text,
    normalise_header,
    parse_date,
)
from tandem.reviews.models import Relationship

COLUMNS = (
    "cycle",
    "period_start",
    "period_end",
    "employee_id",
    "reviewer_employee_id",
    "relationship",
    "rating",
    "scale_points",
)
OPTIONAL_COLUMNS = frozenset({"relationship"})
# A few spellings other tools export; compared after `normalise_header`.
ALIASES: dict[str, tuple[str, ...]] = {
    "cycle": ("cycle", "cycle name", "review cycle"),
    "period_start": ("period_start", "period start", "period from", "start"),
    "period_end": ("period_end", "period end", "period to", "end"),
    "employee_id": ("employee_id", "employee id", "employee #", "employee number", "ratee id"),
    "reviewer_employee_id": (
        "reviewer_employee_id",
        "reviewer employee id",
        "reviewer id",
        "rater id",
    ),
    "relationship": ("relationship", "review type", "rater type"),
    "rating": ("rating", "score", "overall rating"),
    "scale_points": ("scale_points", "scale points", "scale", "points"),
}
RELATIONSHIPS = (
    Relationship.SELF,
    Relationship.MANAGER,
    Relationship.PEER,
    Relationship.UPWARD,
)
CYCLE_NAME_MAX = 150
MIN_POINTS, MAX_POINTS = 2, 10  # as a rating scale allows
# Text a spreadsheet would run as a formula ("-3" is a number, and refused as a rating).
FORMULA_PREFIXES = ("=", "+", "@")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Rating:
    """One checked row: who rated whom, how, in which cycle."""

    row: int
    cycle: str
    period_start: date
    period_end: date
    person_id: int
    reviewer_id: int
    relationship: str
    rating: int
    points: int

    @property
    def cycle_key(self) -> tuple[str, date, date]:
        return (self.cycle, self.period_start, self.period_end)


@dataclass(frozen=True)
class ExistingCycle:
    """A cycle already in Tandem with the name and period of one in the file."""

    pk: int
    imported: bool
    points: int | None  # the scale of an imported cycle's ratings


@dataclass
class Snapshot:
    """What the check needs from the database: people by employee id, the cycles that share
    a name and period with one in the file, and the ratings already in those imported
    cycles as (cycle id, person id, reviewer id, relationship) → rating."""

    people: dict[str, int]
    cycles: dict[tuple[str, date, date], ExistingCycle]
    existing: dict[tuple[int, int, int, str], int]


@dataclass
class CyclePlan:
    name: str
    period_start: date
    period_end: date
    points: int
    existing_pk: int | None
    ratings: list[Rating] = field(default_factory=list)


@dataclass
class Plan:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cycles: list[CyclePlan] = field(default_factory=list)
    skipped: int = 0  # rows already imported
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_ratings(self) -> int:
        return sum(len(c.ratings) for c in self.cycles)

    @property
    def new_cycles(self) -> int:
        return sum(1 for c in self.cycles if c.existing_pk is None)


def cycle_keys(table: Table) -> set[tuple[str, date, date]]:
    """The (name, start, end) of every well-formed cycle named in the file, so the snapshot
    loads only those cycles. Bad cells are skipped here and reported by `plan`."""
    index, _ = _map_headers(table.headers)
    keys: set[tuple[str, date, date]] = set()
    if {"cycle", "period_start", "period_end"} - set(index):
        return keys
    for _, cells in table.rows:
        try:
            name = clean_text(_cell(cells, index, "cycle"))
            start = _any_date(_cell(cells, index, "period_start"))
            end = _any_date(_cell(cells, index, "period_end"))
        except CellError:
            continue
        if name and start and end:
            keys.add((name, start, end))
    return keys


def people_ids(table: Table) -> set[str]:
    """Every employee id the file names (people and reviewers)."""
    index, _ = _map_headers(table.headers)
    found: set[str] = set()
    for _, cells in table.rows:
        for column in ("employee_id", "reviewer_employee_id"):
            text = clean_text(_cell(cells, index, column))
            if text:
                found.add(text)
    return found


def _lookup() -> dict[str, str]:
    return {
        normalise_header(alias): column for column, aliases in ALIASES.items() for alias in aliases
    }


def _map_headers(headers: list[str]) -> tuple[dict[str, int], list[Problem]]:
    lookup = _lookup()
    index: dict[str, int] = {}
    for position, header in enumerate(headers):
        column = lookup.get(normalise_header(header or ""))
        if column and column not in index:
            index[column] = position
    problems = [
        Problem(None, column, f"The file has no “{column}” column.")
        for column in COLUMNS
        if column not in index and column not in OPTIONAL_COLUMNS
    ]
    return index, problems


def _cell(cells: list[Any], index: Mapping[str, int], column: str) -> Any:
    position = index.get(column)
    if position is None or position >= len(cells):
        return None
    return cells[position]


def _integer(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not a whole number; give the {what} as 1, 2, 3…")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = clean_text(value)
    if not text:
        raise CellError(f"Required; give the {what}.")
    try:
        return int(text)
    except ValueError:
        raise CellError(f"“{text}” is not a whole number; give the {what} as 1, 2, 3…") from None


def plan(
    table: Table,
    snapshot: Snapshot,
    *,
    progress: Progress | None = None,
) -> Plan:
    """Check every row and work out the ratings to add. Every problem is collected (none
    stops the check early) so HR fixes the whole file in one go."""
    index, problems = _map_headers(table.headers)
    result = Plan(problems=problems)
    if problems:
        return result
    formulas = table.formulas
    checked: list[Rating] = []
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        if progress and (done % 5000 == 0 or done == total):
            progress("Checking rows", done, total)
        if not any(clean_text(c) for c in cells):
            continue  # a blank line in the sheet
        result.rows += 1
        rating = _check_row(number, cells, index, snapshot, formulas, problems)
        if rating is not None:
            checked.append(rating)
    if not result.rows and not problems:
        problems.append(Problem(None, "", "The file has a header row but no ratings."))
    _check_across_rows(checked, snapshot, problems)
    if problems:
        problems.sort(
            key=lambda p: (p.row or 0, COLUMNS.index(p.field) if p.field in COLUMNS else 99)
        )
        return result
    _plan_cycles(result, checked, snapshot)
    return result


def _check_row(
    number: int,
    cells: list[Any],
    index: Mapping[str, int],
    snapshot: Snapshot,
    formulas: set[tuple[int, int]],
    problems: list[Problem],
) -> Rating | None:
    values: dict[str, Any] = {}
    before = len(problems)

    def fail(column: str, message: str) -> None:
        problems.append(Problem(number, column, message))

    for column in COLUMNS:
        raw = _cell(cells, index, column)
        position = index.get(column)
        if position is not None and (number, position) in formulas:
            fail(column, "This cell holds a formula; paste its value instead.")
            continue
        if isinstance(raw, str):
            if unstorable(raw):
                fail(column, f"This cell {NOT_TEXT}.")
                continue
            if raw.strip().startswith(FORMULA_PREFIXES):
                fail(column, "This cell holds a formula; paste its value instead.")
                continue
        try:
            values[column] = _parse(column, raw, snapshot)
        except CellError as error:
            fail(column, str(error))
    if len(problems) > before:
        return None
    relationship = values["relationship"]
    person, reviewer = values["employee_id"], values["reviewer_employee_id"]
    if reviewer is None:
        if relationship != Relationship.SELF:
            fail("reviewer_employee_id", "Required; give the employee id of who gave the rating.")
            return None
        reviewer = person
    if relationship == Relationship.SELF and reviewer != person:
        fail("reviewer_employee_id", "A self review's reviewer is the person themselves.")
    elif relationship != Relationship.SELF and reviewer == person:
        fail(
            "reviewer_employee_id",
            f"The person rated themselves in a {relationship} review; use relationship self.",
        )
    if values["period_end"] < values["period_start"]:
        fail(
            "period_end",
            f"The period ends ({values['period_end'].isoformat()}) before it starts "
            f"({values['period_start'].isoformat()}).",
        )
    points, rating = values["scale_points"], values["rating"]
    if not MIN_POINTS <= points <= MAX_POINTS:
        fail("scale_points", f"A scale has {MIN_POINTS} to {MAX_POINTS} points, not {points}.")
    elif not 1 <= rating <= points:
        fail("rating", f"{rating} is outside the scale of 1 to {points}.")
    if len(problems) > before:
        return None
    return Rating(
        row=number,
        cycle=values["cycle"],
        period_start=values["period_start"],
        period_end=values["period_end"],
        person_id=person,
        reviewer_id=reviewer,
        relationship=relationship,
        rating=rating,
        points=points,
    )


@lru_cache(maxsize=4096)
def _date(text: str) -> date | None:
    """`parse_date` of a text cell, remembered: a history repeats each cycle's two dates on
    every row, and strptime was a tenth of the check's time."""
    return parse_date(text)


def _any_date(raw: Any) -> date | None:
    return _date(raw) if isinstance(raw, str) else parse_date(raw)


def _parse(column: str, raw: Any, snapshot: Snapshot) -> Any:
    if column == "cycle":
        text = clean_text(raw)
        if not text:
            raise CellError("Required; give the cycle's name.")
        if len(text) > CYCLE_NAME_MAX:
            raise CellError(f"Too long: {len(text)} characters, at most {CYCLE_NAME_MAX}.")
        return text
    if column in ("period_start", "period_end"):
        day = _any_date(raw)
        if day is None:
            raise CellError("Required; give the date.")
        return day
    if column in ("employee_id", "reviewer_employee_id"):
        text = clean_text(raw)
        if not text:
            if column == "reviewer_employee_id":
                return None  # allowed for self reviews; checked with the relationship
            raise CellError("Required; give the employee id of the person rated.")
        pk = snapshot.people.get(text)
        if pk is None:
            who = "person rated" if column == "employee_id" else "reviewer"
            raise CellError(f"No one in the organisation has employee id “{text}” ({who}).")
        return pk
    if column == "relationship":
        text = clean_text(raw).lower()
        if not text:
            return Relationship.MANAGER
        if text not in RELATIONSHIPS:
            raise CellError(f"“{clean_text(raw)}” is not one of {', '.join(RELATIONSHIPS)}.")
        return text
    if column == "rating":
        return _integer(raw, "rating")
    if column == "scale_points":
        return _integer(raw, "number of points of the scale")
    raise AssertionError(column)


def _check_across_rows(checked: list[Rating], snapshot: Snapshot, problems: list[Problem]) -> None:
    """One period and one scale per cycle name; one rating per (cycle, person, reviewer,
    relationship); a cycle that exists in Tandem must be an imported one on the same scale."""
    first_of_name: dict[str, Rating] = {}
    seen: dict[tuple[str, int, int, str], int] = {}
    for rating in checked:
        first = first_of_name.setdefault(rating.cycle, rating)
        if (first.period_start, first.period_end) != (rating.period_start, rating.period_end):
            problems.append(
                Problem(
                    rating.row,
                    "period_start",
                    f"Row {first.row} gives the cycle “{rating.cycle}” the period "
                    f"{first.period_start.isoformat()} to {first.period_end.isoformat()}; "
                    "one cycle has one period.",
                )
            )
        elif first.points != rating.points:
            problems.append(
                Problem(
                    rating.row,
                    "scale_points",
                    f"Row {first.row} rates the cycle “{rating.cycle}” on {first.points} points; "
                    "one cycle has one scale.",
                )
            )
        key = (rating.cycle, rating.person_id, rating.reviewer_id, rating.relationship)
        if key in seen:
            problems.append(
                Problem(
                    rating.row,
                    "employee_id",
                    f"Row {seen[key]} already has this {rating.relationship} rating of the same "
                    "person by the same reviewer in this cycle.",
                )
            )
        else:
            seen[key] = rating.row
        existing = snapshot.cycles.get(rating.cycle_key)
        if existing is None:
            continue
        if not existing.imported:
            problems.append(
                Problem(
                    rating.row,
                    "cycle",
                    f"Tandem already runs a cycle “{rating.cycle}” for this period; imported "
                    "history goes into cycles of its own, so give this one another name.",
                )
            )
        elif existing.points is not None and existing.points != rating.points:
            problems.append(
                Problem(
                    rating.row,
                    "scale_points",
                    f"The cycle “{rating.cycle}” was imported on {existing.points} points before.",
                )
            )


def _plan_cycles(result: Plan, checked: list[Rating], snapshot: Snapshot) -> None:
    cycles: dict[tuple[str, date, date], CyclePlan] = {}
    changed = 0
    for rating in checked:
        existing = snapshot.cycles.get(rating.cycle_key)
        cycle = cycles.get(rating.cycle_key)
        if cycle is None:
            cycle = cycles[rating.cycle_key] = CyclePlan(
                name=rating.cycle,
                period_start=rating.period_start,
                period_end=rating.period_end,
                points=rating.points,
                existing_pk=existing.pk if existing else None,
            )
        if existing is not None:
            key = (existing.pk, rating.person_id, rating.reviewer_id, rating.relationship)
            before = snapshot.existing.get(key)
            if before is not None:
                result.skipped += 1
                changed += before != rating.rating
                continue
        cycle.ratings.append(rating)
    if changed:
        result.warnings.append(
            f"{changed} row(s) give a different rating from the one imported before; "
            "imported ratings are a record and stay as they were."
        )
    result.cycles = [c for c in cycles.values() if c.ratings]
    result.fingerprint = fingerprint(result.cycles)


def fingerprint(cycles: list[CyclePlan]) -> str:
    """A digest of exactly what the import would add, so a confirmation adds what was
    checked."""
    payload = json.dumps(
        [
            [c.name, c.period_start, c.period_end, c.points, c.existing_pk]
            + [[r.person_id, r.reviewer_id, r.relationship, r.rating] for r in c.ratings]
            for c in cycles
        ],
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()
