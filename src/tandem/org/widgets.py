"""The people picker: one form widget for every field where someone chooses a colleague.

Without JavaScript it is the text field it always was (a work e-mail or a name, one per line
when the field takes several), so each form's own server-side lookup and its messages stay
the single source of truth. `static/tandem/picker.js` turns it into a WAI-ARIA 1.2 combobox:
what is typed is searched (htmx, debounced) through `org:people_pick`, which answers from
the viewer's access-scoped directory; the chosen person's work e-mail is what the form
receives. Fields that take several people show the chosen ones as removable chips.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse


class Picker(forms.Widget):
    """What every picker shares: the template, the search address and its wording.

    `noun`/`nouns` word the live announcements ("3 people found"). A picker on a choice
    field (its `choices` set by the field, like a Select's) keeps that menu as its
    no-script form and then submits only what is picked (`key`: which of an option's
    data attributes is the value, "value" or "pk")."""

    template_name = "org/widgets/picker.html"
    url_name = ""
    noun, nouns = "person", "people"
    choices: Any = ()

    def __init__(
        self,
        *,
        multiple: bool = False,
        filters: dict[str, str] | None = None,
        key: str = "value",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.filters = dict(filters or {})
        self.key = key

    def search_url(self) -> str:
        query = urlencode(self.filters)
        return reverse(self.url_name) + (f"?{query}" if query else "")

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        if hasattr(value, "email"):
            return str(value.email)
        return super().format_value(value)

    def menu(self, value: Any) -> list[tuple[str, str, bool]] | None:
        """The no-script menu: (value, label, selected) per choice; None without choices."""
        if not self.choices:
            return None
        chosen = "" if value in (None, "") else str(getattr(value, "pk", value))
        return [(str(v), str(label), str(v) == chosen) for v, label in self.choices]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            {
                "multiple": self.multiple,
                "search_url": self.search_url(),
                "noun": self.noun,
                "nouns": self.nouns,
                "menu": self.menu(value),
                "key": self.key,
                # A person given as the initial value shows by name; the form still gets
                # their e-mail (a page that opens the form for someone: "?to=12").
                "label": getattr(value, "display_name", ""),
            }
        )
        return context


class PersonPicker(Picker):
    """A colleague (or several with `multiple=True`), submitted as their work e-mail.

    `filters` narrow the search: {"exclude": "me"} leaves the user out, {"within":
    "reports"} keeps their direct reports, {"left": "on"} includes people who left (for
    those who may see them). On a ModelChoiceField, `key="pk"` submits the person's id."""

    url_name = "org:people_pick"
