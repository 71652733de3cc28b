"""Streamed CSV and XLSX exports, with spreadsheet formulas neutralised.

Every export in Tandem builds its files here, so two habits hold everywhere:

- **No formula runs.** Excel, LibreOffice and Google Sheets read a cell that starts with
  ``= + - @`` (or a tab or carriage return, which some of them skip first) as a formula —
  "CSV injection" in OWASP's words: a goal titled ``=HYPERLINK("https://evil…")`` would
  become a live link in HR's spreadsheet. `safe_cell` prefixes such text with an
  apostrophe, which every spreadsheet reads as "this is text". Numbers are left as they
  are: a negative number is data, not a formula.
- **Bounded memory.** Rows arrive from an iterator (a queryset's ``.iterator()``) and leave
  in chunks: CSV through a `StreamingHttpResponse` as they are written; XLSX through
  openpyxl's write-only workbook, which keeps rows in a temporary file, then streams the
  finished file in chunks. 100,000 rows never sit in memory at once.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_ROWS_PER_CHUNK = 500
XLSX_BYTES_PER_CHUNK = 64 * 1024
# Excel opens a UTF-8 CSV as UTF-8 only when it starts with a byte-order mark.
BOM = "\ufeff"

Cell = str | int | Decimal | float | None
Row = TypeVar("Row")


def stream(queryset: QuerySet[Any, Row], *, chunk_size: int) -> Iterator[Row]:
    """The rows of `queryset` as the database produces them, `chunk_size` at a time, read
    inside a transaction that lasts as long as the reading.

    Why the transaction: outside one (autocommit), Django declares PostgreSQL's server-side
    cursor WITH HOLD, and PostgreSQL computes the cursor's whole result when the statement
    that declared it commits, before handing back the first row: HR's export of 310,000
    goals sent nothing for 0.9-1.7 s at 100,000 people. Inside a transaction the cursor is
    an ordinary one, read as it goes. The transaction only reads; a reader that stops early
    (a closed download) rolls it back.

    Inside a caller's transaction (a test's, a task's) the cursor is already an ordinary
    one, so no block is opened at all: an atomic block held open by a generator that a
    reader drops half-read would be left to the garbage collector, which closes it later,
    in whatever transaction runs then — popping that one's savepoint instead of its own."""
    if transaction.get_connection(queryset.db).in_atomic_block:
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    with transaction.atomic(using=queryset.db):
        yield from queryset.iterator(chunk_size=chunk_size)


def safe_cell(value: Any) -> Cell:
    """A value fit for a spreadsheet cell: numbers as they are, None as an empty cell,
    everything else as text, with an apostrophe in front when it would start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Cell]:
    return [safe_cell(value) for value in row]


class _Echo:
    """A file-like object that hands back what is written, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text, a few hundred rows per chunk, header first (after the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(safe_row(header))
    for count, row in enumerate(rows, start=1):
        writer.writerow(safe_row(row))
        if count % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cell(value: Cell) -> Cell:
    # XML 1.0 cannot carry most control characters; openpyxl refuses them outright.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_chunks(
    header: Sequence[str], rows: Iterable[Iterable[Any]], *, sheet_title: str
) -> Iterator[bytes]:
    """The XLSX file in chunks. A workbook is a zip, finished only after its last row, so
    rows go to openpyxl's write-only sheet (kept in a temporary file, not in memory) and
    the saved file is streamed from disk."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(sheet_title or "Export")[:31])
    sheet.append([_xlsx_cell(cell) for cell in safe_row(header)])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in safe_row(row)])
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(XLSX_BYTES_PER_CHUNK):
            yield chunk


def export_filename(*parts: str, extension: str) -> str:
    """A safe download name from its parts: ``goals-q3-2026.csv``."""
    stem = "-".join(slug for slug in (slugify(part) for part in parts) if slug) or "export"
    return f"{stem[:120]}.{extension}"


def _attachment(response: StreamingHttpResponse, filename: str) -> StreamingHttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(header, rows), content_type=CSV_CONTENT_TYPE)
    return _attachment(response, filename)


def xlsx_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Iterable[Any]], sheet_title: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        xlsx_chunks(header, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE
    )
    return _attachment(response, filename)
