"""Journey: an executive sets a company goal, a manager aligns a team goal to it, a report
aligns a personal goal to the team goal, checks in on it and links a weekly priority to it;
the alignment tree then shows the roll-up from the person up to the company."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tandem.access.models import Role
from tandem.goals.models import Goal, GoalLevel, Priority
from tests.browser.conftest import Org, PageWatch, sign_in
from tests.factories import grant

pytestmark = pytest.mark.browser

GOAL_URL = re.compile(r"/goals/(\d+)/$")


def create_goal(page: Page, *, title: str, kind: str | None, kr: str, target: str) -> int:
    """Fill the new-goal form (already open) with one number key result; returns the id."""
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^New goal"))
    page.get_by_label("Title").fill(title)
    if kind is not None:
        page.get_by_label("Kind of goal").select_option(label=kind)
    page.get_by_label(re.compile(r"^Key result:?$")).fill(kr)
    page.get_by_label(re.compile(r"^Kind:?$")).select_option(label="Number")
    page.get_by_label("Start value").fill("0")
    page.get_by_label(re.compile(r"^Target:?$")).fill(target)
    page.get_by_role("button", name="Create goal").click()
    expect(page).to_have_url(GOAL_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    match = GOAL_URL.search(page.url)
    assert match is not None
    return int(match.group(1))


def test_a_goal_cascades_from_the_company_to_a_weekly_priority_and_rolls_up(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    make = open_page  # a fresh browser context (own cookies) per person
    ceo, marta = org.ceo, org.managers[0]
    aiko = org.reports[marta.pk][0]
    grant(ceo, Role.EXECUTIVE)

    # 1. The executive sets a company goal.
    page = make()
    sign_in(page, ceo)
    page.goto("/goals/new/?level=company")
    company_id = create_goal(
        page,
        title="Win 1,000 new customers",
        kind="Company goal",
        kr="New customers",
        target="1000",
    )

    # 2. The manager opens it and sets a team goal that supports it.
    page = make()
    sign_in(page, marta)
    page.goto(f"/goals/{company_id}/")
    page.get_by_role("link", name="Set a goal that supports this one").click()
    expect(page.get_by_role("combobox", name="Supports (aligned to)")).to_have_value(
        re.compile("Win 1,000 new customers")
    )
    team_id = create_goal(
        page,
        title="Ship self-serve sign-up",
        kind="Team goal",
        kr="Teams signed up",
        target="50",
    )
    expect(page.get_by_role("navigation", name="Alignment up")).to_contain_text(
        "Win 1,000 new customers"
    )

    # 3. The report aligns a personal goal to the team goal…
    page = make()
    sign_in(page, aiko)
    page.goto(f"/goals/{team_id}/")
    page.get_by_role("link", name="Set a goal that supports this one").click()
    expect(page.get_by_role("combobox", name="Supports (aligned to)")).to_have_value(
        re.compile("Ship self-serve sign-up")
    )
    own_id = create_goal(
        page,
        title="Build the sign-up form",
        kind="Individual goal",
        kr="Form steps shipped",
        target="4",
    )

    # …checks in on it: two of four steps shipped…
    page.get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check in on")
    page.get_by_label(re.compile("^Form steps shipped")).fill("2")
    page.get_by_label("On track").check()
    page.get_by_label(re.compile(r"^Confidence")).fill("8")
    page.get_by_label("Note").fill("Two of the four steps are live behind a flag.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page).to_have_url(re.compile(rf"/goals/{own_id}/"))
    expect(page.get_by_text("Two of the four steps are live behind a flag.")).to_be_visible()

    # …and links this week's first priority to it, from "My goals".
    page.goto("/goals/")
    weekly = page.locator("#weekly-checkin")
    expect(weekly.get_by_label(re.compile(r"^Priority 1:?$"))).to_be_visible()
    weekly.get_by_label(re.compile(r"^Priority 1:?$")).fill("Wire the form to the sign-up API")
    period = Goal.objects.get(pk=own_id).period.name
    weekly.get_by_label("Goal for priority 1").select_option(
        label=f"Build the sign-up form ({period})"
    )
    weekly.get_by_role("button", name="Save my week").click()
    expect(page.locator("#weekly-checkin").get_by_role("status")).to_contain_text("Saved")
    priority = Priority.objects.get(title="Wire the form to the sign-up API")
    assert priority.goal_id == own_id

    # 4. The alignment tree shows the chain and the roll-up, one level at a time.
    page.goto("/goals/tree/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alignment tree")
    page.get_by_role("button", name="Show the 1 goal aligned to Win 1,000 new customers").click()
    team_node = (
        page.locator("li")
        .filter(has=page.get_by_role("link", name="Ship self-serve sign-up", exact=True))
        .last
    )
    expect(team_node).to_be_visible()
    page.get_by_role("button", name="Show the 1 goal aligned to Ship self-serve sign-up").click()
    expect(page.get_by_role("link", name="Build the sign-up form", exact=True)).to_be_visible()
    expect(team_node.locator(".goal-node-figures").first).to_contain_text(
        re.compile(r"Roll-up of 1 aligned goal\s*50%")
    )

    own = Goal.objects.get(pk=own_id)
    assert own.level == GoalLevel.INDIVIDUAL and own.parent_id == team_id
    assert own.root_id == company_id and own.progress == Decimal("0.5")
    watch.assert_clean()
