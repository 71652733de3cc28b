"""Journey (issue 15): an employee reads what the next level expects, drafts a development
plan that she and her manager agree in their 1:1, the manager opens a promotion case, the
committee decides it, and the employee's "Where I stand" shows her new level."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.growth.models import Placement
from tests.browser.conftest import Org, open_nav, sign_in
from tests.growth.factories_frameworks import ladder
from tests.growth.factories_promotions import WindowFactory, place
from tests.meetings.factories import series_with_meeting

pytestmark = pytest.mark.browser


def _where_i_stand(page: Page) -> None:
    open_nav(page, "Where I stand")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where I stand")


def test_from_reading_the_next_level_to_being_promoted(org: Org, open_page) -> None:  # type: ignore[no-untyped-def]
    marta, tomas = org.managers
    aiko = org.reports[marta.pk][0]
    track = ladder(codes=("IC1", "IC2", "IC3"), name="Engineering IC", key="engineering-ic")
    levels = {level.code: level for level in track.levels.all()}
    place(aiko, levels["IC2"], since=date(2024, 2, 1))
    today = timezone.localdate()
    WindowFactory.create(
        name="Winter promotions",
        opens_on=today - timedelta(days=3),
        cases_due_on=today + timedelta(days=20),
        decisions_due_on=today + timedelta(days=40),
        committee=[tomas],
    )
    series_with_meeting(marta, aiko, starts_at=timezone.now() - timedelta(minutes=5))

    # Aiko reads where she stands and what changes at the next level.
    employee = open_page()
    sign_in(employee, aiko)
    _where_i_stand(employee)
    expect(employee.locator("#level-h + p")).to_contain_text("IC2 Title IC2")
    employee.get_by_role("link", name="Read the whole framework").click()
    expect(employee.get_by_role("heading", level=1)).to_have_text("Engineering IC")
    employee.get_by_role("link", name="What changes at IC3").click()
    expect(employee.get_by_role("heading", level=1)).to_have_text("IC2 beside IC3")
    expect(employee.get_by_text("Competency 1 at IC3")).to_be_visible()

    # She drafts a plan with one focus area on a competency of her track.
    _where_i_stand(employee)
    employee.get_by_role("link", name="Start a plan").click()
    employee.get_by_label("Title").fill("Grow into IC3")
    employee.get_by_role("button", name="Start the plan").click()
    expect(employee.get_by_role("heading", level=1)).to_contain_text("Grow into IC3")
    add_area = employee.locator(
        "form", has=employee.get_by_role("button", name="Add the focus area")
    )
    competency = track.competencies.get(key="c1")
    add_area.get_by_label("About").select_option(f"c{competency.pk}")
    add_area.get_by_label("Title", exact=True).fill("Design across teams")
    add_area.get_by_role("button", name="Add the focus area").click()
    expect(employee.get_by_role("heading", name="Design across teams")).to_be_visible()

    # In their 1:1, Marta finds the draft among the talking points and they agree it.
    manager = open_page()
    sign_in(manager, marta)
    open_nav(manager, "1:1s")
    manager.get_by_role("row", name=re.compile("Aiko Tanaka")).get_by_role(
        "link", name=re.compile(r"\d{2}:\d{2}")
    ).click()
    manager.get_by_role("link", name="Agree “Grow into IC3”: it is still a draft").click()
    manager.get_by_role("link", name="Edit dates and status").click()
    manager.get_by_label("Status").select_option("active")
    manager.get_by_role("button", name="Save the plan").click()
    expect(manager.locator("h1 .pill")).to_have_text("Active")

    # Marta opens a promotion case to IC3 and submits it.
    open_nav(manager, "Promotions")
    manager.get_by_role("link", name="Open a case").click()
    manager.get_by_role("combobox", name="Who").press_sequentially("Aik")
    manager.get_by_role("option", name=re.compile("Aiko Tanaka")).click()
    manager.get_by_label("Level to promote to").select_option(str(levels["IC3"].pk))
    manager.get_by_label("The case").fill("Aiko led the cross-team design of the billing system.")
    manager.get_by_role("button", name="Open the case").click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text("IC2 → IC3")
    manager.get_by_role("button", name="Submit for review").click()
    expect(manager.locator("h1 .pill")).to_have_text("In review")

    # Tomas, on the committee, decides it from the committee view.
    committee = open_page()
    sign_in(committee, tomas)
    open_nav(committee, "Promotions")
    committee.get_by_role("link", name="Winter promotions").click()
    committee.get_by_role("link", name="Aiko Tanaka").click()
    expect(committee.get_by_text("Aiko led the cross-team design")).to_be_visible()
    committee.get_by_label("Promoted").check()
    committee.get_by_label("Reason").fill("Works at IC3 scope across teams.")
    committee.get_by_label("Effective from").fill(today.isoformat())
    committee.get_by_role("button", name="Record the decision").click()
    expect(committee.get_by_role("heading", name=re.compile("^Decision: Promoted"))).to_be_visible()

    # Aiko now stands at IC3, with the step in her history.
    _where_i_stand(employee)
    expect(employee.locator("#level-h + p")).to_contain_text("IC3 Title IC3")
    assert Placement.objects.get(person=aiko).level == levels["IC3"]
