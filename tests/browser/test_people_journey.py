"""Journey 1: sign in, find a colleague, look them up in the org chart, sign out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Org, PageWatch, open_nav, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_a_manager_finds_a_colleague_opens_the_org_chart_and_signs_out(
    page: Page, org: Org, watch: PageWatch
) -> None:
    marta, tomas = org.managers
    sign_in(page, marta)

    # Home: the manager's own team is listed.
    team = page.get_by_role("region", name="Your team")
    for report in org.reports[marta.pk]:
        expect(team.get_by_role("link", name=report.display_name)).to_be_visible()

    # Search the directory.
    open_nav(page, "People")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    page.get_by_label("Search by name, title, e-mail or department").fill("herrera")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]q=herrera"))
    results = page.get_by_role("table").get_by_role("row")
    expect(results).to_have_count(2)  # the header row and Tomas
    expect(results.get_by_role("link", name=marta.display_name)).to_have_count(0)

    # Open the profile: manager chain and direct reports.
    page.get_by_role("link", name=tomas.display_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tomas.display_name)
    chain = page.get_by_role("navigation", name="Manager chain")
    expect(chain.get_by_role("link", name=org.ceo.display_name)).to_be_visible()
    reports = page.get_by_role("region", name="Direct reports")
    for report in org.reports[tomas.pk]:
        expect(reports.get_by_role("link", name=report.display_name)).to_be_visible()

    # The org chart opens on two levels: the CEO and their direct reports, drawn by the
    # server; each deeper level is loaded by htmx when it is first opened.
    open_nav(page, "Org chart")
    expect(page.get_by_role("heading", level=1)).to_have_text("Org chart")
    direct = 3  # two managers and the HR admin
    toggle = page.get_by_role(
        "button", name=f"Show the {direct} people reporting to {org.ceo.display_name}"
    )
    expect(toggle).to_have_text(f"+{direct}")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    children = page.locator(f"#children-{org.ceo.pk}")
    expect(children.get_by_role("link", name=tomas.display_name)).to_be_visible()
    expect(children.locator(":scope > li")).to_have_count(direct)
    fetches: list[str] = []
    page.on("request", lambda r: fetches.append(r.url) if "/children/" in r.url else None)

    # The managers' own teams are closed until opened.
    marta_toggle = children.get_by_role(
        "button", name=f"Show the 3 people reporting to {marta.display_name}"
    )
    expect(marta_toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name=org.reports[marta.pk][0].display_name)).to_be_hidden()
    with page.expect_response(re.compile(rf"/org-chart/{marta.pk}/children/")):
        marta_toggle.click()
    expect(marta_toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name=org.reports[marta.pk][0].display_name)).to_be_visible()

    marta_toggle.click()
    expect(marta_toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name=org.reports[marta.pk][0].display_name)).to_be_hidden()
    marta_toggle.click()  # opens again from what was loaded, without asking the server twice
    expect(marta_toggle).to_have_attribute("aria-expanded", "true")
    assert len(fetches) == 1, fetches

    toggle.click()  # the first level closes too
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()

    # Sign out: the session is gone, so Tandem asks to sign in again.
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Tandem")

    watch.assert_clean()
