"""The goal picker for "Supports": the people picker's combobox (org/widgets.py), searching
the goals the user may align to by title, grouped by level.

Without JavaScript it is the short menu it always was (company and team goals, and the
user's managers' goals); with it, any goal the user may see can be found by typing."""

from __future__ import annotations

from tandem.org.widgets import Picker


class GoalPicker(Picker):
    """A goal, submitted as its id. `choices` (set by the form) are the no-script menu;
    `filters` carry the level of the goal being aligned ({"level": "team"}) and, when
    editing, the goal itself ({"not_under": "42"}: a goal never supports its own subtree)."""

    url_name = "goals:pick"
    noun, nouns = "goal", "goals"
