"""Importing people's protected attributes from a CSV or XLSX file, all or nothing.

The file is keyed by `employee_id`, with one column per attribute: gender, ethnicity,
age_band, disability, and any other column is a new attribute HR adds (its header becomes
the label). An empty cell means "not given": the person's value of that attribute is
cleared. People not in the file keep their values. Reading the file, header normalisation
and row-numbered problems are the people import's (`org.importer`); this module adds the
checks of its own columns.

A file with any problem changes nothing; its problems name the row and the column. A cell
that starts like a spreadsheet formula (=, +, -, @), or an XLSX cell that holds a formula,
is refused: the value would run as a formula in whoever opens an export of it later.

The import is audited as one entry with counts, never with values.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.validation import NOT_TEXT, unstorable
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.org.importer import (
    COLUMN_ALIASES,
    ImportFileError,
    Problem,
    Table,
    clean_text,
    normalise_header,
    read_table,
)
from tandem.org.models import Person

KEY_COLUMN = "employee_id"
KNOWN_ATTRIBUTES = {
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "age_band": "Age band",
    "disability": "Disability",
}
KEY_ALIASES = {normalise_header(alias) for alias in COLUMN_ALIASES[KEY_COLUMN]}
# A people-import column here is a mix-up of files, not a new attribute.
PEOPLE_HEADERS = {
    normalise_header(alias)
    for column, aliases in COLUMN_ALIASES.items()
    if column != KEY_COLUMN
    for alias in aliases
}
MAX_VALUE = PersonAttribute._meta.get_field("value").max_length or 100
MAX_KEY = ProtectedAttribute._meta.get_field("key").max_length or 50
FORMULA_START = ("=", "+", "-", "@")
ID_CHUNK = 500  # ids per "IN (...)" list, well under SQLite's parameter limit

Progress = Callable[[str, int, int], None]


@dataclass
class AttributeImportResult:
    """What an import did (or, checked only, would do), or why the file was refused."""

    file_name: str = ""
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)  # the labels of the file's columns
    new_attributes: list[str] = field(default_factory=list)
    set: int = 0  # values given that were not there
    changed: int = 0
    cleared: int = 0
    unchanged: int = 0
    applied: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        return (
            f"{self.rows} people: {self.set} values added, {self.changed} changed, "
            f"{self.cleared} cleared, {self.unchanged} unchanged"
        )


@dataclass(frozen=True)
class _Column:
    position: int
    key: str
    label: str


def attribute_key(header: str) -> str:
    """ "Age band", "age-band" and "AGE_BAND" are all `age_band`."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _columns(table: Table) -> tuple[int | None, list[_Column], list[Problem]]:
    problems: list[Problem] = []
    key_position: int | None = None
    columns: list[_Column] = []
    seen: dict[str, str] = {}
    for position, header in enumerate(table.headers):
        where = f"column {position + 1}"
        if not header:
            # Spreadsheets often carry empty columns after the last one; only a column with
            # values and no name is a problem.
            if any(
                position < len(cells) and clean_text(cells[position]) for _, cells in table.rows
            ):
                problems.append(
                    Problem(1, where, "This column has values but no header; name the attribute.")
                )
            continue
        if header.startswith(FORMULA_START) or unstorable(header):
            problems.append(Problem(1, where, f"“{header[:40]}” cannot be an attribute name."))
            continue
        key = attribute_key(header)
        if normalise_header(header) in KEY_ALIASES:
            key = KEY_COLUMN
        if not key or not key[0].isalpha():
            problems.append(
                Problem(
                    1,
                    where,
                    f"“{header}” is not a name we can use for an attribute; start it with a "
                    "letter (e.g. gender, age_band).",
                )
            )
            continue
        if len(key) > MAX_KEY:
            problems.append(
                Problem(1, where, f"“{header[:40]}…” is too long for an attribute name.")
            )
            continue
        if key != KEY_COLUMN and normalise_header(header) in PEOPLE_HEADERS:
            problems.append(
                Problem(
                    1,
                    where,
                    f"“{header}” is a column of the people import, not a protected attribute; "
                    "this file takes employee_id and attribute columns only.",
                )
            )
            continue
        if key in seen:
            problems.append(Problem(1, where, f"“{header}” is the same column as “{seen[key]}”."))
            continue
        seen[key] = header
        if key == KEY_COLUMN:
            key_position = position
        else:
            columns.append(_Column(position, key, KNOWN_ATTRIBUTES.get(key, header.strip())))
    if key_position is None and not problems:
        problems.append(Problem(1, KEY_COLUMN, "The file needs an employee_id column."))
    elif not columns and not problems:
        problems.append(
            Problem(1, "", "The file has no attribute columns (e.g. gender, age_band).")
        )
    return key_position, columns, problems


def _check_value(raw: Any, formula: bool) -> tuple[str, str | None]:
    """(value, problem): the cell's text, or why it is refused."""
    if formula:
        return "", "This cell holds a formula; type the value itself."
    if isinstance(raw, str) and unstorable(raw):
        return "", f"This cell {NOT_TEXT}."
    text = clean_text(raw)
    if text.startswith(FORMULA_START):
        return "", (
            f"“{text[:40]}” starts like a spreadsheet formula (=, +, -, @); write the group "
            "without that first character."
        )
    if len(text) > MAX_VALUE:
        return "", f"Too long: {len(text)} characters, at most {MAX_VALUE}."
    return text, None


