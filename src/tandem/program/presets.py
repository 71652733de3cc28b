"""Culture presets: named sets of values for every program switch, and what they change.

A preset is data: a key, a name, a paragraph saying who it suits and what it gives up, and
a value for every field of `PRESET_FIELDS` (every switch, what the process is for, the
anonymity minimum). Built-in presets live in `BUILT_IN` below; a company's own are
`CompanyPreset` rows. `check_values` is the one judge of a set of values, for built-in,
saved and imported presets alike: it applies the model's own rules (choices, ranges, the
anonymity floor) and refuses a set with a switch missing or unknown, naming each one.

tests/program/test_presets.py enumerates the program's switches from the model and fails
when a preset lacks one, so a feature that adds a switch must give it a value here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from tandem.program.models import (
    EDITABLE_PROGRAM_FIELDS,
    PRESET_FIELDS,
    Program,
    Purpose,
    month_names,
)

# What each value may be in JSON, by the kind of model field that stores it.
_TYPE_WORDS = {
    bool: "on or off (true or false)",
    int: "a whole number",
    str: "one of the listed choices, as text",
}

LABELS = {
    "purposes": "What the process is used for",
    "purpose_statement": "Why we do it, in our own words",
    "anonymity_minimum": "Anonymity minimum (people)",
}


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    description: str
    values: Mapping[str, Any]
    built_in: bool = True


@dataclass(frozen=True)
class SwitchChange:
    """One switch a change sets: its old and new value, and both in plain words."""

    key: str
    label: str
    before: Any
    after: Any
    before_words: str
    after_words: str

    @property
    def sentence(self) -> str:
        return f"{self.label}: {self.before_words} → {self.after_words}"


def _field(name: str) -> models.Field[Any, Any]:
    field = Program._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def label(name: str) -> str:
    """A switch's name as people read it: the model's own label, capitalised."""
    if name in LABELS:
        return LABELS[name]
    text = str(_field(name).verbose_name)
    return text[:1].upper() + text[1:]


def value_words(name: str, value: Any) -> str:
    """A switch's value in plain words: on/off, a choice's label, a month's name."""
    if name == "purposes":
        labels = [Purpose(p).label for p in value or [] if p in Purpose.values]
        return ", ".join(labels).lower() if labels else "nothing stated"
    if name == "purpose_statement":
        return f"“{value[:60]}…”" if len(value or "") > 60 else f"“{value or ''}”"
    if isinstance(value, bool):
        return "on" if value else "off"
    if name == "review_months" and isinstance(value, list):
        return month_names(value) if value else "none fixed"
    if name == "fiscal_year_start_month" and isinstance(value, int) and 1 <= value <= 12:
        return date(2000, value, 1).strftime("%B")
    choices = dict(_field(name).flatchoices)
    if value in choices:
        return str(choices[value]).lower()
    return str(value)


def python_type(name: str) -> type:
    if name in ("purposes", "review_months"):
        return list
    field = _field(name)
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):
        return int
    return str


def check_values(values: Any, *, where: str = "") -> dict[str, list[str]]:
    """Every problem with a preset's values, by switch (empty when they are fine): an
    unknown or missing switch, a value of the wrong type, or one outside what the switch
    allows — by the program model's own rules, the ones the editor applies."""
    prefix = f"{where}." if where else ""
    if not isinstance(values, Mapping):
        return {where or "switches": ["Give the switches as an object: {switch: value}."]}
    errors: dict[str, list[str]] = {}
    for name in values:
        if name not in PRESET_FIELDS:
            errors[f"{prefix}{name}"] = [
                f"“{name}” is not a switch of the program; remove it or check its spelling."
            ]
    for name in PRESET_FIELDS:
        if name not in values:
            errors[f"{prefix}{name}"] = [f"{label(name)}: the preset gives no value."]
            continue
        problem = _value_problem(name, values[name])
        if problem:
            errors[f"{prefix}{name}"] = [f"{label(name)}: {problem}"]
    return errors


