"""Reading framework files: every problem named with its line and field, nothing else."""

from __future__ import annotations

import pytest

from tandem.growth.framework_files import FrameworkFileError, parse

GOOD = """\
tracks:
  - key: eng
    name: Engineering
    levels:
      - code: IC1
        title: Engineer I
      - code: IC2
        title: Engineer II
    competencies:
      - key: craft
        name: Craft
        expectations:
          IC1: Writes working code.
          IC2: Writes clear code.
"""


def problems(text: str, fmt: str | None = None) -> list[str]:
    with pytest.raises(FrameworkFileError) as caught:
        parse(text, fmt)
    return caught.value.problems


def test_a_good_file_gives_its_tracks_levels_and_expectations():
    (track,) = parse(GOOD)
    assert track.key == "eng"
    assert [level.code for level in track.levels] == ["IC1", "IC2"]
    assert track.competencies[0].expectations == {
        "IC1": "Writes working code.",
        "IC2": "Writes clear code.",
    }


def test_invalid_yaml_names_its_line():
    found = problems("tracks:\n  - key: eng\n    name: [unclosed\n")
    assert len(found) == 1
    assert found[0].startswith("Line 4") or found[0].startswith("Line 3")
    assert "not valid YAML" in found[0]


def test_invalid_json_names_its_line():
    found = problems('{\n  "tracks": [\n    {"key": "eng",}\n  ]\n}', "json")
    assert found[0].startswith("Line 3")
    assert "not valid JSON" in found[0]


def test_a_level_code_twice_names_both_lines():
    text = GOOD.replace("code: IC2", "code: IC1")
    found = problems(text)
    assert any("Line 7, tracks[0].levels[1].code" in p and "IC1 appears twice" in p for p in found)
    assert any("first on line 5" in p for p in found)


def test_a_competency_without_a_description_for_a_level_is_named():
    text = GOOD.replace("          IC2: Writes clear code.\n", "")
    found = problems(text)
    assert found == [
        "Line 12, tracks[0].competencies[0].expectations: competency Craft has no description "
        "for level IC2."
    ]


def test_an_empty_description_for_a_level_counts_as_missing():
    found = problems(GOOD.replace("IC2: Writes clear code.", 'IC2: ""'))
    assert any("no description for level IC2" in p for p in found)


def test_an_unknown_key_is_named_with_its_line():
    found = problems(
        GOOD.replace("    name: Engineering\n", "    name: Engineering\n    colour: blue\n")
    )
    assert found == [
        "Line 4, tracks[0].colour: unknown field; the fields here are competencies, description, "
        "key, levels, name."
    ]


def test_an_expectation_for_a_level_the_track_lacks_is_named():
    found = problems(
        GOOD.replace("IC2: Writes clear code.", "IC2: Writes clear code.\n          IC9: More.")
    )
    assert any("expectations.IC9" in p and "no level IC9" in p for p in found)


def test_a_missing_title_is_required():
    found = problems(GOOD.replace("        title: Engineer I\n", ""))
    assert any("levels[0].title: is required" in p for p in found)


def test_an_empty_file_says_what_it_should_hold():
    assert problems("") == ["The file is empty: it should list `tracks:`."]


def test_python_objects_are_not_loaded():
    found = problems("tracks: !!python/object/apply:os.system ['true']\n")
    assert "not valid YAML" in found[0]


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(FrameworkFileError, match="not UTF-8"):
        parse(b"\xff\xfe\x00t")


def test_a_track_key_twice_is_named():
    text = GOOD + GOOD.split("tracks:\n", 1)[1].replace("name: Engineering", "name: Other")
    assert any("track key eng appears twice" in p for p in problems(text))