def import_attributes(
    *,
    data: bytes,
    file_name: str,
    by: Any,
    dry_run: bool = False,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> AttributeImportResult:
    """Check the file and, unless `dry_run` or it has any problem, save every value in one
    transaction (see the module docstring)."""
    require(by, "fairness.attributes.manage")
    started = time.monotonic()
    result = AttributeImportResult(file_name=file_name)
    try:
        table = read_table(data, max_bytes=max_bytes)
        formulas = table.formulas
    except (ImportFileError, zipfile.BadZipFile) as error:
        result.problems.append(Problem(None, "", str(error)))
        return result
    key_position, columns, problems = _columns(table)
    result.problems = problems
    result.attributes = [c.label for c in columns]
    if problems or key_position is None:
        return result

    people = dict(
        Person.objects.exclude(employee_id=None)
        .exclude(employee_id="")
        .values_list("employee_id", "pk")
    )
    wanted: dict[int, dict[str, str]] = {}  # person → {attribute key: value or ""}
    seen_rows: dict[str, int] = {}
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        if progress and (done % 500 == 0 or done == total):
            progress("Checking rows", done, total)
        if not any(clean_text(c) for c in cells):
            continue  # a blank line in the sheet
        result.rows += 1
        raw_id = cells[key_position] if key_position < len(cells) else None
        employee_id, problem = _check_value(raw_id, (number, key_position) in formulas)
        if problem:
            problems.append(Problem(number, KEY_COLUMN, problem))
            continue
        if not employee_id:
            problems.append(Problem(number, KEY_COLUMN, "Required; this cell is empty."))
            continue
        if employee_id in seen_rows:
            problems.append(
                Problem(
                    number,
                    KEY_COLUMN,
                    f"“{employee_id}” is also on row {seen_rows[employee_id]}; one row per person.",
                )
            )
            continue
        seen_rows[employee_id] = number
        person_id = people.get(employee_id)
        if person_id is None:
            problems.append(
                Problem(number, KEY_COLUMN, f"No one in Tandem has employee id “{employee_id}”.")
            )
        values: dict[str, str] = {}
        for column in columns:
            raw = cells[column.position] if column.position < len(cells) else None
            value, problem = _check_value(raw, (number, column.position) in formulas)
            if problem:
                problems.append(Problem(number, column.key, problem))
            values[column.key] = value
        if person_id is not None:
            wanted[person_id] = values
    if not result.rows and not problems:
        problems.append(Problem(None, "", "The file has a header row but no people."))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.field))
        return result

    existing_attributes = {a.key: a for a in ProtectedAttribute.objects.all()}
    result.new_attributes = [c.label for c in columns if c.key not in existing_attributes]
    # (person, attribute key) → (row id, value): plain tuples, light at 100k people.
    current: dict[tuple[int, str], tuple[int, str]] = {}
    known_ids = [existing_attributes[c.key].pk for c in columns if c.key in existing_attributes]
    if known_ids:
        rows = PersonAttribute.objects.filter(attribute_id__in=known_ids).values_list(
            "pk", "person_id", "attribute__key", "value"
        )
        for pk, person_id, key, value in rows.iterator(chunk_size=5000):
            if person_id in wanted:
                current[(person_id, key)] = (pk, value)
    to_create: list[tuple[int, str, str]] = []
    to_update: list[PersonAttribute] = []
    to_delete: list[int] = []
    for person_id, values in wanted.items():
        for key, value in values.items():
            old = current.get((person_id, key))
            if old is None and value:
                to_create.append((person_id, key, value))
            elif old is not None and not value:
                to_delete.append(old[0])
            elif old is not None and old[1] != value:
                to_update.append(PersonAttribute(pk=old[0], value=value))
            else:
                result.unchanged += int(bool(value))
    result.set, result.changed, result.cleared = len(to_create), len(to_update), len(to_delete)
    if dry_run:
        result.seconds = time.monotonic() - started
        return result

    with transaction.atomic():
        attributes = dict(existing_attributes)
        for column in columns:
            if column.key not in attributes:
                attributes[column.key] = ProtectedAttribute.objects.create(
                    key=column.key, label=column.label, created_by=by if by.pk else None
                )
        now = timezone.now()
        PersonAttribute.objects.bulk_create(
            (
                PersonAttribute(
                    person_id=person_id, attribute=attributes[key], value=value, updated_at=now
                )
                for person_id, key, value in to_create
            ),
            batch_size=1000,
        )
        for row in to_update:
            row.updated_at = now
        PersonAttribute.objects.bulk_update(to_update, ["value", "updated_at"], batch_size=1000)
        for start in range(0, len(to_delete), ID_CHUNK):
            PersonAttribute.objects.filter(pk__in=to_delete[start : start + ID_CHUNK]).delete()
        record(
            actor=by,
            kind="fairness.attributes.import",
            object_type="fairness.personattribute",
            object_label=f"Protected attributes from {file_name}"[:300],
            changes={
                "file": file_name,
                "people": result.rows,
                "attributes": [c.key for c in columns],
                "new_attributes": result.new_attributes,
                "added": result.set,
                "changed": result.changed,
                "cleared": result.cleared,
                "unchanged": result.unchanged,
            },
        )
    result.applied = True
    result.seconds = time.monotonic() - started
    return result
