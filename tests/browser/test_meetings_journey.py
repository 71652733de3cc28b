"""Journey: a manager and a report build an agenda together, meet, write notes and leave an
action item — which then shows on their next 1:1."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import Org, sign_in
from tests.meetings.factories import series_with_meeting

pytestmark = pytest.mark.browser


def _open_next_one_on_one(page: Page, with_name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="1:1s").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1:1s")
    row = page.get_by_role("row", name=re.compile(with_name))
    row.get_by_role("link", name=re.compile(r"\d{2}:\d{2}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^1:1 with "))


def test_manager_and_report_prepare_meet_and_the_action_item_carries_over(
    org: Org, open_page
) -> None:  # type: ignore[no-untyped-def]
    marta = org.managers[0]
    aiko = org.reports[marta.pk][0]
    series_with_meeting(marta, aiko, starts_at=timezone.now() - timedelta(minutes=5))

    manager_page = open_page()
    sign_in(manager_page, marta)
    _open_next_one_on_one(manager_page, "Aiko Tanaka")
    agenda = manager_page.locator("#agenda")
    agenda.get_by_label("Add to the agenda").fill("Roadmap for the next quarter")
    agenda.get_by_role("button", name="Add").click()
    expect(manager_page.locator("#agenda li")).to_have_count(1)

    report_page = open_page()
    sign_in(report_page, aiko)
    _open_next_one_on_one(report_page, "Marta Lindqvist")
    report_agenda = report_page.locator("#agenda")
    expect(report_agenda).to_contain_text("Roadmap for the next quarter")
    report_agenda.get_by_label("Add to the agenda").fill("Conference budget <b>please</b>")
    report_agenda.get_by_role("button", name="Add").click()
    expect(report_page.locator("#agenda li")).to_have_count(2)
    report_page.locator("#agenda").get_by_role(
        "button", name=re.compile(r"^Up\W+Conference budget")
    ).click()
    expect(report_page.locator("#agenda li").first).to_contain_text(
        "Conference budget <b>please</b>"
    )
    expect(report_page.get_by_text("Only you can read this note")).to_be_visible()

    # They meet: the manager takes notes, keeps a private one and gives an action item.
    manager_page.reload()
    expect(manager_page.locator("#agenda li")).to_have_count(2)
    manager_page.locator("#agenda").get_by_role(
        "button", name=re.compile(r"^Tick off\W+Roadmap for the next quarter")
    ).click()
    expect(manager_page.locator("#agenda s")).to_have_text("Roadmap for the next quarter")
    notes = manager_page.locator("#notes")
    notes.get_by_label("Shared notes").fill("Budget approved for one conference.")
    notes.get_by_role("button", name="Save shared notes").click()
    expect(manager_page.locator("#notes")).to_contain_text("Shared notes saved.")
    private = manager_page.locator("#private_note")
    private.get_by_label("Your private note").fill("Ask HR about the travel policy first.")
    private.get_by_role("button", name="Save private note").click()
    expect(manager_page.locator("#private_note")).to_contain_text("Only you can read it.")

    actions = manager_page.locator("#action_items")
    actions.get_by_label("Action item").fill("Pick a conference and send the link")
    actions.get_by_role("button", name="Add action item").click()
    expect(manager_page.locator("#action_items")).to_contain_text(
        "Choose who owns this action item"
    )
    actions = manager_page.locator("#action_items")
    actions.get_by_label("Action item").fill("Pick a conference and send the link")
    actions.get_by_label("Owner").select_option(label="Aiko Tanaka")
    actions.get_by_label("Due").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    actions.get_by_role("button", name="Add action item").click()
    expect(manager_page.locator("#action_items tbody tr")).to_have_count(1)

    manager_page.get_by_role("button", name="Mark as held").click()
    expect(manager_page.get_by_role("status")).to_contain_text("Marked as held")
    carried = manager_page.locator("#action_items")
    expect(carried).to_contain_text("Pick a conference and send the link")
    expect(carried).to_contain_text("Carried over from")

    # The report sees it on the next 1:1 too, and never the manager's private note.
    _open_next_one_on_one(report_page, "Marta Lindqvist")
    expect(report_page.locator("#action_items")).to_contain_text(
        "Pick a conference and send the link"
    )
    expect(report_page.get_by_text("Ask HR about the travel policy first.")).to_have_count(0)
    report_page.get_by_role("link", name="Previous 1:1", exact=False).click()
    expect(report_page.locator("#notes")).to_contain_text("Budget approved for one conference.")
    expect(report_page.get_by_text("Ask HR about the travel policy first.")).to_have_count(0)
