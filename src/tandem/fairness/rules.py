"""Who may see rater effects, protected attributes and fairness figures.

Protected attributes and fairness figures: HR admins who also hold the people-analytics
role, nobody else (not executives, not HR partners, not the person themselves through
Tandem). Rater effects: HR admins (calibration shows them to a session's facilitators
through its own rule)."""

from __future__ import annotations

from typing import Any

from tandem.access.rules import Actor, rule


@rule("fairness.rater_effects.view")
def _rater_effects_view(actor: Actor, cycle: Any = None) -> bool:
    """Each rater's leniency in a cycle: HR admins."""
    return actor.is_hr_admin


@rule("fairness.view")
def _fairness_view(actor: Actor, cycle: Any = None) -> bool:
    """Fairness figures per group of a protected attribute: HR admins who hold the
    people-analytics role."""
    return actor.is_people_analyst


@rule("fairness.attributes.manage")
def _attributes_manage(actor: Actor, obj: Any = None) -> bool:
    """Importing, reading and changing people's protected attributes: HR admins who hold
    the people-analytics role; every read of one person's values is audited."""
    return actor.is_people_analyst
