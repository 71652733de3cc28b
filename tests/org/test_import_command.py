"""`tandem import-people FILE [--dry-run] [--deactivate-missing]`."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tandem import cli
from tandem.audit.models import AuditEvent
from tandem.org.models import Person, PersonStatus
from tests.factories import PersonFactory
from tests.org.fixtures.import_files import TEAM, csv_bytes, person_row

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, data: bytes, name: str = "people.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_people", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_imports_and_prints_the_counts_and_changes(tmp_path: Path) -> None:
    output = command(write(tmp_path, csv_bytes(TEAM)))

    assert Person.objects.count() == 4
    assert "Imported: people.csv (4 rows)" in output
    assert "4 created, 0 updated, 0 unchanged, 0 deactivated" in output
    assert "row 4  create     Alan Turing (E3)" in output


def test_the_command_audits_as_the_command_line(tmp_path: Path) -> None:
    command(write(tmp_path, csv_bytes(TEAM)))

    event = AuditEvent.objects.filter(kind="person.create").first()
    assert event is not None
    assert (event.actor, event.actor_label) == (None, "command line")


def test_the_dry_run_command_changes_nothing(tmp_path: Path) -> None:
    output = command(write(tmp_path, csv_bytes(TEAM)), "--dry-run")

    assert "Dry run, nothing changed" in output
    assert "4 created" in output
    assert Person.objects.count() == 0


def test_the_command_lists_every_problem_and_fails(tmp_path: Path) -> None:
    rows = [
        *TEAM,
        person_row("E5", "Bad", "Mail", email="nope"),
        person_row("E6", "X", "Y", status="bored"),
    ]
    out = io.StringIO()

    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_people", write(tmp_path, csv_bytes(rows)), stdout=out)

    assert "row 6, email: “nope” is not a valid e-mail address." in out.getvalue()
    assert "row 7, status: Unknown status “bored”" in out.getvalue()
    assert Person.objects.count() == 0


def test_the_command_deactivates_people_missing_from_the_file(tmp_path: Path) -> None:
    stray = PersonFactory()

    output = command(write(tmp_path, csv_bytes(TEAM)), "--deactivate-missing")

    stray.refresh_from_db()
    assert stray.status == PersonStatus.LEFT
    assert "1 deactivated" in output
    assert "deactivate" in output


def test_the_command_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        command(str(tmp_path / "nope.csv"))


def test_tandem_import_people_with_a_hyphen_runs_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, csv_bytes(TEAM))
    monkeypatch.setattr(sys, "argv", ["tandem", "import-people", path, "--dry-run"])

    cli.main()

    assert "4 created" in capsys.readouterr().out
