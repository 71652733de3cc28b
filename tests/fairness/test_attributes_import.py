"""Importing protected attributes: CSV and XLSX keyed by employee_id, all or nothing with
row-numbered problems, idempotent, audited as one entry with counts (never values)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tandem.access.rules import SYSTEM, NotAllowed
from tandem.audit.models import AuditEvent
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.fairness.services.attributes import AttributeImportResult, import_attributes
from tandem.org.models import Person
from tests.factories import PersonFactory, hr_admin
from tests.fairness.groups_helpers import people_analyst

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[Person]:
    return [PersonFactory(employee_id=f"F-{n}") for n in range(1, 4)]


def _run(text: str, by: object = SYSTEM, **kwargs: Any) -> AttributeImportResult:
    return import_attributes(data=text.encode(), file_name="attrs.csv", by=by, **kwargs)


def _values() -> dict[tuple[str, str], str]:
    return {
        (row.person.employee_id, row.attribute.key): row.value
        for row in PersonAttribute.objects.select_related("person", "attribute")
    }


GOOD = (
    "employee_id,gender,ethnicity,age_band,disability,Shift pattern\n"
    "F-1,Woman,Asian,25-34,No,Nights\n"
    "F-2,Man,,35-44,Yes,Days\n"
    "F-3,Zorblax,Black,45-54,,Days\n"
)


def test_a_good_file_sets_every_value_and_adds_new_attributes(people: list[Person]) -> None:
    result = _run(GOOD)
    assert result.ok, result.problems
    assert result.applied
    assert _values()[("F-3", "gender")] == "Zorblax"
    assert _values()[("F-1", "shift_pattern")] == "Nights"
    assert ("F-2", "ethnicity") not in _values()  # an empty cell is "not given"
    assert ProtectedAttribute.objects.get(key="shift_pattern").label == "Shift pattern"
    assert ProtectedAttribute.objects.get(key="age_band").label == "Age band"
    assert result.set == 13


def test_an_xlsx_file_imports_like_a_csv(people: list[Person]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["employee_id", "gender"])
    sheet.append(["F-1", "Woman"])
    sheet.append(["F-2", "Man"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_attributes(data=buffer.getvalue(), file_name="a.xlsx", by=SYSTEM)
    assert result.ok, result.problems
    assert _values() == {("F-1", "gender"): "Woman", ("F-2", "gender"): "Man"}


def test_re_importing_the_same_file_changes_nothing(people: list[Person]) -> None:
    _run(GOOD)
    before = list(PersonAttribute.objects.order_by("pk").values_list("pk", "value", "updated_at"))
    again = _run(GOOD)
    assert (again.set, again.changed, again.cleared) == (0, 0, 0)
    assert again.unchanged == 13
    after = list(PersonAttribute.objects.order_by("pk").values_list("pk", "value", "updated_at"))
    assert after == before
    assert ProtectedAttribute.objects.count() == 5


def test_an_empty_cell_clears_a_value_imported_before(people: list[Person]) -> None:
    _run("employee_id,gender\nF-1,Woman\n")
    result = _run("employee_id,gender\nF-1,\n")
    assert result.cleared == 1
    assert _values() == {}


def test_people_not_in_the_file_keep_their_values(people: list[Person]) -> None:
    _run("employee_id,gender\nF-1,Woman\nF-2,Man\n")
    _run("employee_id,gender\nF-1,Non-binary\n")
    assert _values() == {("F-1", "gender"): "Non-binary", ("F-2", "gender"): "Man"}


def test_the_import_is_audited_once_with_counts_and_no_values(people: list[Person]) -> None:
    _run(GOOD, by=people_analyst())
    events = AuditEvent.objects.filter(kind="fairness.attributes.import")
    assert events.count() == 1
    event = events.get()
    assert event.changes["added"] == 13
    assert event.changes["people"] == 3
    assert "Zorblax" not in str(event.changes) + event.object_label


def test_a_dry_run_counts_and_changes_nothing(people: list[Person]) -> None:
    result = _run(GOOD, dry_run=True)
    assert result.ok
    assert result.set == 13
    assert not result.applied
    assert not PersonAttribute.objects.exists()
    assert not ProtectedAttribute.objects.exists()


def test_only_people_analysts_may_import(people: list[Person]) -> None:
    with pytest.raises(NotAllowed):
        _run(GOOD, by=hr_admin())
    assert not PersonAttribute.objects.exists()


# --- Bad input: a row-numbered message, nothing saved ---------------------------------------------


def _refused(people: list[Person], text: str) -> list[str]:
    """Import `text` after a good file; assert nothing changed; the problems as text."""
    _run("employee_id,gender\nF-1,Woman\n")
    before = _values()
    result = _run(text)
    assert not result.ok
    assert not result.applied
    assert _values() == before
    return [str(p) for p in result.problems]


def test_an_unknown_employee_id_is_refused_with_its_row(people: list[Person]) -> None:
    problems = _refused(people, "employee_id,gender\nF-1,Man\nNOPE-9,Woman\n")
    assert problems == ["row 3, employee_id: No one in Tandem has employee id “NOPE-9”."]


def test_the_same_person_twice_is_refused_with_both_rows(people: list[Person]) -> None:
    problems = _refused(people, "employee_id,gender\nF-1,Man\nF-2,Man\nF-1,Woman\n")
    assert problems == [
        "row 4, employee_id: “F-1” is also on row 2; one row per person.",
    ]


def test_a_group_name_of_500_characters_is_refused(people: list[Person]) -> None:
    problems = _refused(people, f"employee_id,gender\nF-2,{'x' * 500}\n")
    assert problems == ["row 2, gender: Too long: 500 characters, at most 100."]


@pytest.mark.parametrize("formula", ["=1+1", "+SUM(A1)", "-2+3", "@cmd"])
def test_a_formula_in_a_cell_is_refused(people: list[Person], formula: str) -> None:
    problems = _refused(people, f"employee_id,gender\nF-2,{formula}\n")
    assert len(problems) == 1
    assert problems[0].startswith("row 2, gender: ")
    assert "formula" in problems[0]


def test_a_formula_in_an_xlsx_cell_is_refused(people: list[Person]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["employee_id", "gender"])
    sheet.append(["F-2", '=CONCAT("Wo","man")'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_attributes(data=buffer.getvalue(), file_name="a.xlsx", by=SYSTEM)
    assert [str(p) for p in result.problems] == [
        "row 2, gender: This cell holds a formula; type the value itself."
    ]
    assert not PersonAttribute.objects.exists()


def test_a_column_with_values_and_no_header_is_refused(people: list[Person]) -> None:
    problems = _refused(people, "employee_id,gender,\nF-2,Man,Blue\n")
    assert problems == [
        "row 1, column 3: This column has values but no header; name the attribute."
    ]


def test_a_header_that_cannot_name_an_attribute_is_refused(people: list[Person]) -> None:
    problems = _refused(people, "employee_id,gender,%%%\nF-2,Man,Blue\n")
    assert len(problems) == 1
    assert problems[0].startswith("row 1, column 3: “%%%” is not a name we can use")


def test_a_people_import_column_is_refused_as_an_attribute(people: list[Person]) -> None:
    problems = _refused(people, "employee_id,gender,email\nF-2,Man,a@example.com\n")
    assert problems[0].startswith("row 1, column 3: “email” is a column of the people import")


def test_a_file_without_an_employee_id_column_is_refused(people: list[Person]) -> None:
    problems = _refused(people, "person,gender\nF-2,Man\n")
    assert problems == ["row 1, employee_id: The file needs an employee_id column."]


def test_every_problem_of_a_file_is_listed_at_once(people: list[Person]) -> None:
    problems = _refused(people, f"employee_id,gender\nNOPE,Man\nF-2,=1\nF-3,{'y' * 101}\n")
    assert [p.split(",")[0] for p in problems] == ["row 2", "row 3", "row 4"]


def test_a_file_that_is_not_csv_or_xlsx_is_refused(people: list[Person]) -> None:
    result = import_attributes(data=b"\xff\xfe\x00garbage", file_name="x.bin", by=SYSTEM)
    assert not result.ok
    assert "neither a CSV file" in str(result.problems[0])


# --- The command ---------------------------------------------------------------------------------


def test_the_command_imports_a_file(people: list[Person], tmp_path: Path) -> None:
    path = tmp_path / "attributes.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command("import_attributes", str(path), stdout=out)
    assert "Imported: attributes.csv: 3 people: 13 values added" in out.getvalue()
    assert _values()[("F-3", "gender")] == "Zorblax"


def test_the_command_lists_the_problems_and_fails(people: list[Person], tmp_path: Path) -> None:
    path = tmp_path / "attributes.csv"
    path.write_text("employee_id,gender\nNOPE,Man\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_attributes", str(path), stdout=out)
    assert "row 2, employee_id: No one in Tandem has employee id “NOPE”." in out.getvalue()


def test_the_command_is_spelled_with_a_hyphen_like_the_people_import() -> None:
    from tandem.cli import ALIASES

    assert ALIASES["import-attributes"] == "import_attributes"


def test_the_check_reports_its_progress_for_the_commands_bar(people: list[Person]) -> None:
    seen: list[tuple[str, int, int]] = []
    _run(GOOD, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen[-1] == ("Checking rows", 3, 3)
