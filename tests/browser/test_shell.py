"""The app shell in a real browser: the sidebar folds on a wide screen and stays folded on
the next page; on a phone it is a drawer behind the menu button, opened and closed by
keyboard; the account menu closes with Escape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, Org, PageWatch, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_the_sidebar_folds_to_icons_and_stays_folded(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    page = open_page(viewport=DESKTOP)
    sign_in(page, org.managers[0])
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My team", exact=True)).to_be_visible()
    fold = nav.get_by_role("button", name="Fold the menu")
    fold.focus()
    page.keyboard.press("Enter")
    expect(fold).to_have_attribute("aria-pressed", "true")
    width = nav.evaluate("element => element.getBoundingClientRect().width")
    assert width < 80, f"a folded sidebar is icons only, not {width} px"
    screenshot(page, "desktop-sidebar-folded")

    nav.get_by_role("link", name="Praise", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Praise")
    expect(page.locator("html")).to_have_class("nav-folded")
    nav.get_by_role("button", name="Fold the menu").click()
    expect(page.locator("html")).not_to_have_class("nav-folded")
    watch.assert_clean()


def test_the_sidebar_shows_counts_of_things_waiting(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    page = open_page(viewport=DESKTOP)
    sign_in(page, org.reports[org.managers[0].pk][0])
    inbox = page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox")
    # The badge arrives after the page; its number is the inbox's own count.
    expect(page.locator("#nav-count-inbox")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    page.goto("/inbox/")
    count = page.locator("#nav-count-inbox")
    expect(inbox).to_have_attribute("aria-describedby", "nav-count-inbox-text")
    if count.is_visible():
        expect(page.locator("#nav-count-inbox-text")).to_contain_text("waiting")
    watch.assert_clean()


def test_on_a_phone_the_menu_button_opens_and_escape_closes_the_drawer(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, org.managers[0])
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_hidden()
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    home = nav.get_by_role("link", name="Home", exact=True)
    expect(home).to_be_visible()
    expect(home).to_be_focused()  # the current page's link
    box = home.bounding_box()
    assert box and box["height"] >= 44, f"a tap target is {box}"
    screenshot(page, "phone-menu-open")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(home).to_be_hidden()

    menu.tap()
    nav.get_by_role("link", name="Praise", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Praise")
    expect(nav.get_by_role("link", name="Praise", exact=True)).to_be_hidden()
    watch.assert_clean()


def test_the_account_menu_opens_and_escape_closes_it(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    page = open_page(viewport=DESKTOP)
    person = org.managers[0]
    sign_in(page, person)
    account = page.get_by_text(person.display_name, exact=True).first
    page.locator(".account-menu summary").click()
    expect(page.get_by_role("link", name="Your profile", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Your profile", exact=True)).to_be_hidden()
    assert account
    watch.assert_clean()
