"""Journeys with the people picker and the goal picker (org/widgets.py, picker.js): a
colleague found by typing two letters, chosen with the keyboard only or with the mouse;
several colleagues chosen as chips, one removed again; one letter gives a hint, not a
search; a goal found by a word of its title for "Supports"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Request, expect

from tandem.feedback.models import Feedback, FeedbackRequest
from tandem.goals.models import Goal, GoalLevel
from tandem.meetings.models import Series
from tests.browser.conftest import PHONE, Org, PageWatch, screenshot, sign_in
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = pytest.mark.browser
NEXT_WEEK = (timezone.localdate() + timedelta(days=7)).strftime("%Y-%m-%dT10:00")


def test_giving_feedback_by_keyboard_only(page: Page, org: Org, watch: PageWatch) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    bram = org.reports[org.managers[0].pk][1]
    sign_in(page, aiko)
    page.goto("/feedback/give/")

    to = page.get_by_role("combobox", name="To")
    to.press_sequentially("Br")
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Bram de Vries")
    expect(options.first).to_contain_text("Software Engineer · Engineering")
    expect(page.get_by_role("status").filter(has_text="found")).to_have_text("1 person found.")
    expect(to).to_have_attribute("aria-expanded", "true")
    screenshot(page, "picker-open")

    to.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(to).to_have_attribute("aria-activedescendant", options.first.get_attribute("id") or "")
    to.press("Enter")
    expect(to).to_have_value("Bram de Vries")
    expect(to).to_have_attribute("aria-expanded", "false")
    # Choosing re-renders "who will read this" for the chosen colleague (htmx on change).
    expect(page.locator("#audience")).to_contain_text("Bram")

    to.press("Tab")
    page.keyboard.press("Tab")  # past the first visibility choice into the text
    page.get_by_label("Your feedback").focus()
    page.keyboard.type("Your review of the importer caught two real bugs. Thank you.")
    page.get_by_label("Your feedback").press("Tab")
    page.get_by_role("button", name="Send").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/feedback/\d+/$"))
    assert Feedback.objects.filter(giver=aiko, recipient=bram).count() == 1


def test_giving_feedback_with_the_mouse(page: Page, org: Org, watch: PageWatch) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    chidi = org.reports[org.managers[0].pk][2]
    sign_in(page, aiko)
    page.goto("/feedback/give/")

    page.get_by_role("combobox", name="To").click()
    page.keyboard.type("ez")
    page.get_by_role("option", name=re.compile("Chidi Eze")).click()
    expect(page.get_by_role("combobox", name="To")).to_have_value("Chidi Eze")
    page.get_by_label("Your feedback").fill("The on-call handover notes were spotless.")
    page.get_by_role("button", name="Send").click()

    expect(page).to_have_url(re.compile(r"/feedback/\d+/$"))
    assert Feedback.objects.filter(giver=aiko, recipient=chidi).count() == 1


def test_asking_two_colleagues_then_removing_one_chip(
    page: Page, org: Org, watch: PageWatch
) -> None:
    aiko, bram, chidi = org.reports[org.managers[0].pk]
    sign_in(page, aiko)
    page.goto("/feedback/requests/new/")

    ask = page.get_by_role("combobox", name="Colleagues to ask")
    ask.press_sequentially("bra")
    expect(page.get_by_role("option", name=re.compile("Bram de Vries"))).to_be_visible()
    ask.press("ArrowDown")
    ask.press("Enter")
    ask.press_sequentially("chi")
    page.get_by_role("option", name=re.compile("Chidi Eze")).click()
    remove_bram = page.get_by_role("button", name="Remove Bram de Vries")
    expect(remove_bram).to_be_visible()
    expect(page.get_by_role("button", name="Remove Chidi Eze")).to_be_visible()
    screenshot(page, "picker-chips")

    remove_bram.click()
    expect(remove_bram).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="removed")).to_have_text(
        "Bram de Vries removed."
    )
    expect(ask).to_be_focused()
    page.get_by_role("button", name="Send request").click()

    expect(page).to_have_url(re.compile(r"/feedback/requests/\d+/$"))
    request = FeedbackRequest.objects.get(requester=aiko)
    assert sorted(a.person_id for a in request.asks.all()) == [chidi.pk]


def test_one_letter_gives_a_hint_and_sends_no_search(
    page: Page, org: Org, watch: PageWatch
) -> None:
    sign_in(page, org.reports[org.managers[0].pk][0])
    page.goto("/feedback/give/")
    searches: list[str] = []

    def seen(request: Request) -> None:
        if "/people/pick/" in request.url:
            searches.append(request.url)

    page.on("request", seen)
    page.get_by_role("combobox", name="To").press_sequentially("B")
    expect(page.get_by_role("status").filter(has_text="two letters")).to_be_visible()
    page.wait_for_timeout(500)
    assert searches == []
    page.get_by_role("combobox", name="To").press_sequentially("zq")
    expect(page.get_by_role("status").filter(has_text="No one found")).to_be_visible()
    expect(page.get_by_role("combobox", name="To")).to_have_attribute("aria-expanded", "false")


def test_escape_closes_the_list_and_home_end_move_through_it(
    page: Page, org: Org, watch: PageWatch
) -> None:
    sign_in(page, org.reports[org.managers[0].pk][0])
    page.goto("/feedback/give/")
    to = page.get_by_role("combobox", name="To")
    to.press_sequentially("So")  # titles match too: every "Software Engineer"
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options.nth(1)).to_be_attached()
    to.press("End")
    expect(options.last).to_have_attribute("aria-selected", "true")
    to.press("Home")
    expect(options.first).to_have_attribute("aria-selected", "true")
    to.press("Escape")
    expect(to).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()


def test_a_goal_supports_another_found_by_a_word_of_its_title(
    page: Page, org: Org, watch: PageWatch
) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    period = PeriodFactory()
    company = GoalFactory(
        owner=org.ceo, level=GoalLevel.COMPANY, period=period, title="Win 1,000 new customers"
    )
    for n in range(12):
        GoalFactory(owner=org.ceo, level=GoalLevel.COMPANY, period=period, title=f"Other {n}")
    sign_in(page, aiko)
    page.goto("/goals/new/")

    page.get_by_label("Title").fill("Build the sign-up form")
    supports = page.get_by_role("combobox", name="Supports (aligned to)")
    supports.press_sequentially("custom")
    group = page.get_by_role("group", name="Company goals")
    expect(group.get_by_role("option")).to_have_count(1)
    supports.press("ArrowDown")
    supports.press("Enter")
    expect(supports).to_have_value("Win 1,000 new customers")
    page.get_by_role("button", name="Create goal").click()

    expect(page.get_by_role("navigation", name="Alignment up")).to_contain_text(
        "Win 1,000 new customers"
    )
    assert Goal.objects.get(title="Build the sign-up form").parent_id == company.pk


def test_a_manager_starts_a_one_on_one_by_picking_a_report(
    page: Page, org: Org, watch: PageWatch
) -> None:
    marta = org.managers[0]
    chidi = org.reports[marta.pk][2]
    sign_in(page, marta)
    page.goto("/one-on-ones/new/")

    report = page.get_by_role("combobox", name="Direct report")
    report.press_sequentially("eze")
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options).to_have_count(1)  # only Marta's own reports are searched
    report.press("ArrowDown")
    report.press("Enter")
    expect(report).to_have_value("Chidi Eze")
    page.get_by_label("First meeting").fill(NEXT_WEEK)
    page.get_by_role("button", name="Start the 1:1").click()

    expect(page.get_by_text("Your 1:1 with Chidi Eze is set up")).to_be_visible()
    assert Series.objects.filter(manager=marta, report=chidi).exists()


def test_a_strict_picker_refuses_text_that_was_not_picked(
    page: Page, org: Org, watch: PageWatch
) -> None:
    sign_in(page, org.managers[0])
    page.goto("/one-on-ones/new/")
    report = page.get_by_role("combobox", name="Direct report")
    report.press_sequentially("Nobody at all")
    page.get_by_label("First meeting").fill(NEXT_WEEK)
    page.get_by_role("button", name="Start the 1:1").click()

    expect(report).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("status").filter(has_text="Pick a person")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/one-on-ones/new/$"))


def test_without_javascript_the_field_still_takes_an_email(open_page, org: Org) -> None:  # type: ignore[no-untyped-def]
    aiko = org.reports[org.managers[0].pk][0]
    bram = org.reports[org.managers[0].pk][1]
    page = open_page(java_script_enabled=False)
    sign_in(page, aiko)
    page.goto("/feedback/give/")

    to = page.get_by_role("textbox", name="To")
    to.fill(bram.email)
    page.get_by_label("Your feedback").fill("Thanks for pairing on the flaky test.")
    page.get_by_role("button", name="Send").click()

    expect(page).to_have_url(re.compile(r"/feedback/\d+/$"))
    assert Feedback.objects.filter(giver=aiko, recipient=bram).count() == 1


def test_on_a_phone_the_open_picker_and_its_chips_fit_and_are_easy_to_tap(
    open_page, org: Org
) -> None:  # type: ignore[no-untyped-def]
    aiko = org.reports[org.managers[0].pk][0]
    page = open_page(viewport=PHONE)
    sign_in(page, aiko)
    page.goto("/feedback/requests/new/")
    ask = page.get_by_role("combobox", name="Colleagues to ask")
    ask.press_sequentially("bra")
    page.get_by_role("option", name=re.compile("Bram de Vries")).click()
    ask.press_sequentially("so")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    # Bram is a chip already: only Chidi is offered (Aiko is the one asking).
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option")).to_contain_text("Chidi Eze")
    screenshot(page, "picker-phone")

    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"]
    box = page.get_by_role("button", name="Remove Bram de Vries").bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    option = listbox.get_by_role("option").first.bounding_box()
    assert option is not None and option["height"] >= 44
