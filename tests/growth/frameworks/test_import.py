"""Importing and exporting frameworks: all or nothing, idempotent by keys, and an export
that imports back unchanged."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tandem.audit.models import AuditEvent
from tandem.growth.framework_files import dump, parse
from tandem.growth.models import Competency, Expectation, Level, Track
from tandem.growth.services import frameworks as services
from tandem.growth.services import placements
from tests.factories import PersonFactory, hr_admin
from tests.growth.factories_frameworks import ladder

pytestmark = pytest.mark.django_db

FILE = """\
tracks:
  - key: eng
    name: Engineering
    description: Engineers who do not manage.
    levels:
      - {code: IC1, title: Engineer I, summary: Learning., scope: Tasks.}
      - {code: IC2, title: Engineer II}
    competencies:
      - key: craft
        group: Craft
        name: Code quality
        expectations:
          IC1: Writes working code.
          IC2: Writes *clear* code.
      - key: teamwork
        name: Teamwork
        expectations: {IC1: Helps., IC2: Reviews.}
"""


def _import(text: str = FILE, by: Any = None) -> services.ImportResult:
    return services.import_frameworks(by=by or hr_admin(), tracks=parse(text))


def test_an_import_creates_the_track_with_its_levels_and_expectations():
    result = _import()
    assert result.created == ["Engineering"]
    track = Track.objects.get(key="eng")
    assert list(track.levels.values_list("code", flat=True)) == ["IC1", "IC2"]
    assert Expectation.objects.get(competency__key="craft", level__code="IC2").text == (
        "Writes *clear* code."
    )


def test_importing_the_same_file_again_changes_nothing():
    hr = hr_admin()
    _import(by=hr)
    ids = list(Expectation.objects.order_by("pk").values_list("pk", "text"))
    events = AuditEvent.objects.count()
    result = _import(by=hr)
    assert result.unchanged == ["Engineering"] and not result.changed
    assert list(Expectation.objects.order_by("pk").values_list("pk", "text")) == ids
    assert AuditEvent.objects.count() == events


def test_a_changed_file_updates_by_key_and_code():
    _import()
    level_ids = dict(Level.objects.values_list("code", "pk"))
    result = _import(FILE.replace("Writes *clear* code.", "Writes clear, tested code."))
    assert result.updated == ["Engineering"]
    assert dict(Level.objects.values_list("code", "pk")) == level_ids
    assert Expectation.objects.get(level__code="IC2", competency__key="craft").text == (
        "Writes clear, tested code."
    )


def test_a_competency_left_out_of_the_file_is_removed():
    _import()
    trimmed = FILE.split("      - key: teamwork")[0]
    _import(trimmed)
    assert list(Competency.objects.values_list("key", flat=True)) == ["craft"]


def test_an_import_that_would_remove_a_level_in_use_imports_nothing():
    hr = hr_admin()
    ladder(codes=("A1",), key="other", name="Other")
    _import(by=hr)
    placements.place(by=hr, person=PersonFactory(), level=Level.objects.get(code="IC2"))
    text = (
        FILE.replace("      - {code: IC2, title: Engineer II}\n", "")
        .replace("          IC2: Writes *clear* code.\n", "")
        .replace("{IC1: Helps., IC2: Reviews.}", "{IC1: Helps.}")
    )
    renamed = text.replace("name: Engineering", "name: Engineering (new)")
    second = renamed + "  - key: sales\n    name: Sales\n    levels: [{code: S1, title: Rep}]\n"
    with pytest.raises(Exception, match="IC2 is not in the file"):
        _import(second, by=hr)
    assert not Track.objects.filter(key="sales").exists()
    assert Track.objects.get(key="eng").name == "Engineering"


def test_an_exported_track_imports_back_unchanged():
    track = ladder(codes=("IC1", "IC2"), competencies=2, key="ladder", name="Ladder")
    exported = dump(services.export_content([track]), "yaml")
    result = _import(exported)
    assert result.unchanged == ["Ladder"]


def test_the_json_export_is_the_same_ladder_as_the_yaml_one():
    track = ladder(codes=("IC1", "IC2"), competencies=1)
    as_json = dump(services.export_content([track]), "json")
    as_yaml = dump(services.export_content([track]), "yaml")
    assert parse(as_json, "json") == parse(as_yaml, "yaml")
    assert json.loads(as_json)["tracks"][0]["levels"][0]["code"] == "IC1"


def test_the_command_imports_a_file_and_says_what_changed(tmp_path):
    path = tmp_path / "eng.yaml"
    path.write_text(FILE)
    out = io.StringIO()
    call_command("import_framework", str(path), stdout=out)
    assert "Created: Engineering" in out.getvalue()
    out = io.StringIO()
    call_command("import_framework", str(path), stdout=out)
    assert "Unchanged: Engineering" in out.getvalue()


def test_the_command_names_each_problem_and_imports_nothing(tmp_path):
    path = tmp_path / "eng.yaml"
    path.write_text(FILE.replace("          IC2: Writes *clear* code.\n", ""))
    with pytest.raises(CommandError, match="Code quality has no description for level IC2"):
        call_command("import_framework", str(path))
    assert not Track.objects.exists()


def test_the_dry_run_changes_nothing(tmp_path):
    path = tmp_path / "eng.json"
    path.write_text(
        json.dumps({"tracks": [{"key": "x", "name": "X", "levels": [{"code": "A", "title": "A"}]}]})
    )
    call_command("import_framework", str(path), "--dry-run", stdout=io.StringIO())
    assert not Track.objects.exists()


def test_the_export_command_writes_one_track_as_json():
    ladder(key="eng", name="Eng")
    ladder(codes=("S1",), key="sales", name="Sales")
    out = io.StringIO()
    call_command("export_framework", "--track", "sales", "--format", "json", stdout=out)
    assert [t["key"] for t in json.loads(out.getvalue())["tracks"]] == ["sales"]


def test_the_sample_ladder_in_the_docs_imports():
    from pathlib import Path

    sample = Path(__file__).resolve().parents[3] / "docs" / "frameworks" / "engineering.yaml"
    result = _import(sample.read_text())
    assert result.created == ["Engineering IC"]
    assert Level.objects.filter(track__key="engineering-ic").count() == 6
