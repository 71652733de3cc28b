"""The export helpers: formulas neutralised, CSV and XLSX streamed with the same rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tandem.core.exports import (
    CSV_ROWS_PER_CHUNK,
    csv_chunks,
    csv_response,
    export_filename,
    safe_cell,
    stream,
    xlsx_chunks,
    xlsx_response,
)


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("https://evil.example","click")',
        "+44 20 7946 0000",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=cmd",
        "\r=cmd",
    ],
)
def test_text_that_would_start_a_formula_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Grow revenue", " =not first", "a=b", "", "'quoted"])
def test_ordinary_text_is_left_as_written(text: str) -> None:
    assert safe_cell(text) == text


def test_numbers_stay_numbers_even_when_negative() -> None:
    assert safe_cell(-5) == -5
    assert safe_cell(Decimal("-0.5")) == Decimal("-0.5")


def test_none_is_an_empty_cell() -> None:
    assert safe_cell(None) == ""


def _csv_rows(chunks: list[str]) -> list[list[str]]:
    text = "".join(chunks)
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_neutralises_formulas_in_the_header_and_the_rows() -> None:
    rows = _csv_rows(list(csv_chunks(["=Header"], [["=2*3"], ["@me"], [-1]])))
    assert rows == [["'=Header"], ["'=2*3"], ["'@me"], ["-1"]]


def test_csv_comes_in_chunks_rather_than_one_string() -> None:
    chunks = list(csv_chunks(["n"], ([i] for i in range(CSV_ROWS_PER_CHUNK * 2 + 1))))
    assert len(chunks) == 3
    assert len(_csv_rows(chunks)) == CSV_ROWS_PER_CHUNK * 2 + 2


def test_csv_keeps_commas_quotes_and_new_lines_inside_a_cell() -> None:
    rows = _csv_rows(list(csv_chunks(["text"], [['He said "ship it",\nthen left']])))
    assert rows[1] == ['He said "ship it",\nthen left']


def test_xlsx_holds_the_same_cells_as_csv_with_formulas_as_text() -> None:
    header = ["Title", "Progress %"]
    data = [["=1+1", Decimal("42.5")], ["Plain", 7], ["-x", None]]
    workbook = load_workbook(io.BytesIO(b"".join(xlsx_chunks(header, data, sheet_title="T"))))
    sheet = workbook["T"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells == [["Title", "Progress %"], ["'=1+1", 42.5], ["Plain", 7], ["'-x", None]]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    csv_cells = _csv_rows(list(csv_chunks(header, data)))
    as_text = [["" if v is None else str(v) for v in row] for row in cells]
    assert as_text == csv_cells


def test_xlsx_drops_control_characters_a_workbook_cannot_hold() -> None:
    data = b"".join(xlsx_chunks(["t"], [["bell\x07here"]], sheet_title="T"))
    assert load_workbook(io.BytesIO(data))["T"]["A2"].value == "bellhere"


def test_responses_are_streamed_attachments_with_a_safe_name() -> None:
    name = export_filename("goals", 'Q3 "2026"/../x', extension="csv")
    assert name == "goals-q3-2026x.csv"
    response = csv_response(filename=name, header=["a"], rows=[[1]])
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Content-Type"].startswith("text/csv")
    xlsx = xlsx_response(filename="g.xlsx", header=["a"], rows=[[1]], sheet_title="G")
    assert xlsx.streaming
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")


@pytest.mark.django_db(transaction=True)
def test_stream_reads_its_rows_inside_a_transaction_and_ends_it() -> None:
    # Outside a transaction Django declares PostgreSQL's cursor WITH HOLD, which computes
    # the whole result before the first row: the rows are read inside one instead.
    from django.db import connection

    from tandem.org.models import Department

    Department.objects.create(name="Alpha")
    Department.objects.create(name="Beta")
    seen = []
    for department in stream(Department.objects.order_by("name"), chunk_size=1):
        seen.append((department.name, connection.in_atomic_block))
    assert seen == [("Alpha", True), ("Beta", True)]
    assert not connection.in_atomic_block
