"""No text typed into a page breaks it: a NUL in any text field of the main forms is answered
with the form and an error (or a 4xx), never a 500, and nothing holding it is saved; the
same goes for query strings. (A lone surrogate cannot arrive through a form or a query
string: browsers send UTF-8, and Django decodes what is not as U+FFFD.)

The forms are read from the pages themselves, so a text field added later is tried too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tandem.core.validation import NOT_TEXT, clean_text, first_unstorable
from tandem.org.models import Person
from tests.factories import PersonFactory, hr_admin
from tests.goals.factories import GoalFactory, PeriodFactory
from tests.meetings.factories import pair, series_with_meeting
from tests.reviews.factories import review_of, running_cycle

pytestmark = pytest.mark.django_db

NUL_TEXT = "Hello\x00world"
TEXT_TYPES = {"text", "email", "search", "url", "tel", "password", ""}
REFUSALS = ("Null characters are not allowed", NOT_TEXT)


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    text_fields: list[str] = field(default_factory=list)
    htmx: bool = False


class FormReader(HTMLParser):
    """The POST forms of a page: where they go, what they send as the page filled them in,
    and which of their fields take typed text."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = (a.get("method") or ("post" if "hx-post" in a else "get")).lower()
            action = a.get("hx-post") or a.get("action") or self.page_url
            self.form = Form(action, htmx="hx-post" in a) if method == "post" else None
        elif self.form is None or "name" not in a or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image"):
                return
            self.form.fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
            if kind in TEXT_TYPES and "readonly" not in a:
                self.form.text_fields.append(a["name"])
        elif tag == "textarea":
            self.textarea = a["name"]
            self.form.fields[a["name"]] = ""
            self.form.text_fields.append(a["name"])
        elif tag == "select":
            self.select = a["name"]
        elif (
            tag == "option"
            and self.select
            and ("selected" in a or self.select not in self.form.fields)
        ):
            self.form.fields[self.select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None


def post_forms(client: Client, url: str) -> list[Form]:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    reader = FormReader(url)
    reader.feed(page.content.decode())
    return [form for form in reader.forms if form.text_fields]


def text_columns() -> list[tuple[type[models.Model], str]]:
    return [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and not f.is_relation
    ]


def stored_nul() -> list[str]:
    # Read in Python: SQLite's LIKE stops at a NUL in the pattern and matches everything.
    return [
        f"{model.__name__}.{name}"
        for model, name in text_columns()
        if any("\x00" in (value or "") for value in model.objects.values_list(name, flat=True))
    ]


@dataclass
class Page:
    name: str
    setup: Callable[[], tuple[Person, str]]


def _meeting() -> tuple[Person, str]:
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    return manager, f"/one-on-ones/meetings/{meeting.pk}/"


def _goal(path: str) -> Callable[[], tuple[Person, str]]:
    def setup() -> tuple[Person, str]:
        goal = GoalFactory(period=PeriodFactory())
        return goal.owner, f"/goals/{goal.pk}/{path}"

    return setup


def _review() -> tuple[Person, str]:
    manager, report = pair()
    cycle = running_cycle([report])
    return report, f"/reviews/{review_of(cycle, report, 'self').pk}/"


def _as_hr(url: str) -> Callable[[], tuple[Person, str]]:
    return lambda: (hr_admin(), url)


def _new_goal() -> tuple[Person, str]:
    PeriodFactory()
    return PersonFactory(), "/goals/new/"


def _person_edit() -> tuple[Person, str]:
    return hr_admin(), f"/hr/people/{PersonFactory().pk}/edit/"


PAGES = [
    Page("give feedback", lambda: (PersonFactory(), "/feedback/give/")),
    Page("ask for feedback", lambda: (PersonFactory(), "/feedback/requests/new/")),
    Page("upward feedback", lambda: (pair()[1], "/feedback/upward/")),
    Page("1:1 meeting: agenda, notes, action items", _meeting),
    Page("new goal", _new_goal),
    Page("goal page: comments", _goal("")),
    Page("edit a goal", _goal("edit/")),
    Page("check in on a goal", _goal("check-in/")),
    Page("close a goal", _goal("close/")),
    Page("write a review", _review),
    Page("HR: new person", _as_hr("/hr/people/new/")),
    Page("HR: edit a person", _person_edit),
    Page("HR: new department", _as_hr("/hr/departments/new/")),
    Page("HR: the company", _as_hr("/hr/company/")),
    Page("HR: the program", _as_hr("/program/edit/")),
    Page("HR: new rating scale", _as_hr("/reviews/admin/scales/new/")),
    Page("HR: new review template", _as_hr("/reviews/admin/templates/new/")),
]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_a_nul_in_any_text_field_is_refused_beside_the_field_and_nothing_is_saved(
    page: Page, client_for: Callable[[Person], Client]
) -> None:
    person, url = page.setup()
    client = client_for(person)
    forms = post_forms(client, url)
    assert forms, f"{url} has no form with a text field"
    tried = 0
    for form in forms:
        for name in form.text_fields:
            data = {**form.fields, name: NUL_TEXT}
            headers = {"HX-Request": "true"} if form.htmx else {}
            response = client.post(form.action, data, headers=headers)
            where = f"{form.action} field {name!r}"
            assert response.status_code < 500, where
            assert "HX-Redirect" not in response, f"{where}: accepted"
            if 300 <= response.status_code < 400:  # back to the page, the error in a message
                response = client.get(response["Location"])
            text = response.content.decode()
            assert any(refusal in text for refusal in REFUSALS), f"{where}: no error shown"
            tried += 1
    assert tried
    assert stored_nul() == []


@pytest.mark.parametrize(
    "url",
    [
        "/people/?q=a%00b",
        "/hr/people/?q=a%00b",
        "/goals/company/?q=%00",
        "/feedback/?cursor=%00",
        "/praise/?cursor=x%00",
        "/hr/audit/?cursor=%00",
        "/goals/tree/?after=%00",
        "/people/?q=%ED%BF%BF",
    ],
)
def test_a_nul_in_a_query_string_is_a_400_naming_the_parameter_never_a_500(
    url: str, client_for: Callable[[Person], Client]
) -> None:
    response = client_for(hr_admin()).get(url)
    if "%00" in url:
        assert response.status_code == 400
        name = url.split("?")[1].split("=")[0]
        assert f"“{name}”" in response.content.decode()
    else:
        assert response.status_code == 200


def test_the_service_check_refuses_a_lone_surrogate_naming_the_field() -> None:
    with pytest.raises(Exception, match="Title contains a character that is not text") as error:
        clean_text("Plan \udfff", field="title", label="Title", limit=200)
    assert error.value.message_dict == {  # type: ignore[attr-defined]
        "title": [f"Title {NOT_TEXT}."]
    }


@pytest.mark.parametrize("value", ["\x00", "a\ud800", ["ok", "\udfff"], {"k\x00": "v"}])
def test_text_hidden_anywhere_in_a_json_value_is_found(value: Any) -> None:
    assert first_unstorable(value) is not None