def _value_problem(name: str, value: Any) -> str:
    if name == "purposes":
        if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
            return 'give a list of uses, e.g. ["growth", "pay"].'
        unknown = [p for p in value if p not in Purpose.values]
        if unknown:
            return f"unknown use {unknown[0]!r}; choose from {', '.join(Purpose.values)}."
        if len(set(value)) != len(value):
            return "each use may be listed once."
        return ""
    if name == "review_months" and not (
        isinstance(value, list) and all(type(m) is int for m in value)
    ):
        return "give a list of months as whole numbers, e.g. [6, 12] for June and December."
    expected = python_type(name)
    # bool is an int in Python; a switch that counts must not take true for 1.
    if type(value) is not expected:
        return f"must be {_TYPE_WORDS[expected]}, not {json_type(value)}."
    try:
        _field(name).clean(value, None)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def program_values(program: Program, fields: tuple[str, ...] = PRESET_FIELDS) -> dict[str, Any]:
    """The program's current values of `fields`, as a preset stores them."""
    return {
        name: list(getattr(program, name))
        if name in ("purposes", "review_months")
        else getattr(program, name)
        for name in fields
    }


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[SwitchChange]:
    """The switches whose value differs, in the order the program page shows them."""
    order = [f for f in EDITABLE_PROGRAM_FIELDS if f in after]
    return [
        SwitchChange(
            key=name,
            label=label(name),
            before=before.get(name),
            after=after[name],
            before_words=value_words(name, before.get(name)),
            after_words=value_words(name, after[name]),
        )
        for name in order
        if before.get(name) != after[name]
    ]


def from_stored(changes: Mapping[str, Any]) -> list[SwitchChange]:
    """A recorded change ({switch: [before, after]}) as SwitchChanges."""
    known = [f for f in EDITABLE_PROGRAM_FIELDS if f in changes]
    return changes_between(
        {name: changes[name][0] for name in known}, {name: changes[name][1] for name in known}
    )


# --- The built-in presets -------------------------------------------------------------------

GROWTH_FIRST = Preset(
    key="growth-first",
    name="Growth first",
    description=(
        "For companies that want performance management to be about learning, not judging: "
        "no ratings, feedback and weekly 1:1s at the centre, reviews written for development "
        "only, and anonymous upward feedback so managers hear how they are doing. It suits "
        "teams that trust each other and decide pay and promotions by other means. The "
        "trade-off: without ratings there is no calibrated, comparable record to point to "
        "when pay or promotion decisions are challenged."
    ),
    values={
        "purposes": [Purpose.GROWTH.value],
        "anonymity_minimum": 5,
        "goal_period_length": "quarter",
        "fiscal_year_start_month": 1,
        "goal_scoring_scale": "fraction",
        "private_goals_allowed": True,
        "checkin_cadence": "fortnightly",
        "checkin_reminder_weekday": 4,
        "feedback_private_allowed": True,
        "feedback_with_manager_allowed": True,
        "praise_public_allowed": True,
        "hr_reads_private_feedback": False,
        "upward_feedback_enabled": True,
        "upward_feedback_window_days": 90,
        "one_on_one_cadence": "weekly",
        "review_ratings_enabled": False,
        "review_months": [],
        "review_reminder_days_before": 3,
        "hr_reads_upward_reviews": False,
        "review_peers_enabled": False,
        "review_upward_enabled": True,
        "review_peer_names_hidden": True,
        "review_score": "manager",
        "review_phase_days": 14,
        "calibration_shown_to_employee": False,
        "development_plans_visible_to_hr": False,
        "promotion_self_nomination": True,
    },
)

STARTUP_OKRS = Preset(
    key="startup-okrs",
    name="Startup OKRs",
    description=(
        "For a young company that moves by quarterly objectives: goals every quarter, open "
        "to everyone, with a short check-in each Monday; light written reviews twice a year "
        "without ratings; praise in public. It suits small teams where everyone should see "
        "what everyone else is working on. The trade-off: with open goals and a lower "
        "anonymity minimum of 4, a few people's upward results are shown sooner, and there "
        "is little formal record for pay decisions as the company grows."
    ),
    values={
        "purposes": [Purpose.GROWTH.value, Purpose.ACCOUNTABILITY.value],
        "anonymity_minimum": 4,
        "goal_period_length": "quarter",
        "fiscal_year_start_month": 1,
        "goal_scoring_scale": "fraction",
        "private_goals_allowed": False,
        "checkin_cadence": "weekly",
        "checkin_reminder_weekday": 0,
        "feedback_private_allowed": True,
        "feedback_with_manager_allowed": True,
        "praise_public_allowed": True,
        "hr_reads_private_feedback": False,
        "upward_feedback_enabled": True,
        "upward_feedback_window_days": 90,
        "one_on_one_cadence": "weekly",
        "review_ratings_enabled": False,
        "review_months": [6, 12],
        "review_reminder_days_before": 3,
        "hr_reads_upward_reviews": False,
        "review_peers_enabled": True,
        "review_upward_enabled": False,
        "review_peer_names_hidden": False,
        "review_score": "manager",
        "review_phase_days": 7,
        "calibration_shown_to_employee": False,
        "development_plans_visible_to_hr": False,
        "promotion_self_nomination": True,
    },
)

