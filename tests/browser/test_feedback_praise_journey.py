"""Journey: give praise tagged with a company value; it shows on the feed, under the value,
and the recipient can react to it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tandem.org.models import CompanyValue
from tests.browser.conftest import Org, PageWatch, sign_in

pytestmark = pytest.mark.browser


def test_praise_with_a_value_shows_on_the_feed(page: Page, org: Org, watch: PageWatch) -> None:
    CompanyValue.objects.create(name="Customers first", position=0)
    CompanyValue.objects.create(name="Own the outcome", position=1)
    marta = org.managers[0]
    aiko = org.reports[marta.pk][0]
    sign_in(page, marta)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Praise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Praise")
    page.get_by_role("link", name="Praise a colleague").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Give feedback")

    # Naming the recipient re-renders "who will read this" with their name (htmx).
    page.get_by_role("combobox", name="To").fill(aiko.email)
    page.get_by_role("combobox", name="To").press("Tab")
    audience = page.locator("#audience")
    expect(audience).to_contain_text(f"on {aiko.display_name}'s profile")
    page.get_by_label("The recipient and their manager").check()
    expect(audience).to_contain_text(f"their manager, {marta.display_name}, will read this")
    page.get_by_label("Everyone: public praise on the company feed").check()
    expect(audience).to_contain_text("praise feed")

    page.get_by_label("Your feedback").fill("You turned the outage into a calm, clear update.")
    page.get_by_label("Customers first").check()
    page.get_by_role("button", name="Send").click()

    expect(page).to_have_url(re.compile(r"/praise/$"))
    item = page.get_by_role("article").filter(has_text="calm, clear update")
    expect(item).to_be_visible()
    expect(item.get_by_role("link", name="Customers first")).to_be_visible()
    expect(item.get_by_role("link", name=aiko.display_name)).to_be_visible()

    # Under the value: who lived it this month.
    item.get_by_role("link", name="Customers first").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who lived “Customers first” this month"
    )
    expect(page.get_by_role("region", name=re.compile("Praised for it"))).to_contain_text(
        aiko.display_name
    )

    # A reaction, through htmx, without leaving the page.
    applause = page.get_by_role("button", name="Applause")
    applause.click()
    expect(page.get_by_role("button", name="Applause: 1")).to_have_attribute("aria-pressed", "true")
    watch.assert_clean()
