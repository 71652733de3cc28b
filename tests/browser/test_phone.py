"""Usable on a phone: the main pages fit a 390 px wide screen without sideways scrolling.

Screenshots land in var/screenshots/ so a person can look at them after a run."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, Org, PageWatch, screenshot, sign_in

pytestmark = pytest.mark.browser


def _fits_the_screen(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways on a phone: {widths}"


def test_home_profile_and_org_chart_fit_a_phone_screen(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    marta = org.managers[0]
    sign_in(page, marta)
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    _fits_the_screen(page)
    screenshot(page, "phone-home")

    page.goto(f"/people/{org.managers[1].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(org.managers[1].display_name)
    _fits_the_screen(page)
    screenshot(page, "phone-profile")

    page.goto("/org-chart/")
    ceo_toggle = page.get_by_role("button", name=re.compile(f"to {org.ceo.display_name}$"))
    expect(ceo_toggle).to_have_attribute("aria-expanded", "true")  # opens on two levels
    team_toggle = page.get_by_role("button", name=re.compile(f"to {marta.display_name}$"))
    team_toggle.tap()
    expect(team_toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name=org.reports[marta.pk][0].display_name)).to_be_visible()
    _fits_the_screen(page)
    screenshot(page, "phone-org-chart")

    page.goto("/people/")
    _fits_the_screen(page)
    screenshot(page, "phone-directory")
    watch.assert_clean()
