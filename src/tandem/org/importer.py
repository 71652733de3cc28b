"""The HRIS import, part one: read a file, check every row, and work out what would change.

Nothing here writes. `read_table` turns uploaded bytes (CSV or XLSX, told apart by their
content, never by the file name) into rows; `plan` checks every row against the rest of
the file and against a snapshot of the people already in Tandem, and returns either the
full list of problems or the exact list of changes. `services.imports` loads the snapshot
and applies a plan. See docs/import.md for the columns, aliases and formats accepted.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import zipfile
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tandem.core.validation import NOT_TEXT, unstorable
from tandem.org.models import PersonStatus

# --- Columns ------------------------------------------------------------------------------

# Canonical column → accepted headers, best first. Headers are compared after lower-casing
# and dropping everything but letters, digits and "#", so "Work E-mail", "work_email" and
# "WORK EMAIL" are the same header. When a file has two headers that mean the same column
# (BambooHR exports both "Status" and "Employment Status"), the one listed first here wins
# and the other is ignored with a warning.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "employee_id": (
        "employee_id",
        "employee id",
        "employee #",
        "employee number",
        "employee no",
        "worker id",
        "emp id",
        "eid",
        "personnel number",
        "employee code",
        "id",
    ),
    "email": (
        "email",
        "work email",
        "work email address",
        "email address",
        "business email",
        "company email",
        "primary work email",
        "email work",
    ),
    "first_name": (
        "first_name",
        "first name",
        "legal first name",
        "given name",
        "forename",
    ),
    "last_name": (
        "last_name",
        "last name",
        "legal last name",
        "surname",
        "family name",
    ),
    "preferred_name": (
        "preferred_name",
        "preferred name",
        "preferred first name",
        "known as",
        "nickname",
        "display first name",
    ),
    "title": (
        "title",
        "job title",
        "business title",
        "position",
        "position title",
        "job",
        "job profile",
    ),
    "level": (
        "level",
        "job level",
        "management level",
        "career level",
        "grade",
        "job grade",
        "seniority",
    ),
    "department": (
        "department",
        "department name",
        "dept",
        "supervisory organization",
        "organizational unit",
        "org unit",
        "team",
    ),
    "manager_employee_id": (
        "manager_employee_id",
        "manager employee id",
        "manager id",
        "manager employee #",
        "manager employee number",
        "manager worker id",
        "supervisor eid",
        "supervisor id",
        "supervisor employee id",
        "supervisor employee #",
        "reports to id",
        "reports to employee id",
        "line manager id",
    ),
    "manager_email": (
        "manager_email",
        "manager email",
        "manager work email",
        "supervisor email",
        "supervisor work email",
        "reports to email",
        "line manager email",
    ),
    "location": (
        "location",
        "work location",
        "primary work location",
        "office",
        "office location",
        "site",
        "work site",
    ),
    "time_zone": ("time_zone", "time zone", "timezone", "work time zone", "tz"),
    "start_date": (
        "start_date",
        "start date",
        "hire date",
        "original hire date",
        "date of hire",
        "employment start date",
        "join date",
        "joining date",
    ),
    "status": (
        "status",
        "employment status",
        "employee status",
        "worker status",
        "lifecycle status",
        "active status",
    ),
    "end_date": (
        "end_date",
        "end date",
        "termination date",
        "term date",
        "date of termination",
        "employment end date",
        "last day",
        "last working day",
        "leave date",
    ),
}

REQUIRED_COLUMNS = ("email", "first_name", "last_name")

MAX_LENGTHS = {
    "employee_id": 64,
    "email": 254,
    "first_name": 100,
    "last_name": 100,
    "preferred_name": 100,
    "title": 200,
    "level": 50,
    "department": 150,
    "location": 100,
}

# The person fields an import may set, in the order changes are listed.
PERSON_COLUMNS = (
    "employee_id",
    "email",
    "first_name",
    "last_name",
    "preferred_name",
    "title",
    "level",
    "department",
    "manager",
    "location",
    "time_zone",
    "start_date",
    "status",
    "end_date",
)

STATUS_ALIASES = {
    "active": PersonStatus.ACTIVE,
    "on leave": PersonStatus.ON_LEAVE,
    "leave": PersonStatus.ON_LEAVE,
    "leave of absence": PersonStatus.ON_LEAVE,
    "on leave of absence": PersonStatus.ON_LEAVE,
    "left": PersonStatus.LEFT,
    "terminated": PersonStatus.LEFT,
    "inactive": PersonStatus.LEFT,
}

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y")
DATE_HELP = "use YYYY-MM-DD (e.g. 2024-03-01), DD.MM.YYYY or MM/DD/YYYY"

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
# A zip that inflates to more than this is refused before openpyxl touches it (zip bomb).
MAX_XLSX_INFLATED = 400 * 1024 * 1024
MAX_ROWS = 200_000


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9#]", "", header.lower())


@cache
def _alias_lookup() -> dict[str, tuple[str, int]]:
    lookup: dict[str, tuple[str, int]] = {}
    for column, aliases in COLUMN_ALIASES.items():
        for rank, alias in enumerate(aliases):
            lookup.setdefault(normalise_header(alias), (column, rank))
    return lookup


@cache
def _time_zones() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


# --- Problems and results --------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason the file is refused. `row` is the spreadsheet row (the header is row 1);
    None means the file as a whole."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        return (
            f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


def stored_upload_problem(*, done: bool, content: bytes, sha256: str) -> Problem | None:
    """Why a previewed upload cannot be confirmed: imported already, or its stored bytes
    no longer match the file that was checked."""
    if done:
        return Problem(None, "", "This file has already been imported.")
    if hashlib.sha256(content).hexdigest() != sha256:
        return Problem(None, "", "The stored upload is damaged; upload the file again.")
    return None


class ImportFileError(ValueError):
    """The upload is not a file we can read at all (wrong type, too big, no header...)."""


@dataclass
class Table:
    """A sheet as read from the file: the header row and each data row with its number."""

    kind: str  # "csv" or "xlsx"
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    # (row, column position) of each XLSX cell that holds a formula. Its value is the
    # formula's text, never a cached result: every import refuses it, because a value that
    # runs as a formula would run again in whoever opens a later export of it.
    formulas: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Change:
    """What the import does to one person: create, update, deactivate, or move (a report
    of someone who leaves moves up to that person's manager)."""

    row: int | None
    action: str
    person: str
    fields: list[tuple[str, str, str]]


# --- Reading files --------------------------------------------------------------------------


def read_table(data: bytes, *, max_bytes: int | None = None, max_rows: int = MAX_ROWS) -> Table:
    """Read an upload by its content: XLSX if it is a zip that openpyxl opens, CSV if it is
    UTF-8 text. Anything else is refused with a message saying what we accept. `max_rows`
    is for files longer than a company (a ratings history has a row per rating)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportFileError(
            f"The file is {_size(len(data))}; the limit is {_size(max_bytes)}. "
            "Split it, or ask your administrator to raise TANDEM_IMPORT_MAX_MB."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, max_rows)
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            "This is an old Excel (.xls) workbook; save it as .xlsx or as CSV (UTF-8) first."
        )
    return _read_csv(data, max_rows)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


NOT_READABLE = (
    "This file is neither a CSV file (UTF-8 text) nor an Excel workbook (.xlsx); "
    "export your HRIS report as one of those."
)


def _read_csv(data: bytes, max_rows: int = MAX_ROWS) -> Table:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(
            NOT_READABLE + " (It is not UTF-8 text: in Excel choose “CSV UTF-8”.)"
        ) from None
    if "\x00" in text:
        raise ImportFileError(NOT_READABLE)
    delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(f"The CSV file cannot be read: {error}.") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportFileError("Row 1 must hold the column names; it is empty.")
    if len(records) > max_rows + 1:
        raise ImportFileError(f"The file has more than {max_rows:,} rows; split it.")
    headers = [cell.strip() for cell in records[0]]
    # Row numbers count records, as a spreadsheet shows them (the header is row 1), even
    # when a quoted cell spans several lines of the file.
    rows = [(number, list(record)) for number, record in enumerate(records[1:], start=2)]
    return Table(kind="csv", headers=headers, rows=rows)


def _sniff_delimiter(text: str) -> str:
    sample = text[:16384]
    first_line = sample.splitlines()[0] if sample else ""
    candidates = [",", ";", "\t"]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(candidates)).delimiter
    except csv.Error:
        sniffed = max(candidates, key=first_line.count)

    # The sniffer can be fooled by commas inside quoted names ("Lee, Ana"); trust it only
    # when the header it gives has known columns, otherwise take the delimiter that does.
    def known(delimiter: str) -> int:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(normalise_header(h) in _alias_lookup() for h in header)

    best = max(candidates, key=lambda d: (known(d), d == sniffed))
    return best if known(best) > known(sniffed) else sniffed


def _read_xlsx(data: bytes, max_rows: int = MAX_ROWS) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(NOT_READABLE + " (It looks like a damaged zip file.)") from None
    if inflated > MAX_XLSX_INFLATED:
        raise ImportFileError("The workbook unpacks to too much data to be an HRIS export.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for foreign or damaged zips
        raise ImportFileError(
            NOT_READABLE + " (It is a zip file, but not an Excel workbook.)"
        ) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError("The workbook has no sheet.")
        rows: list[tuple[int, list[Any]]] = []
        formulas: set[tuple[int, int]] = set()
        headers: list[str] | None = None
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = [getattr(cell, "value", None) for cell in row]
            formulas.update(
                (number, position)
                for position, cell in enumerate(row)
                if getattr(cell, "data_type", None) == "f"
            )
            if number == 1:
                headers = ["" if v is None else str(v).strip() for v in cells]
                continue
            if number > max_rows + 1:
                raise ImportFileError(f"The sheet has more than {max_rows:,} rows; split it.")
            rows.append((number, cells))
    finally:
        workbook.close()
    if not headers or not any(headers):
        raise ImportFileError("Row 1 of the first sheet must hold the column names; it is empty.")
    return Table(kind="xlsx", headers=headers, rows=rows, formulas=formulas)


def table_from_rows(rows: Sequence[Mapping[str, Any]]) -> Table:
    """A table from dicts (header → value), for callers that already hold the data."""
    headers: list[str] = []
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    return Table(
        kind="rows",
        headers=headers,
        rows=[(n, [row.get(h) for h in headers]) for n, row in enumerate(rows, start=2)],
    )


# --- Headers ---------------------------------------------------------------------------------


@dataclass
class Columns:
    index: dict[str, int]  # canonical column → position in the row
    labels: dict[str, str]  # canonical column → the header as the file spells it
    warnings: list[str]


def map_headers(headers: Sequence[str]) -> tuple[Columns, list[Problem]]:
    lookup = _alias_lookup()
    chosen: dict[str, tuple[int, int]] = {}  # column → (rank, position)
    ignored: list[str] = []
    warnings: list[str] = []
    for position, header in enumerate(headers):
        if not header:
            continue
        hit = lookup.get(normalise_header(header))
        if hit is None:
            ignored.append(header)
            continue
        column, rank = hit
        if column in chosen:
            other_rank, other_position = chosen[column]
            if rank < other_rank:
                warnings.append(
                    f"Column “{headers[other_position]}” ignored: “{header}” is used for {column}."
                )
                chosen[column] = (rank, position)
            else:
                warnings.append(
                    f"Column “{header}” ignored: “{headers[other_position]}” is used for {column}."
                )
            continue
        chosen[column] = (rank, position)
    if ignored:
        warnings.append("Columns not imported: " + ", ".join(f"“{h}”" for h in ignored) + ".")
    columns = Columns(
        index={c: p for c, (_, p) in chosen.items()},
        labels={c: headers[p] for c, (_, p) in chosen.items()},
        warnings=warnings,
    )
    problems = [
        Problem(
            None,
            column,
            f"The file has no “{column}” column (accepted headers include "
            + ", ".join(f"“{a}”" for a in COLUMN_ALIASES[column][:4])
            + ").",
        )
        for column in REQUIRED_COLUMNS
        if column not in columns.index
    ]
    return columns, problems


# --- Cells -----------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # XLSX stores 1001 as 1001.0
    if isinstance(value, datetime):
        value = value.date()
    return " ".join(str(value).split())


def parse_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", text):
        text = text[:10]  # an ISO date-time as some exports write dates
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise CellError(f"“{text}” is not a date we read; {DATE_HELP}.")


def parse_status(value: Any) -> str:
    text = re.sub(r"[\s_\-]+", " ", clean_text(value).lower()).strip()
    if not text:
        return PersonStatus.ACTIVE
    try:
        return STATUS_ALIASES[text]
    except KeyError:
        raise CellError(
            f"Unknown status “{clean_text(value)}”; use active, on leave or left "
            "(also accepted: on_leave, leave, terminated, inactive)."
        ) from None


def parse_time_zone(value: Any) -> str:
    text = clean_text(value)
    if not text:
        return "UTC"
    try:
        return _time_zones()[text.lower()]
    except KeyError:
        raise CellError(
            f"“{text}” is not a known time zone; use an IANA name such as Europe/Berlin."
        ) from None


def parse_email(value: Any) -> str:
    text = clean_text(value).lower()
    if not text:
        raise CellError("An e-mail address is required.")
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(f"“{text}” is not a valid e-mail address.") from None
    return text


# --- The snapshot of what is already there -----------------------------------------------------


class Existing(NamedTuple):
    """A person already in Tandem, as the planner needs them (one row of one query)."""

    pk: int
    employee_id: str | None
    email: str
    first_name: str
    last_name: str
    preferred_name: str
    title: str
    level: str
    department_id: int | None
    location: str
    time_zone: str
    start_date: date | None
    status: str
    end_date: date | None
    manager_id: int | None

    @property
    def label(self) -> str:
        return _label(
            self.first_name, self.last_name, self.preferred_name, self.employee_id, self.email
        )


EXISTING_FIELDS = Existing._fields


@dataclass
class Snapshot:
    people: dict[int, Existing]
    departments: dict[int, str]  # id → name

    def __post_init__(self) -> None:
        self.by_employee_id = {p.employee_id: p for p in self.people.values() if p.employee_id}
        self.by_email = {p.email.lower(): p for p in self.people.values()}
        self.department_by_name = {name.lower(): pk for pk, name in self.departments.items()}


def _label(first: str, last: str, preferred: str, employee_id: str | None, email: str) -> str:
    name = f"{preferred or first} {last}".strip()
    return f"{name} ({employee_id or email})"


# --- The plan --------------------------------------------------------------------------------


@dataclass
class Planned:
    """One row of the file, checked: the person it is (new or existing) and their values."""

    row: int
    key: int  # the person's id, or a negative stand-in for someone new
    existing: Existing | None
    values: dict[str, Any]  # final values of the columns the file has (department by name)
    manager_key: int | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    def get(self, column: str) -> Any:
        if column in self.values:
            return self.values[column]
        return getattr(self.existing, column) if self.existing else None

    @property
    def label(self) -> str:
        return _label(
            self.get("first_name") or "",
            self.get("last_name") or "",
            self.get("preferred_name") or "",
            self.get("employee_id"),
            self.get("email") or "",
        )


@dataclass
class Plan:
    rows: int
    problems: list[Problem]
    warnings: list[str]
    columns: Columns | None = None
    creates: list[Planned] = field(default_factory=list)
    updates: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    moves: dict[int, int | None] = field(default_factory=dict)  # existing pk → new manager key
    deactivate: list[int] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    parents: dict[int, int | None] = field(default_factory=dict)  # final tree, by key
    statuses: dict[int, str] = field(default_factory=dict)  # final status, by key
    changes: list[Change] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


Progress = Callable[[str, int, int], None]


def plan(
    table: Table,
    snapshot: Snapshot,
    *,
    deactivate_missing: bool = False,
    actor_pk: int | None = None,
    today: date,
    progress: Progress | None = None,
) -> Plan:
    """Check every row and work out the changes. All problems are collected, none stops
    the check early, so HR can fix the whole file in one go."""
    columns, problems = map_headers(table.headers)
    result = Plan(rows=0, problems=problems, warnings=columns.warnings, columns=columns)
    if problems:
        return result
    has_manager_column = "manager_employee_id" in columns.index or "manager_email" in columns.index

    parsed: list[tuple[int, dict[str, Any], tuple[str, str] | None]] = []
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        if progress and (done % 500 == 0 or done == total):
            progress("Checking rows", done, total)
        if not any(clean_text(c) for c in cells):
            continue  # a blank line in the sheet
        values, manager_ref, row_problems = _parse_row(number, cells, columns, table.formulas)
        problems.extend(row_problems)
        parsed.append((number, values, manager_ref))
    result.rows = len(parsed)
    if not parsed and not problems:
        problems.append(Problem(None, "", "The file has a header row but no people."))

    planned = _match_people(parsed, snapshot, problems)
    _check_unique(planned, snapshot, problems, columns)
    _resolve_managers(planned, parsed, snapshot, problems, has_manager_column, columns)
    final_status = _final_statuses(planned, snapshot, deactivate_missing)
    result.statuses = final_status
    parents = _final_parents(planned, snapshot)
    _check_cycles(planned, parents, snapshot, problems, columns)
    _check_dates_and_status(planned, snapshot, problems, columns, today)
    _check_manager_status(planned, final_status, snapshot, problems, columns)
    if deactivate_missing:
        in_file = {p.key for p in planned}
        result.deactivate = sorted(
            pk
            for pk, person in snapshot.people.items()
            if pk not in in_file and person.status != PersonStatus.LEFT
        )
        if actor_pk is not None and actor_pk in result.deactivate:
            problems.append(
                Problem(
                    None,
                    "",
                    "You are not in this file, so --deactivate-missing would deactivate your own "
                    "account. Add yourself to the file or import without deactivating.",
                )
            )
    if problems:
        problems.sort(
            key=lambda p: (
                p.row or 0,
                PERSON_COLUMNS.index(p.field) if p.field in PERSON_COLUMNS else 99,
            )
        )
        return result

    # Everyone who keeps reporting to someone who leaves moves up to that person's manager,
    # as org.services.people.change_status does for a single leaver.
    deactivated = set(result.deactivate)
    file_keys = {p.key for p in planned}
    for pk, person in snapshot.people.items():
        if pk in file_keys or pk in deactivated or person.status == PersonStatus.LEFT:
            continue
        manager = parents.get(pk)
        target = manager
        while target is not None and final_status.get(target) == PersonStatus.LEFT:
            target = parents.get(target)
        if target != manager:
            result.moves[pk] = target
            parents[pk] = target
    result.parents = parents
    _diff(result, planned, snapshot, today)
    return result


def _parse_row(
    number: int, cells: list[Any], columns: Columns, formulas: set[tuple[int, int]]
) -> tuple[dict[str, Any], tuple[str, str] | None, list[Problem]]:
    values: dict[str, Any] = {}
    problems: list[Problem] = []

    def cell(column: str) -> Any:
        position = columns.index.get(column)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    for column, position in columns.index.items():
        raw = cell(column)
        try:
            if (number, position) in formulas:
                raise CellError("This cell holds a formula; type the value itself.")
            if isinstance(raw, str) and unstorable(raw):
                raise CellError(f"This cell {NOT_TEXT}.")
            if column == "email":
                values[column] = parse_email(raw)
            elif column in ("start_date", "end_date"):
                values[column] = parse_date(raw)
            elif column == "status":
                values[column] = parse_status(raw)
            elif column == "time_zone":
                values[column] = parse_time_zone(raw)
            elif column == "manager_email":
                text = clean_text(raw)
                values[column] = parse_email(text) if text else ""
            else:
                text = clean_text(raw)
                limit = MAX_LENGTHS.get(column)
                if limit and len(text) > limit:
                    raise CellError(f"Too long: {len(text)} characters, at most {limit}.")
                if column in ("first_name", "last_name") and not text:
                    raise CellError("Required; this cell is empty.")
                values[column] = text
        except CellError as error:
            problems.append(Problem(number, column, str(error)))
    manager_ref: tuple[str, str] | None = None
    if values.get("manager_employee_id"):
        manager_ref = ("employee_id", values["manager_employee_id"])
    elif values.get("manager_email"):
        manager_ref = ("email", values["manager_email"])
    values.pop("manager_employee_id", None)
    values.pop("manager_email", None)
    if "employee_id" in values and not values["employee_id"]:
        del values["employee_id"]  # a blank id never clears one we already have
    return values, manager_ref, problems


def _match_people(
    parsed: list[tuple[int, dict[str, Any], tuple[str, str] | None]],
    snapshot: Snapshot,
    problems: list[Problem],
) -> list[Planned]:
    """Upsert by employee id first, then by e-mail."""
    planned: list[Planned] = []
    claimed: dict[int, int] = {}  # existing pk → the row that matched them
    ids_in_file = {v["employee_id"] for _, v, _ in parsed if v.get("employee_id")}
    for index, (number, values, _) in enumerate(parsed):
        existing = None
        eid = values.get("employee_id")
        if eid:
            existing = snapshot.by_employee_id.get(eid)
        if existing is None and values.get("email"):
            existing = snapshot.by_email.get(values["email"])
            if (
                existing is not None
                and eid
                and existing.employee_id
                and (existing.employee_id in ids_in_file)
            ):
                existing = None  # that person is in the file under their own id
        if existing is not None:
            if existing.pk in claimed:
                problems.append(
                    Problem(
                        number,
                        "employee_id" if eid else "email",
                        f"Row {claimed[existing.pk]} is already {existing.label}; "
                        "one person per row.",
                    )
                )
            claimed.setdefault(existing.pk, number)
        planned.append(
            Planned(
                row=number,
                key=existing.pk if existing else -(index + 1),
                existing=existing,
                values=values,
            )
        )
    return planned


def _check_unique(
    planned: list[Planned], snapshot: Snapshot, problems: list[Problem], columns: Columns
) -> None:
    """No two people may end up with the same employee id or e-mail."""
    in_file = {p.key for p in planned}
    for column in ("employee_id", "email"):
        seen: dict[str, int] = {}
        for person in planned:
            value = person.values.get(column)
            if not value:
                continue
            if value in seen:
                problems.append(
                    Problem(person.row, column, f"“{value}” is also on row {seen[value]}.")
                )
                continue
            seen[value] = person.row
            index = snapshot.by_employee_id if column == "employee_id" else snapshot.by_email
            other = index.get(value)
            if other is None or other.pk == person.key or other.pk in in_file:
                continue
            problems.append(
                Problem(
                    person.row,
                    column,
                    f"“{value}” already belongs to {other.label}, who is not in this file.",
                )
            )
        # Someone in the file may give up their value to someone else in the file (a swap);
        # only a value kept by a person *not* changed by the file is a clash, checked above.
        for person in planned:
            if person.existing is None or column in person.values:
                continue
            kept = getattr(person.existing, column)
            if kept and kept in seen and seen[kept] != person.row:
                problems.append(
                    Problem(
                        seen[kept],
                        column,
                        f"“{kept}” already belongs to the person on row {person.row}.",
                    )
                )


def _resolve_managers(
    planned: list[Planned],
    parsed: list[tuple[int, dict[str, Any], tuple[str, str] | None]],
    snapshot: Snapshot,
    problems: list[Problem],
    has_manager_column: bool,
    columns: Columns,
) -> None:
    by_eid = {p.values["employee_id"]: p.key for p in planned if p.values.get("employee_id")}
    by_email = {p.values["email"]: p.key for p in planned if p.values.get("email")}
    in_file = {p.key for p in planned}
    for person, (_, _, ref) in zip(planned, parsed, strict=True):
        if not has_manager_column:
            person.manager_key = person.existing.manager_id if person.existing else None
            continue
        if ref is None:
            person.manager_key = None
            continue
        kind, value = ref
        key = (by_eid if kind == "employee_id" else by_email).get(value)
        if key is None:
            index = snapshot.by_employee_id if kind == "employee_id" else snapshot.by_email
            found = index.get(value)
            # Someone in the file who changes their id or e-mail is no longer found by the old.
            if found is not None and found.pk not in in_file:
                key = found.pk
        if key is None:
            column = "manager_employee_id" if kind == "employee_id" else "manager_email"
            problems.append(
                Problem(
                    person.row,
                    column,
                    f"No one with {'employee id' if kind == 'employee_id' else 'e-mail'} "
                    f"“{value}” is in this file or in Tandem.",
                )
            )
            person.manager_key = person.existing.manager_id if person.existing else None
            continue
        person.manager_key = key


def _final_statuses(
    planned: list[Planned], snapshot: Snapshot, deactivate_missing: bool
) -> dict[int, str]:
    statuses = {pk: p.status for pk, p in snapshot.people.items()}
    if deactivate_missing:
        in_file = {p.key for p in planned}
        statuses = {pk: (s if pk in in_file else PersonStatus.LEFT) for pk, s in statuses.items()}
    for person in planned:
        if "status" in person.values:
            statuses[person.key] = person.values["status"]
        elif person.existing is None:
            statuses[person.key] = PersonStatus.ACTIVE
    return statuses


def _final_parents(planned: list[Planned], snapshot: Snapshot) -> dict[int, int | None]:
    parents: dict[int, int | None] = {pk: p.manager_id for pk, p in snapshot.people.items()}
    for person in planned:
        parents[person.key] = person.manager_key
    return parents


def _manager_column(columns: Columns) -> str:
    return "manager_employee_id" if "manager_employee_id" in columns.index else "manager_email"


def _check_cycles(
    planned: list[Planned],
    parents: dict[int, int | None],
    snapshot: Snapshot,
    problems: list[Problem],
    columns: Columns,
) -> None:
    """Only rows of the file can change a manager, so every cycle runs through one; each row
    on a cycle is reported with the whole chain."""
    rows = {p.key: p for p in planned}
    settled: set[int] = set()
    reported: set[int] = set()
    column = _manager_column(columns)
    for start in rows:
        path: list[int] = []
        on_path: set[int] = set()
        node: int | None = start
        while node is not None and node not in settled and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parents.get(node)
        if node is not None and node in on_path:
            cycle = [*path[path.index(node) :], node]
            names = " → ".join(
                rows[k].label if k in rows else snapshot.people[k].label for k in cycle
            )
            for member in cycle[:-1]:
                if member in rows and member not in reported:
                    reported.add(member)
                    message = (
                        "A person cannot be their own manager."
                        if len(cycle) == 2
                        else f"Manager cycle (each reports to the next): {names}."
                    )
                    problems.append(Problem(rows[member].row, column, message))
        settled.update(path)


def _check_dates_and_status(
    planned: list[Planned],
    snapshot: Snapshot,
    problems: list[Problem],
    columns: Columns,
    today: date,
) -> None:
    for person in planned:
        values, old = person.values, person.existing
        status = values.get("status", old.status if old else PersonStatus.ACTIVE)
        start = values.get("start_date", old.start_date if old else None)
        if status == PersonStatus.LEFT:
            end = values.get("end_date")
            if end is None:
                # A leaver without a date keeps the one they have, or leaves today.
                end = old.end_date if old and old.status == PersonStatus.LEFT else None
                end = end or today
        else:
            if values.get("end_date") is not None:
                problems.append(
                    Problem(
                        person.row,
                        "end_date",
                        f"Only people who have left have an end date (status is "
                        f"{PersonStatus(status).label.lower()}); leave it empty, or set the "
                        "status to left.",
                    )
                )
            end = None
        if start and end and end < start:
            problems.append(
                Problem(
                    person.row,
                    "end_date",
                    f"The end date {end.isoformat()} is before the start date {start.isoformat()}.",
                )
            )
        if "status" in values or (old and old.status != status) or "end_date" in values:
            values["status"] = status
            values["end_date"] = end
        if old is not None and old.status == PersonStatus.LEFT and status != PersonStatus.LEFT:
            values["end_date"] = None


def _check_manager_status(
    planned: list[Planned],
    statuses: dict[int, str],
    snapshot: Snapshot,
    problems: list[Problem],
    columns: Columns,
) -> None:
    rows = {p.key: p for p in planned}
    column = _manager_column(columns)
    for person in planned:
        manager = person.manager_key
        if manager is None or manager == person.key:
            continue
        if statuses.get(person.key) == PersonStatus.LEFT:
            continue  # leavers may keep the manager they had when they left
        if statuses.get(manager) != PersonStatus.LEFT:
            continue
        if manager in rows:
            who, why = rows[manager].label, f"has left (row {rows[manager].row})"
        else:
            who = snapshot.people[manager].label
            why = (
                "has left"
                if snapshot.people[manager].status == PersonStatus.LEFT
                else "is not in this file and would be deactivated"
            )
        problems.append(Problem(person.row, column, f"The manager {who} {why}."))


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _diff(result: Plan, planned: list[Planned], snapshot: Snapshot, today: date) -> None:
    labels: dict[int, str] = {pk: p.label for pk, p in snapshot.people.items()}
    labels.update({p.key: p.label for p in planned})
    new_departments: dict[str, str] = {}
    for person in planned:
        values, old = person.values, person.existing
        department = values.get("department")
        if department and department.lower() not in snapshot.department_by_name:
            new_departments.setdefault(department.lower(), department)
            values["department"] = new_departments[department.lower()]
        elif department:
            values["department"] = snapshot.departments[
                snapshot.department_by_name[department.lower()]
            ]
        changes: list[tuple[str, str, str]] = []
        for column in PERSON_COLUMNS:
            if column == "manager":
                new_label = labels.get(person.manager_key) if person.manager_key else ""
                if old is None:
                    if new_label:
                        changes.append(("manager", "", new_label or ""))
                elif old.manager_id != person.manager_key:
                    old_label = labels.get(old.manager_id, "") if old.manager_id else ""
                    changes.append(("manager", old_label, new_label or ""))
                continue
            if column not in values:
                continue
            new = values[column]
            if old is None:
                if new not in (None, ""):
                    changes.append((column, "", _display(new)))
                continue
            if column == "department":
                current: Any = (
                    snapshot.departments.get(old.department_id) if old.department_id else ""
                )
                if (current or "") != (new or ""):
                    changes.append((column, current or "", new or ""))
                continue
            current = getattr(old, column)
            if column == "email":
                current = current.lower()
            if (current or None) != (new or None):
                changes.append((column, _display(current), _display(new)))
        person.changes = changes
        if old is None:
            result.creates.append(person)
            result.changes.append(Change(person.row, "create", person.label, changes))
        elif changes:
            result.updates.append(person)
            result.changes.append(Change(person.row, "update", person.label, changes))
        else:
            result.unchanged += 1
    result.new_departments = list(new_departments.values())
    for pk, target in sorted(result.moves.items()):
        old = snapshot.people[pk]
        result.changes.append(
            Change(
                None,
                "move",
                old.label,
                [
                    (
                        "manager",
                        labels.get(old.manager_id, "") if old.manager_id else "",
                        labels.get(target, "") if target else "",
                    )
                ],
            )
        )
    for pk in result.deactivate:
        old = snapshot.people[pk]
        result.changes.append(
            Change(
                None,
                "deactivate",
                old.label,
                [
                    ("status", PersonStatus(old.status).label.lower(), "left"),
                    ("end_date", _display(old.end_date), today.isoformat()),
                ],
            )
        )
    result.fingerprint = fingerprint(result.changes, result.new_departments)


def fingerprint(changes: Iterable[Change], departments: Iterable[str]) -> str:
    """A digest of exactly what an import would do, so a confirm applies what was previewed."""
    payload = json.dumps(
        [[c.row, c.action, c.person, c.fields] for c in changes] + [sorted(departments)],
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()
