"""What people type never travels in an address (docs/security.md, "No typed text in
addresses").

On each main form a unique marker is typed into every text field, every select and radio
button is changed (which is what makes htmx previews fire), and the form is sent. Every
request the browser makes meanwhile is recorded: the marker must appear in none of their
URLs, since a URL lands in access logs, proxies and the browser's history. Fields that find
a colleague by name (every people picker) get a colleague's name: a name is not private;
the goal picker ("Supports") is left empty, since it searches goal titles as typed.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from urllib.parse import unquote_plus

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Request

from tandem.reviews.models import Relationship
from tests.browser.conftest import Org, sign_in
from tests.goals.factories import GoalFactory
from tests.meetings.factories import series_with_meeting
from tests.reviews.factories import review_of, running_cycle

pytestmark = pytest.mark.browser

TEXT_FIELDS = (
    "main input:not([type]), main input[type=text], main input[type=search], "
    "main input[type=email], main input[type=url], main input[type=tel], main textarea"
)
_markers = itertools.count(1)


class Addresses:
    """Every URL the page requests from now on."""

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        page.on("request", self._seen)

    def _seen(self, request: Request) -> None:
        self.urls.append(request.url)

    def assert_never_carry(self, marker: str) -> None:
        carrying = [url for url in self.urls if marker in unquote_plus(url)]
        assert self.urls, "no request was recorded"
        assert not carrying, "typed text travelled in an address:\n" + "\n".join(carrying)


def type_everywhere(page: Page, *, people: dict[str, str] | None = None) -> str:
    """Type a fresh marker into every visible text field of the page, change every select and
    radio button; returns the marker."""
    marker = f"Marker{next(_markers)}Xq"
    people = people or {}
    fields = page.locator(TEXT_FIELDS)
    for index in range(fields.count()):
        field = fields.nth(index)
        if not field.is_visible() or not field.is_editable():
            continue
        # A picker's search box says which field it fills (picker.js names the box `q`).
        name = field.get_attribute("data-picker-field") or field.get_attribute("name") or ""
        field.fill(people.get(name, f"{marker} {name}"))
    _change_choices(page)
    page.wait_for_load_state("networkidle")
    return marker


def _change_choices(page: Page) -> None:
    selects = page.locator("main select")
    for index in range(selects.count()):
        select = selects.nth(index)
        if not select.is_visible() or not select.is_enabled():
            continue
        values = [
            value
            for value in select.locator("option").evaluate_all("os => os.map(o => o.value)")
            if value
        ]
        if values:
            select.select_option(values[-1])
    radios = page.locator("main input[type=radio]")
    for index in range(radios.count()):
        radio = radios.nth(index)
        if radio.is_visible() and radio.is_enabled():
            radio.check()


def send(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).first.click()
    page.wait_for_load_state("networkidle")


def check_form(page: Page, path: str, button: str, *, people: dict[str, str] | None = None) -> None:
    """Open the form, type and choose everywhere, send it: no address carried the text."""
    addresses = Addresses(page)
    page.goto(path)
    marker = type_everywhere(page, people=people)
    send(page, button)
    addresses.assert_never_carry(marker)


def test_giving_feedback_keeps_the_text_out_of_addresses(page: Page, org: Org) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    sign_in(page, aiko)
    check_form(page, "/feedback/give/", "Send", people={"recipient": "marta@example.com"})


def test_praising_keeps_the_text_out_of_addresses(page: Page, org: Org) -> None:
    sign_in(page, org.reports[org.managers[0].pk][0])
    check_form(
        page, "/feedback/give/?visibility=public", "Send", people={"recipient": "bram@example.com"}
    )


def test_asking_for_feedback_keeps_the_questions_out_of_addresses(page: Page, org: Org) -> None:
    sign_in(page, org.reports[org.managers[0].pk][0])
    check_form(
        page, "/feedback/requests/new/", "Send request", people={"asked": "bram@example.com"}
    )


def test_searching_ones_feedback_keeps_the_words_out_of_addresses(page: Page, org: Org) -> None:
    sign_in(page, org.reports[org.managers[0].pk][0])
    check_form(page, "/feedback/", "Search")


def test_anonymous_upward_feedback_keeps_the_text_out_of_addresses(page: Page, org: Org) -> None:
    sign_in(page, org.reports[org.managers[0].pk][0])
    check_form(page, "/feedback/upward/", "Send anonymously")


def test_a_one_on_ones_agenda_notes_and_action_items_stay_out_of_addresses(
    page: Page, org: Org
) -> None:
    marta, aiko = org.managers[0], org.reports[org.managers[0].pk][0]
    series, meeting = series_with_meeting(
        marta, aiko, starts_at=timezone.now() - timedelta(minutes=5)
    )
    sign_in(page, marta)
    addresses = Addresses(page)
    page.goto(f"/one-on-ones/meetings/{meeting.pk}/")
    marker = type_everywhere(page)
    for button in ("Add", "Save private note", "Save shared notes", "Add action item"):
        send(page, button)
    page.goto(f"/one-on-ones/{series.pk}/")
    search = type_everywhere(page)
    send(page, "Search")
    addresses.assert_never_carry(marker)
    addresses.assert_never_carry(search)


def test_creating_and_editing_a_goal_keeps_the_text_out_of_addresses(page: Page, org: Org) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    goal = GoalFactory(owner=aiko, title="Ship the importer")
    sign_in(page, aiko)
    check_form(page, "/goals/new/", "Create goal", people={"parent": ""})
    check_form(
        page,
        f"/goals/{goal.pk}/edit/",
        "Save",
        people={"parent": "", "owner_email": "aiko@example.com"},
    )


def test_a_goal_check_in_keeps_the_text_out_of_addresses(page: Page, org: Org) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    goal = GoalFactory(owner=aiko, title="Ship the importer")
    sign_in(page, aiko)
    check_form(page, f"/goals/{goal.pk}/check-in/", "Save check-in")


def test_review_answers_stay_out_of_addresses(page: Page, org: Org) -> None:
    marta, aiko = org.managers[0], org.reports[org.managers[0].pk][0]
    cycle = running_cycle([aiko])
    review = review_of(cycle, aiko, Relationship.MANAGER)
    sign_in(page, marta)
    check_form(page, f"/reviews/{review.pk}/", "Save draft")


def test_editing_a_persons_hr_record_keeps_the_text_out_of_addresses(page: Page, org: Org) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    sign_in(page, org.hr)
    people = {"manager": "marta@example.com", "email": "aiko@example.com"}
    check_form(page, f"/hr/people/{aiko.pk}/edit/", "Save record", people=people)