SCALE_UP = Preset(
    key="scale-up",
    name="Scale-up",
    description=(
        "For a growing company that needs fair, comparable decisions across many new "
        "managers: half-yearly reviews with peers and ratings, calibration across teams "
        "(and people told how calibration moved their rating), promotion windows where "
        "people may also propose themselves, and development plans HR can read to spot "
        "where support is needed. The trade-off: ratings and calibration take managers' time "
        "twice a year, and people may focus on the rating rather than the conversation."
    ),
    values={
        "purposes": [
            Purpose.GROWTH.value,
            Purpose.ACCOUNTABILITY.value,
            Purpose.PROMOTION.value,
        ],
        "anonymity_minimum": 5,
        "goal_period_length": "quarter",
        "fiscal_year_start_month": 1,
        "goal_scoring_scale": "percent",
        "private_goals_allowed": True,
        "checkin_cadence": "weekly",
        "checkin_reminder_weekday": 4,
        "feedback_private_allowed": True,
        "feedback_with_manager_allowed": True,
        "praise_public_allowed": True,
        "hr_reads_private_feedback": False,
        "upward_feedback_enabled": True,
        "upward_feedback_window_days": 90,
        "one_on_one_cadence": "fortnightly",
        "review_ratings_enabled": True,
        "review_months": [6, 12],
        "review_reminder_days_before": 5,
        "hr_reads_upward_reviews": False,
        "review_peers_enabled": True,
        "review_upward_enabled": True,
        "review_peer_names_hidden": True,
        "review_score": "manager",
        "review_phase_days": 14,
        "calibration_shown_to_employee": True,
        "development_plans_visible_to_hr": True,
        "promotion_self_nomination": True,
    },
)

ENTERPRISE = Preset(
    key="enterprise",
    name="Enterprise",
    description=(
        "For a large organisation that ties reviews to promotion and pay: an annual cycle "
        "with a mid-year check-in (goals set for each half), ratings on a 1 to 5 scale, "
        "calibration before anything is shared, monthly 1:1s, and a stricter anonymity "
        "minimum of 7 so no group result can point at a person. Promotions go through "
        "managers. The trade-off: a heavier, slower process, and feedback between cycles "
        "matters less to people than the once-a-year rating."
    ),
    values={
        "purposes": [
            Purpose.GROWTH.value,
            Purpose.ACCOUNTABILITY.value,
            Purpose.PROMOTION.value,
            Purpose.PAY.value,
        ],
        "anonymity_minimum": 7,
        "goal_period_length": "half",
        "fiscal_year_start_month": 1,
        "goal_scoring_scale": "five_point",
        "private_goals_allowed": True,
        "checkin_cadence": "fortnightly",
        "checkin_reminder_weekday": 4,
        "feedback_private_allowed": True,
        "feedback_with_manager_allowed": True,
        "praise_public_allowed": True,
        "hr_reads_private_feedback": False,
        "upward_feedback_enabled": True,
        "upward_feedback_window_days": 180,
        "one_on_one_cadence": "monthly",
        "review_ratings_enabled": True,
        "review_months": [6, 12],
        "review_reminder_days_before": 7,
        "hr_reads_upward_reviews": False,
        "review_peers_enabled": True,
        "review_upward_enabled": True,
        "review_peer_names_hidden": True,
        "review_score": "weighted",
        "review_phase_days": 21,
        "calibration_shown_to_employee": False,
        "development_plans_visible_to_hr": True,
        "promotion_self_nomination": False,
    },
)

BUILT_IN: tuple[Preset, ...] = (GROWTH_FIRST, STARTUP_OKRS, SCALE_UP, ENTERPRISE)
BUILT_IN_KEYS = frozenset(p.key for p in BUILT_IN)
# Keys a company preset may not take: the built-in ones, and the pages beside the presets.
RESERVED_KEYS = BUILT_IN_KEYS | {"save", "import", "new"}


def built_in(key: str) -> Preset | None:
    return next((p for p in BUILT_IN if p.key == key), None)
