"""The goal picker for "Supports": the people picker's combobox (org/widgets.py), searching
the goals the user may align to by title, grouped by level.

Without JavaScript it is the short menu it always was (company and team goals, and the
user's managers' goals); with it, any goal the user may see can be found by typing."""

from __future__ import annotations

from typing import Any

from tandem.org.widgets import Picker


class GoalPicker(Picker):
    """A goal, submitted as its id. `choices` (set by the form) are the no-script menu;
    `filters` carry the level of the goal being aligned ({"level": "team"}) and, when
    editing, the goal itself ({"not_under": "42"}: a goal never supports its own subtree)."""

    url_name = "goals:pick"
    noun, nouns = "goal", "goals"
    choices: Any = ()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = "" if value in (None, "") else str(value)
        context["widget"]["menu"] = [
            (str(option), str(label), str(option) == chosen) for option, label in self.choices
        ]
        return context

    def format_value(self, value: Any) -> str | None:
        return None if value in (None, "") else str(getattr(value, "pk", value))
