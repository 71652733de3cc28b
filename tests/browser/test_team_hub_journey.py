"""Journey: a manager opens My team, sees that a report has had no 1:1 in 30 days, follows
the flag and sets up the 1:1 with that report already chosen; then follows the report's
"no feedback" flag, writes feedback, sees the coach suggest a change, edits and sends — and
the flag is gone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.feedback.models import Feedback
from tandem.meetings.models import Series
from tests.browser.conftest import PHONE, Org, open_nav, screenshot, sign_in

pytestmark = pytest.mark.browser

SPECIFIC = (
    "In Tuesday's release review you walked us through the rollback plan step by step, "
    "so the on-call team knew what to do before the release went out."
)


def test_a_manager_acts_on_the_hub_flags_with_a_one_on_one_and_coached_feedback(
    org: Org, open_page
) -> None:  # type: ignore[no-untyped-def]
    marta = org.managers[0]
    aiko = org.reports[marta.pk][0]
    page = open_page()
    sign_in(page, marta)

    open_nav(page, "My team")
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    row = page.get_by_role("row", name=re.compile("Aiko Tanaka"))
    flag = row.get_by_role("link", name=re.compile(r"No 1:1 in 30 days"))
    expect(flag).to_be_visible()
    screenshot(page, "team-hub")
    flag.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a 1:1")
    # The people picker shows the report by name and carries their id in its field.
    expect(page.get_by_role("combobox", name="Direct report")).to_have_value(aiko.display_name)
    expect(page.locator('[name="report"]')).to_have_value(str(aiko.pk))
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=10, minute=0)
    page.get_by_label("First meeting").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Start the 1:1").click()

    expect(page.get_by_text("Your 1:1 with Aiko Tanaka is set up")).to_be_visible()
    assert Series.objects.filter(manager=marta, report=aiko).count() == 1

    open_nav(page, "My team")
    row = page.get_by_role("row", name=re.compile("Aiko Tanaka"))
    expect(row).to_contain_text(re.compile(r"Next \d+ \w{3}"))

    row.get_by_role("link", name=re.compile(r"No feedback in 60 days")).click()
    expect(page.get_by_role("combobox", name="To")).to_have_value(aiko.display_name)
    panel = page.get_by_role("status", name="Writing suggestions")
    page.get_by_label("Your feedback").fill("Good job on the release, you always deliver.")
    expect(panel).to_contain_text("Vague")
    page.get_by_label("Your feedback").fill(SPECIFIC)
    expect(panel).to_contain_text("No suggestions.")
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(r"/feedback/\d+/$"))
    assert Feedback.objects.get(recipient=aiko).text == SPECIFIC

    open_nav(page, "My team")
    row = page.get_by_role("row", name=re.compile("Aiko Tanaka"))
    expect(row.get_by_role("link", name=re.compile(r"No feedback in 60 days"))).to_have_count(0)


def test_the_hub_fits_a_phone_without_scrolling_sideways(org: Org, open_page) -> None:  # type: ignore[no-untyped-def]
    marta = org.managers[0]
    page = open_page(viewport=PHONE)
    sign_in(page, marta)
    for path in ["/team/", f"/team/{org.reports[marta.pk][0].pk}/"]:
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at phone width"
        screenshot(page, "team-" + ("person" if path.count("/") > 2 else "hub") + "-phone")
