"""Accessibility kept (issue 12): axe-core finds no violation — WCAG 2.1 A/AA and best
practices — on the main pages of every demo role, at desktop width.

Each role's pages are saved as screenshots at 1,280 px under var/screenshots/ (the phone
ones at 390 px come from test_phone.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tandem.org import demo
from tests.browser import axe
from tests.browser.conftest import DESKTOP, Org, PageWatch, screenshot, sign_in
from tests.browser.demo_pages import pages_of, shot_name, sign_in_as
from tests.site.demo_walk import DEMO_PEOPLE, DEMO_SEED, ROLES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ROLES)
def test_the_main_pages_have_no_accessibility_violations(
    role: str, open_page: Callable[..., Page], watch: PageWatch, transactional_db: None
) -> None:
    axe.require_axe()
    demo.load_demo(people=DEMO_PEOPLE, seed=DEMO_SEED)
    page = open_page(viewport=DESKTOP)
    sign_in_as(page, role)
    found: list[str] = []
    for address in pages_of(role):
        response = page.goto(address)
        assert response is not None and response.ok, f"{address} answered {response}"
        found += axe.describe(address, axe.violations(page))
        screenshot(page, shot_name(role, address, DESKTOP["width"]))
    assert not found, f"axe finds violations for the demo {role}:\n" + "\n".join(found)
    watch.assert_clean()


def test_the_check_reports_a_violation_with_its_rule_and_place(
    open_page: Callable[..., Page], org: Org
) -> None:
    """axe really runs under Tandem's CSP: a control without a label is reported."""
    axe.require_axe()
    page = open_page(viewport=DESKTOP)
    sign_in(page, org.ceo)
    page.evaluate(
        """() => {
            const field = document.createElement("input");
            field.id = "unlabelled-field";
            document.querySelector("main").append(field);
        }"""
    )
    found = axe.describe(page.url, axe.violations(page))
    assert any("label (critical)" in line and "#unlabelled-field" in line for line in found), found
