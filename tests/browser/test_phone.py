"""Usable on a phone: the main pages fit a 390 px wide screen without sideways scrolling
(`document.scrollingElement.scrollWidth <= 390`), for every demo role.

Screenshots land in var/screenshots/ so a person can look at them after a run (CI keeps
them as artefacts)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tandem.org import demo
from tests.browser.conftest import PHONE, Org, PageWatch, screenshot, sign_in
from tests.browser.demo_pages import pages_of, shot_name, sign_in_as
from tests.site.demo_walk import DEMO_PEOPLE, DEMO_SEED, ROLES

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


def _scroll_width(page: Page) -> int:
    width: int = page.evaluate("() => document.scrollingElement.scrollWidth")
    return width


def _widest(page: Page) -> str:
    """The elements reaching furthest past the right edge, to name in a failure."""
    found: list[str] = page.evaluate(
        """(limit) => {
          // Inside a box that scrolls or clips sideways (a .table-wrap), an element may be
          // wider than the screen: only the box itself counts.
          const clipped = (e) => {
            for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) {
              if (getComputedStyle(up).overflowX !== "visible") return true;
            }
            return false;
          };
          return [...document.querySelectorAll("body *")]
            .map((e) => [e, e.getBoundingClientRect().right])
            .filter(([e, right]) => right > limit && !clipped(e))
            .sort((a, b) => b[1] - a[1])
            .slice(0, 3)
            .map(([e, right]) => {
                const id = e.id ? "#" + e.id : "";
                const cls = e.classList.length ? "." + [...e.classList].join(".") : "";
                return `${e.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(right)} px)`;
            });
        }""",
        PHONE["width"],
    )
    return "; ".join(found)


# What a thumb taps in a page's content; links inside sentences are exempt (WCAG 2.5.8).
TAP_TARGETS = (
    "main button, main .button, main select, main .tabs a, main .pager a, "
    'main input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"])'
)
MIN_TAP_PX = 44


def _small_tap_targets(page: Page) -> list[str]:
    found: list[str] = page.evaluate(
        """([selector, minimum]) => [...document.querySelectorAll(selector)]
            .filter((e) => e.getClientRects().length > 0)
            .filter((e) => !e.closest(".visually-hidden, [hidden]"))
            .map((e) => [e, Math.round(e.getBoundingClientRect().height)])
            .filter(([e, height]) => height < minimum)
            .map(([e, height]) => {
                const name = (e.textContent || e.getAttribute("aria-label") || e.name || "")
                    .trim().replace(/\\s+/g, " ").slice(0, 40);
                return `${e.tagName.toLowerCase()} “${name}” (${height} px)`;
            })""",
        [TAP_TARGETS, MIN_TAP_PX],
    )
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_fits_a_phone_screen_with_big_enough_tap_targets(
    role: str, open_page: Callable[..., Page], watch: PageWatch, transactional_db: None
) -> None:
    demo.load_demo(people=DEMO_PEOPLE, seed=DEMO_SEED)
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_as(page, role)
    problems: list[str] = []
    for address in pages_of(role):
        response = page.goto(address)
        assert response is not None and response.ok, f"{address} answered {response}"
        width = _scroll_width(page)
        if width > PHONE["width"]:
            problems.append(f"{address} is {width} px wide: {_widest(page)}")
        small = _small_tap_targets(page)
        if small:
            problems.append(
                f"{address} has tap targets under {MIN_TAP_PX} px: {'; '.join(small[:5])}"
            )
        screenshot(page, shot_name(role, address, PHONE["width"]))
    assert not problems, f"pages hard to use on a phone for the demo {role}:\n" + "\n".join(
        problems
    )
    watch.assert_clean()
