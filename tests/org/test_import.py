"""The HRIS import: reading files, checking rows, upserting people, all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from tandem.access.models import ApiToken, SignInSession
from tandem.access.rules import SYSTEM, NotAllowed
from tandem.access.services import create_token
from tandem.audit.context import origin
from tandem.audit.models import AuditEvent
from tandem.org import tree
from tandem.org.models import Department, Person, PersonStatus, ReportingLine
from tandem.org.services.imports import ImportResult, import_people
from tests.factories import DepartmentFactory, PersonFactory, hr_admin
from tests.org.fixtures.import_files import HEADER, PNG, TEAM, csv_bytes, person_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(data: bytes, **options: Any) -> ImportResult:
    return import_people(data=data, by=SYSTEM, file_name="people.csv", **options)


def problems_of(result: ImportResult) -> list[tuple[int | None, str]]:
    return [(p.row, p.field) for p in result.problems]


def imported(eid: str) -> Person:
    return Person.objects.select_related("manager", "department").get(employee_id=eid)


# --- Creating and updating -------------------------------------------------------------------


def test_it_creates_people_with_their_managers_and_departments() -> None:
    result = run(csv_bytes(TEAM))

    assert result.ok and result.applied
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    alan = imported("E3")
    assert alan.manager == imported("E2")
    assert alan.department is not None and alan.department.name == "Engineering"
    assert alan.path == f"{imported('E2').path}{alan.pk}/"
    assert alan.depth == 2
    assert alan.sort_name == "turing alan"
    assert "alan.turing@example.com" in alan.search_text
    assert not alan.has_usable_password()
    assert alan.is_active


def test_it_creates_departments_as_needed_with_paths() -> None:
    run(csv_bytes(TEAM))

    departments = Department.objects.order_by("name")
    assert [d.name for d in departments] == ["Engineering", "Leadership"]
    assert all(d.path == f"/{d.pk}/" for d in departments)


def test_it_reuses_existing_departments_whatever_their_case() -> None:
    existing = DepartmentFactory(name="Engineering")

    run(csv_bytes([person_row("E9", "Alan", "Turing", department="ENGINEERING")]))

    assert imported("E9").department == existing


def test_it_opens_a_reporting_line_for_each_new_person() -> None:
    run(csv_bytes(TEAM))

    line = ReportingLine.objects.get(person=imported("E3"))
    assert line.manager == imported("E2")
    assert line.start_date == dt.date(2021, 4, 1)
    assert line.end_date is None


def test_it_records_one_audit_event_per_person_with_the_origin_address() -> None:
    with origin("203.0.113.7", "web"):
        run(csv_bytes(TEAM))

    events = AuditEvent.objects.filter(kind="person.create")
    assert events.count() == 4
    event = events.get(subject=imported("E3"))
    assert event.ip_address == "203.0.113.7"
    assert event.changes["title"] == [None, "Engineer"]
    assert event.changes["manager"] == [None, "Grace Hopper (E2)"]


def test_it_updates_a_person_found_by_employee_id() -> None:
    person = PersonFactory(employee_id="E3", email="old@example.com", title="Intern")

    result = run(csv_bytes([person_row("E3", "Alan", "Turing", email="alan@example.com")]))

    assert (result.created, result.updated) == (0, 1)
    person.refresh_from_db()
    assert (person.email, person.title) == ("alan@example.com", "Engineer")
    assert ("email", "old@example.com", "alan@example.com") in result.changes[0].fields


def test_it_updates_a_person_found_by_email_when_the_id_is_new() -> None:
    person = PersonFactory(employee_id=None, email="alan.turing@example.com")

    result = run(csv_bytes([person_row("E77", "Alan", "Turing")]))

    assert (result.created, result.updated) == (0, 1)
    person.refresh_from_db()
    assert person.employee_id == "E77"


def test_it_matches_emails_whatever_their_case() -> None:
    person = PersonFactory(employee_id=None, email="alan.turing@example.com")

    run(csv_bytes([person_row("", "Alan", "Turing", email="Alan.Turing@Example.COM")]))

    assert Person.objects.count() == 1
    person.refresh_from_db()
    assert person.first_name == "Alan"


def test_it_links_a_manager_already_in_tandem_by_email() -> None:
    boss = PersonFactory(email="boss@example.com")
    header = [*HEADER[:6], "manager_email", *HEADER[7:]]

    run(csv_bytes([person_row("E3", "Alan", "Turing", manager="boss@example.com")], header))

    alan = imported("E3")
    assert alan.manager == boss
    assert alan.path == f"{boss.path}{alan.pk}/"


def test_reimporting_the_same_file_changes_nothing() -> None:
    data = csv_bytes(TEAM)
    run(data)
    events = AuditEvent.objects.count()

    again = run(data)

    assert (again.created, again.updated, again.unchanged, again.deactivated) == (0, 0, 4, 0)
    assert AuditEvent.objects.count() == events
    assert ReportingLine.objects.count() == 4


def test_a_dry_run_changes_nothing_but_lists_the_changes() -> None:
    result = run(csv_bytes(TEAM), dry_run=True)

    assert result.ok and not result.applied
    assert result.created == 4
    assert [c.action for c in result.changes] == ["create"] * 4
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_manager_change_closes_the_open_line_and_opens_a_new_one() -> None:
    run(csv_bytes(TEAM))
    line = ReportingLine.objects.get(person=imported("E3"))
    moved = [*TEAM[:2], person_row("E3", "Alan", "Turing", manager="E4"), TEAM[3]]

    result = run(csv_bytes(moved))

    assert result.updated == 1
    assert ("manager", "Grace Hopper (E2)", "Edsger Dijkstra (E4)") in result.changes[0].fields
    line.refresh_from_db()
    today = timezone.localdate()
    assert line.end_date == today
    assert ReportingLine.manager_on(imported("E3"), today) == imported("E4")
    assert imported("E3").path == f"{imported('E4').path}{imported('E3').pk}/"


def test_moving_a_manager_moves_their_whole_subtree() -> None:
    run(csv_bytes(TEAM))
    rows = [TEAM[0], person_row("E2", "Grace", "Hopper", manager="E4", title="CTO"), *TEAM[2:3]]
    rows.append(person_row("E4", "Edsger", "Dijkstra", manager="E1"))

    run(csv_bytes(rows))

    alan, edsger = imported("E3"), imported("E4")
    assert alan.path.startswith(edsger.path)
    assert alan.depth == 3


def test_it_reads_a_csv_with_a_bom_and_semicolons() -> None:
    rows = [
        person_row(
            "E1", "Zoë", "Löwe", department="Forschung; Entwicklung", email="zoe@example.com"
        )
    ]

    result = run(csv_bytes(rows, delimiter=";", bom=True))

    assert result.ok, result.problems
    zoe = imported("E1")
    assert (zoe.first_name, zoe.last_name) == ("Zoë", "Löwe")
    assert zoe.department is not None and zoe.department.name == "Forschung; Entwicklung"


def test_it_reads_an_xlsx_workbook_with_date_cells_and_numeric_ids() -> None:
    rows = [
        [1001, "ada@example.com", "Ada", "Lovelace", "CEO", "Board", None, dt.datetime(2019, 5, 6)],  # noqa: DTZ001 (Excel cells have no zone)
        [1002, "alan@example.com", "Alan", "Turing", "Eng", "Eng", 1001, dt.date(2020, 1, 2)],
    ]

    result = run(xlsx_bytes(rows, HEADER[:8]))

    assert result.ok, result.problems
    alan = imported("1002")
    assert alan.manager == imported("1001")
    assert alan.start_date == dt.date(2020, 1, 2)
    assert imported("1001").start_date == dt.date(2019, 5, 6)


def test_a_formula_in_an_xlsx_cell_is_refused_naming_its_row_and_column() -> None:
    rows = [person_row("E1", "Ada", "Lovelace"), person_row("E2", "Grace", "Hopper")]
    rows[1][4] = '=HYPERLINK("http://evil.example","Engineer")'

    result = run(xlsx_bytes(rows))

    assert [str(p) for p in result.problems] == [
        "row 3, title: This cell holds a formula; type the value itself."
    ]
    assert not Person.objects.exists()


def test_it_understands_bamboohr_headers() -> None:
    header = [
        "Employee #",
        "Work Email",
        "First Name",
        "Last Name",
        "Preferred Name",
        "Job Title",
        "Department",
        "Supervisor EID",
        "Hire Date",
        "Employment Status",
        "Termination Date",
    ]
    rows = [
        [
            "7",
            "ada@example.com",
            "Augusta",
            "Lovelace",
            "Ada",
            "CEO",
            "Board",
            "",
            "2019-05-06",
            "Active",
            "",
        ],
        [
            "8",
            "bo@example.com",
            "Bo",
            "Chan",
            "",
            "Analyst",
            "Finance",
            "7",
            "03/01/2020",
            "Terminated",
            "31.12.2023",
        ],
    ]

    result = run(csv_bytes(rows, header))

    assert result.ok, result.problems
    ada, bo = imported("7"), imported("8")
    assert (ada.preferred_name, ada.title, ada.display_name) == ("Ada", "CEO", "Ada Lovelace")
    assert bo.manager == ada
    assert bo.start_date == dt.date(2020, 3, 1)
    assert (bo.status, bo.end_date, bo.is_active) == ("left", dt.date(2023, 12, 31), False)


def test_it_understands_workday_headers_whatever_their_case_and_spacing() -> None:
    header = [
        "Worker ID",
        "EMAIL ADDRESS",
        "Legal First Name",
        "legal  last name",
        "Business Title",
        "Reports To Email",
        "time_zone",
        "Termination Date",
    ]
    rows = [
        ["W1", "ada@example.com", "Ada", "Lovelace", "CEO", "", "europe/berlin", ""],
        ["W2", "alan@example.com", "Alan", "Turing", "Eng", "ADA@example.com", "UTC", ""],
    ]

    result = run(csv_bytes(rows, header))

    assert result.ok, result.problems
    assert imported("W2").manager == imported("W1")
    assert imported("W1").time_zone == "Europe/Berlin"


def test_it_notes_the_columns_it_does_not_import() -> None:
    header = [*HEADER, "Shoe size"]

    result = run(csv_bytes([[*TEAM[0], "44"]], header), dry_run=True)

    assert any("Shoe size" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Active", PersonStatus.ACTIVE),
        ("On Leave", PersonStatus.ON_LEAVE),
        ("on_leave", PersonStatus.ON_LEAVE),
        ("leave", PersonStatus.ON_LEAVE),
        ("LEFT", PersonStatus.LEFT),
        ("terminated", PersonStatus.LEFT),
        ("Inactive", PersonStatus.LEFT),
    ],
)
def test_it_accepts_status_aliases(written: str, status: str) -> None:
    run(csv_bytes([person_row("E1", "Ada", "Lovelace", status=written)]))

    assert imported("E1").status == status


@pytest.mark.parametrize(
    "written", ["2024-03-01", "01.03.2024", "03/01/2024", "2024-03-01 00:00:00"]
)
def test_it_accepts_the_documented_date_formats(written: str) -> None:
    run(csv_bytes([person_row("E1", "Ada", "Lovelace", start=written)]))

    assert imported("E1").start_date == dt.date(2024, 3, 1)


def test_a_leaver_without_an_end_date_leaves_today_and_keeps_that_date() -> None:
    data = csv_bytes([person_row("E1", "Ada", "Lovelace", status="left")])
    run(data)

    assert imported("E1").end_date == timezone.localdate()
    assert run(data).updated == 0


# --- Leaving ---------------------------------------------------------------------------------


def _signed_in_with_a_token(person: Person) -> tuple[str, ApiToken]:
    session = SessionStore()
    session["_auth_user_id"] = str(person.pk)
    session.create()
    SignInSession.objects.create(person=person, session_key=session.session_key or "")
    token, _raw = create_token(person=person, name="laptop", by=person)
    return session.session_key or "", token


def test_deactivate_missing_makes_people_not_in_the_file_leave() -> None:
    run(csv_bytes(TEAM))
    stray = PersonFactory(manager=imported("E4"))
    session_key, token = _signed_in_with_a_token(stray)

    result = run(csv_bytes(TEAM), deactivate_missing=True)

    assert (result.deactivated, result.created, result.updated) == (1, 0, 0)
    stray.refresh_from_db()
    assert (stray.status, stray.is_active, stray.end_date) == ("left", False, timezone.localdate())
    assert not SessionStore().exists(session_key)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_without_deactivate_missing_people_not_in_the_file_stay() -> None:
    stray = PersonFactory()

    run(csv_bytes(TEAM))

    stray.refresh_from_db()
    assert stray.status == PersonStatus.ACTIVE


def test_a_leaver_in_the_file_loses_every_session_and_token() -> None:
    run(csv_bytes(TEAM))
    session_key, token = _signed_in_with_a_token(imported("E3"))

    run(csv_bytes([*TEAM[:2], person_row("E3", "Alan", "Turing", manager="E2", status="left")]))

    assert not imported("E3").is_active
    assert not SessionStore().exists(session_key)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_reports_not_in_the_file_move_up_when_their_manager_leaves() -> None:
    run(csv_bytes(TEAM))
    report = PersonFactory(manager=imported("E4"))

    result = run(
        csv_bytes([*TEAM[:3], person_row("E4", "Edsger", "Dijkstra", manager="E2", status="left")])
    )

    assert result.ok, result.problems
    report.refresh_from_db()
    assert report.manager == imported("E2")
    assert report.path == f"{imported('E2').path}{report.pk}/"
    assert any(c.action == "move" for c in result.changes)


# --- All or nothing: every bad row is reported -------------------------------------------------


def assert_refused(result: ImportResult, *expected: tuple[int | None, str]) -> None:
    assert not result.applied
    assert problems_of(result) == list(expected), result.problems
    assert Person.objects.count() == 0 or not AuditEvent.objects.filter(kind="people.import")


def test_it_refuses_a_bad_email() -> None:
    result = run(csv_bytes([*TEAM, person_row("E5", "Bad", "Mail", email="not-an-email")]))

    assert_refused(result, (6, "email"))
    assert Person.objects.count() == 0


def test_it_refuses_a_missing_required_field() -> None:
    result = run(csv_bytes([person_row("E1", "", "Lovelace", email="ada@example.com")]))

    assert_refused(result, (2, "first_name"))


def test_it_refuses_a_file_without_a_required_column() -> None:
    result = run(csv_bytes([["E1", "Ada"]], ["employee_id", "first_name"]))

    assert problems_of(result) == [(None, "email"), (None, "last_name")]


def test_it_refuses_an_unknown_manager() -> None:
    result = run(csv_bytes([person_row("E1", "Ada", "Lovelace", manager="E404")]))

    assert_refused(result, (2, "manager_employee_id"))
    assert "E404" in result.problems[0].message


def test_it_refuses_a_manager_cycle_and_names_the_chain() -> None:
    rows = [
        person_row("E1", "Ada", "Lovelace", manager="E3"),
        person_row("E2", "Grace", "Hopper", manager="E1"),
        person_row("E3", "Alan", "Turing", manager="E2"),
    ]

    result = run(csv_bytes(rows))

    assert_refused(
        result, (2, "manager_employee_id"), (3, "manager_employee_id"), (4, "manager_employee_id")
    )
    assert result.problems[0].message == (
        "Manager cycle (each reports to the next): Ada Lovelace (E1) → Alan Turing (E3) → "
        "Grace Hopper (E2) → Ada Lovelace (E1)."
    )


def test_it_refuses_someone_as_their_own_manager() -> None:
    result = run(csv_bytes([person_row("E1", "Ada", "Lovelace", manager="E1")]))

    assert_refused(result, (2, "manager_employee_id"))
    assert "own manager" in result.problems[0].message


def test_it_refuses_a_cycle_through_someone_already_in_tandem() -> None:
    run(csv_bytes(TEAM))

    result = run(csv_bytes([person_row("E1", "Ada", "Lovelace", manager="E3")]))

    assert problems_of(result) == [(2, "manager_employee_id")]
    assert "Grace Hopper (E2)" in result.problems[0].message


def test_it_refuses_a_duplicate_employee_id_in_the_file() -> None:
    result = run(csv_bytes([TEAM[0], person_row("E1", "Bo", "Chan")]))

    assert_refused(result, (3, "employee_id"))
    assert "row 2" in result.problems[0].message


def test_it_refuses_a_duplicate_email_in_the_file() -> None:
    result = run(
        csv_bytes([TEAM[0], person_row("E2", "Bo", "Chan", email="ada.lovelace@example.com")])
    )

    assert_refused(result, (3, "email"))


def test_two_people_in_the_file_may_swap_emails() -> None:
    PersonFactory(employee_id="E1", email="ada@example.com")
    PersonFactory(employee_id="E2", email="grace@example.com")
    rows = [
        person_row("E1", "Ada", "Lovelace", email="grace@example.com"),
        person_row("E2", "Grace", "Hopper", email="ada@example.com"),
    ]

    result = run(csv_bytes(rows), dry_run=True)

    assert result.ok, result.problems
    assert result.updated == 2


def test_it_refuses_an_email_already_used_by_another_person_not_in_the_file() -> None:
    PersonFactory(employee_id="E1", email="ada@example.com")
    PersonFactory(employee_id="E2", email="grace@example.com")

    result = run(csv_bytes([person_row("E1", "Ada", "Lovelace", email="grace@example.com")]))

    assert problems_of(result) == [(2, "email")]
    assert "not in this file" in result.problems[0].message


def test_it_refuses_a_bad_date() -> None:
    result = run(csv_bytes([person_row("E1", "Ada", "Lovelace", start="2024-13-45")]))

    assert_refused(result, (2, "start_date"))
    assert "YYYY-MM-DD" in result.problems[0].message


def test_it_refuses_an_unknown_status() -> None:
    result = run(csv_bytes([person_row("E1", "Ada", "Lovelace", status="retired-ish")]))

    assert_refused(result, (2, "status"))


def test_it_refuses_an_unknown_time_zone() -> None:
    header = [*HEADER, "time_zone"]

    result = run(csv_bytes([[*TEAM[0], "Mars/Olympus"]], header))

    assert_refused(result, (2, "time_zone"))


def test_it_refuses_an_end_date_before_the_start_date() -> None:
    header = [*HEADER, "end_date"]
    row = person_row("E1", "Ada", "Lovelace", start="2022-01-01", status="left")

    result = run(csv_bytes([[*row, "2021-12-31"]], header))

    assert_refused(result, (2, "end_date"))


def test_it_refuses_an_end_date_for_someone_still_active() -> None:
    header = [*HEADER, "end_date"]

    result = run(csv_bytes([[*TEAM[0], "2030-01-01"]], header))

    assert_refused(result, (2, "end_date"))


def test_it_refuses_an_active_person_reporting_to_a_leaver() -> None:
    rows = [
        person_row("E1", "Ada", "Lovelace", status="left"),
        person_row("E2", "Bo", "Chan", manager="E1"),
    ]

    result = run(csv_bytes(rows))

    assert_refused(result, (3, "manager_employee_id"))


def test_it_lists_every_bad_row_at_once_and_changes_nothing() -> None:
    PersonFactory(employee_id="E1", title="Unchanged")
    rows = [
        person_row("E1", "Ada", "Lovelace", title="Changed"),
        person_row("E2", "Bo", "Chan", email="bo@"),
        person_row("E3", "Cy", "Dee", start="yesterday"),
        person_row("E4", "Di", "Eve", status="gone fishing"),
        person_row("E5", "Ed", "Fox", manager="nobody"),
    ]

    result = run(csv_bytes(rows))

    assert problems_of(result) == [
        (3, "email"),
        (4, "start_date"),
        (5, "status"),
        (6, "manager_employee_id"),
    ]
    assert Person.objects.get(employee_id="E1").title == "Unchanged"
    assert Person.objects.count() == 1


def test_row_numbers_count_blank_lines_as_the_spreadsheet_does() -> None:
    data = csv_bytes(
        [TEAM[0], ["", "", "", "", "", "", "", "", ""], person_row("E2", "B", "C", email="x")]
    )

    result = run(data)

    assert problems_of(result) == [(4, "email")]


# --- Files -------------------------------------------------------------------------------------


def test_it_refuses_a_png_renamed_to_csv() -> None:
    result = run(PNG)

    assert problems_of(result) == [(None, "")]
    assert "neither a CSV" in result.problems[0].message


def test_it_refuses_a_zip_that_is_not_a_workbook() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")

    result = run(buffer.getvalue())

    assert "not an Excel workbook" in result.problems[0].message


def test_it_refuses_an_old_xls_workbook() -> None:
    result = run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

    assert ".xls" in result.problems[0].message


def test_it_refuses_a_file_over_the_size_cap(settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 100

    result = run(csv_bytes(TEAM))

    assert "limit" in result.problems[0].message
    assert Person.objects.count() == 0


def test_it_refuses_an_empty_file() -> None:
    assert "empty" in run(b"").problems[0].message


# --- Permission and scale ------------------------------------------------------------------------


def test_only_hr_admins_may_import() -> None:
    employee = PersonFactory()

    with pytest.raises(NotAllowed):
        import_people(data=csv_bytes(TEAM), by=employee)


def test_an_hr_admin_may_import() -> None:
    admin = hr_admin()

    assert import_people(data=csv_bytes(TEAM), by=admin).applied


def test_an_hr_admin_not_in_the_file_cannot_deactivate_themselves() -> None:
    admin = hr_admin()

    result = import_people(data=csv_bytes(TEAM), by=admin, deactivate_missing=True)

    assert "your own account" in result.problems[0].message


def _big_team(size: int) -> list[list[str]]:
    rows = [person_row("E0", "Chief", "Executive")]
    for n in range(1, size):
        rows.append(
            person_row(
                f"E{n}",
                f"First{n}",
                f"Last{n}",
                manager=f"E{(n - 1) // 8}",
                department=f"Dept {n % 12}",
            )
        )
    return rows


def test_two_thousand_rows_import_with_a_bounded_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    data = csv_bytes(_big_team(2000))

    # Batches only: SQLite's 999-parameter limit makes bulk_create send ~45 people per
    # INSERT, so about 90 queries here; one query per row would be over 2,000.
    with django_assert_max_num_queries(120):
        result = run(data)

    assert result.created == 2000
    chief = imported("E0")
    assert Person.objects.filter(path__startswith=chief.path).count() == 2000
    deepest = Person.objects.order_by("-depth").first()
    assert deepest is not None
    assert tree.ids_in(deepest.path)[0] == chief.pk


def test_updating_two_thousand_people_takes_a_bounded_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    rows = _big_team(2000)
    run(csv_bytes(rows))
    for row in rows:
        row[4] = "Principal Engineer"

    with django_assert_max_num_queries(50):
        result = run(csv_bytes(rows))

    assert result.updated == 2000


@pytest.mark.parametrize("bad", ["\x00", "\udfff"], ids=["NUL", "lone surrogate"])
def test_a_cell_that_is_not_text_is_a_problem_naming_its_row_and_column(bad: str) -> None:
    rows = [
        {"employee_id": "1", "email": "ada@example.com", "first_name": "Ada", "last_name": "L"},
        {"employee_id": "2", "email": "al@example.com", "first_name": "Al", "last_name": f"T{bad}"},
    ]
    result = import_people(rows=rows, by=SYSTEM, file_name="people")
    assert problems_of(result) == [(3, "last_name")]
    assert "not text" in result.problems[0].message
    assert not Person.objects.exists()
