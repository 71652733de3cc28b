"""Culture presets as data: every preset gives every switch a value the editor would accept."""

from __future__ import annotations

import pytest

from tandem.program import presets
from tandem.program.models import (
    PRESET_FIELDS,
    SECTIONS,
    SWITCH_TOPICS,
    SWITCHES,
    Program,
)

# What is the company's own words, or bookkeeping, rather than a switch a preset sets.
NOT_SWITCHES = {"id", "purpose_statement", "updated_at"}


def _program_switches() -> set[str]:
    """The switches, read off the model: SWITCHES and every concrete field of the program."""
    concrete = {f.name for f in Program._meta.concrete_fields} - NOT_SWITCHES
    return concrete | set(SWITCHES)


def test_presets_cover_exactly_the_switches_the_model_has():
    assert set(PRESET_FIELDS) == _program_switches()


@pytest.mark.parametrize("preset", presets.BUILT_IN, ids=lambda p: p.key)
def test_every_built_in_preset_gives_every_switch_a_value(preset):
    missing = _program_switches() - set(preset.values)
    assert not missing, f"{preset.name} has no value for {sorted(missing)}"


@pytest.mark.parametrize("preset", presets.BUILT_IN, ids=lambda p: p.key)
def test_no_built_in_preset_names_an_unknown_switch(preset):
    unknown = set(preset.values) - _program_switches()
    assert not unknown, f"{preset.name} names {sorted(unknown)}"


@pytest.mark.parametrize("preset", presets.BUILT_IN, ids=lambda p: p.key)
def test_every_built_in_preset_passes_the_programs_own_rules(preset):
    assert presets.check_values(preset.values) == {}


@pytest.mark.parametrize("preset", presets.BUILT_IN, ids=lambda p: p.key)
def test_every_built_in_preset_says_who_it_suits_and_what_it_trades_off(preset):
    assert len(preset.description) > 200
    assert "trade-off" in preset.description


def test_the_four_cultures_of_the_issue_are_built_in():
    names = [p.name for p in presets.BUILT_IN]
    assert names == ["Growth first", "Startup OKRs", "Scale-up", "Enterprise"]


def test_growth_first_has_no_ratings_and_upward_feedback_on():
    values = presets.GROWTH_FIRST.values
    assert values["review_ratings_enabled"] is False
    assert values["upward_feedback_enabled"] is True
    assert values["purposes"] == ["growth"]


def test_enterprise_is_stricter_on_anonymity_than_the_others():
    others = [p.values["anonymity_minimum"] for p in presets.BUILT_IN if p.key != "enterprise"]
    assert presets.ENTERPRISE.values["anonymity_minimum"] > max(others)
    assert "pay" in presets.ENTERPRISE.values["purposes"]


def test_a_missing_switch_is_named():
    values = {**presets.SCALE_UP.values}
    del values["review_ratings_enabled"]
    errors = presets.check_values(values)
    assert list(errors) == ["review_ratings_enabled"]
    assert "Reviews use rating scales" in errors["review_ratings_enabled"][0]


def test_an_unknown_switch_is_named():
    errors = presets.check_values({**presets.SCALE_UP.values, "ratings_everywhere": True})
    assert list(errors) == ["ratings_everywhere"]


@pytest.mark.parametrize(
    ("switch", "value"),
    [
        ("review_ratings_enabled", "yes"),
        ("review_ratings_enabled", 1),
        ("anonymity_minimum", True),
        ("anonymity_minimum", "5"),
        ("goal_period_length", 4),
        ("purposes", "growth"),
        ("fiscal_year_start_month", 1.0),
        ("review_months", "june"),
        ("review_months", [6.0]),
        ("review_months", [True]),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(switch, value):
    errors = presets.check_values({**presets.SCALE_UP.values, switch: value})
    assert list(errors) == [switch]


@pytest.mark.parametrize(
    ("switch", "value"),
    [
        ("anonymity_minimum", 2),
        ("anonymity_minimum", 51),
        ("fiscal_year_start_month", 13),
        ("upward_feedback_window_days", 3),
        ("checkin_reminder_weekday", 6),
        ("goal_period_length", "decade"),
        ("purposes", ["growth", "fun"]),
        ("purposes", ["growth", "growth"]),
        ("review_months", [13]),
        ("review_months", [6, 6]),
    ],
)
def test_a_value_outside_what_the_switch_allows_is_refused(switch, value):
    errors = presets.check_values({**presets.SCALE_UP.values, switch: value})
    assert list(errors) == [switch]


def test_the_anonymity_floor_is_explained_by_the_models_rule():
    errors = presets.check_values({**presets.SCALE_UP.values, "anonymity_minimum": 2})
    assert "greater than or equal to 3" in errors["anonymity_minimum"][0]


def test_every_switch_has_a_topic_on_the_program_page():
    topics = dict(Program().plain_words())
    assert set(SWITCH_TOPICS) >= set(PRESET_FIELDS)
    assert set(SWITCH_TOPICS.values()) <= set(topics)


def test_every_topic_of_the_program_page_sits_in_exactly_one_section():
    placed = [topic for _, section in SECTIONS for topic in section]
    assert sorted(placed) == sorted(dict(Program().plain_words()))


def test_a_switch_value_reads_in_plain_words():
    assert presets.value_words("review_ratings_enabled", False) == "off"
    assert presets.value_words("goal_period_length", "half") == "halves"
    assert presets.value_words("fiscal_year_start_month", 4) == "April"
    assert presets.value_words("review_months", [12, 6]) == "June and December"
    assert presets.value_words("review_months", []) == "none fixed"
    assert presets.value_words("purposes", ["growth", "pay"]) == (
        "growth and development, pay decisions"
    )


def test_the_program_page_states_the_review_cycle_defaults_in_plain_words() -> None:
    from tandem.program.models import Program

    program = Program(
        review_peers_enabled=True,
        review_upward_enabled=False,
        review_peer_names_hidden=True,
        review_phase_days=10,
    )
    sentence = dict(program.plain_words())["Reviews"]
    assert "a self review, a manager review and peer reviews (without the peers' names)" in (
        sentence
    )
    assert "each step lasts 10 days" in sentence
