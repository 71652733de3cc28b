"""Journey 3: keyboard users and the Content-Security-Policy, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Org, PageWatch, sign_in

pytestmark = pytest.mark.browser

SEARCH_LABEL = "Search by name, title, e-mail or department"


def _tab_reaches_the_skip_link_first(page: Page) -> None:
    # Right after the page loads nothing has focus (no autofocus), as for a keyboard user.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()


def test_tab_reaches_the_skip_link_first_on_the_login_page(page: Page, watch: PageWatch) -> None:
    page.goto("/login/")
    _tab_reaches_the_skip_link_first(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Work e-mail")).to_be_focused()
    watch.assert_clean()


def test_a_keyboard_user_skips_to_the_labelled_directory_search_and_searches(
    page: Page, org: Org, watch: PageWatch
) -> None:
    sign_in(page, org.managers[0])
    page.goto("/people/")
    _tab_reaches_the_skip_link_first(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    search = page.get_by_label(SEARCH_LABEL)
    expect(search).to_be_focused()
    expect(page.get_by_role("search")).to_be_visible()
    page.keyboard.type("okafor")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=okafor"))
    expect(page.get_by_role("table").get_by_role("link", name=org.ceo.display_name)).to_be_visible()
    watch.assert_clean()


def test_every_page_has_the_landmarks_a_screen_reader_jumps_between(
    page: Page, org: Org, watch: PageWatch
) -> None:
    sign_in(page, org.managers[0])
    for path in ["/", "/people/", f"/people/{org.ceo.pk}/", "/org-chart/"]:
        page.goto(path)
        expect(page.get_by_role("banner")).to_have_count(1)
        expect(page.get_by_role("navigation", name="Main")).to_have_count(1)
        expect(page.get_by_role("main")).to_have_count(1)
        expect(page.get_by_role("contentinfo")).to_have_count(1)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
    watch.assert_clean()


def test_the_org_chart_opens_and_closes_from_the_keyboard(
    page: Page, org: Org, watch: PageWatch
) -> None:
    sign_in(page, org.managers[0])
    page.goto("/org-chart/")
    toggle = page.get_by_role("button", name=re.compile(f"reporting to {org.ceo.display_name}$"))
    # The chart opens on the CEO's direct reports: the CEO's toggle starts open.
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name=org.managers[1].display_name)).to_be_hidden()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name=org.managers[1].display_name)).to_be_visible()
    watch.assert_clean()


def test_the_page_watch_catches_a_content_security_policy_violation(
    page: Page, watch: PageWatch
) -> None:
    """The other journeys pass only if no CSP violation is reported: prove one would be."""
    page.goto("/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
        }"""
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.injected === undefined")
    violations = watch.csp_violations()
    assert violations, watch.problems
    assert "script-src" in violations[0]
    watch.problems.clear()
