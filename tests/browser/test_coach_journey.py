"""Journey: a manager writes biased, vague feedback; the coach's panel suggests changes as
they type; they edit the text, the suggestions go, they send — and HR's page counts that
the writer changed the text after the suggestions (no text kept)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tandem.coach.models import CoachTally
from tandem.feedback.models import Feedback
from tandem.feedback.services import give_feedback
from tandem.reviews.models import Relationship
from tandem.reviews.versions import questions
from tests.browser.conftest import Org, PageWatch, sign_in
from tests.reviews.factories import review_of, running_cycle

pytestmark = pytest.mark.browser

BIASED = "She is too emotional and abrasive. Good job I guess."
BETTER = (
    "In Tuesday's demo you walked the client through the failure cases, "
    "so they signed the same day."
)


def test_the_coach_suggests_changes_as_the_manager_types_and_never_blocks(
    page: Page, org: Org, watch: PageWatch
) -> None:
    marta = org.managers[0]
    aiko = org.reports[marta.pk][0]
    sign_in(page, marta)
    page.goto("/feedback/give/")
    panel = page.get_by_role("status", name="Writing suggestions")
    expect(panel).to_contain_text("Suggestions appear here as you write")

    to = page.get_by_role("combobox", name="To")
    to.press_sequentially(aiko.first_name[:3])
    expect(page.get_by_role("option", name=re.compile(aiko.display_name))).to_be_visible()
    to.press("ArrowDown")
    to.press("Enter")
    expect(to).to_have_value(aiko.display_name)
    page.get_by_label("Your feedback").fill(BIASED)
    expect(panel).to_contain_text("4 suggestions")
    expect(panel).to_contain_text("Personality, not behaviour")
    expect(panel.locator("q", has_text="abrasive")).to_be_visible()
    expect(panel).to_contain_text("Sarcasm")
    expect(page.get_by_role("button", name="Send")).to_be_enabled()

    page.get_by_label("Your feedback").fill(BETTER)
    expect(panel).to_contain_text("No suggestions.")
    page.get_by_role("button", name="Send").click()

    expect(page).to_have_url(re.compile(r"/feedback/\d+/$"))
    assert Feedback.objects.get().text == BETTER
    changed = {t.rule: (t.fired, t.changed) for t in CoachTally.objects.all()}
    assert changed == {"personality": (1, 1), "vague": (1, 1), "sarcasm": (1, 1)}

    watch.assert_clean()


def test_the_panel_fits_a_phone(open_page, org: Org) -> None:  # type: ignore[no-untyped-def]
    page = open_page(viewport={"width": 390, "height": 844})
    sign_in(page, org.managers[0])
    page.goto("/feedback/give/")
    page.get_by_label("Your feedback").fill(BIASED + " " + "x" * 300)
    expect(page.get_by_role("status", name="Writing suggestions")).to_contain_text("suggestions")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_a_review_answer_gets_review_checks_as_the_rating_changes(
    page: Page, org: Org, watch: PageWatch
) -> None:
    marta = org.managers[0]
    aiko = org.reports[marta.pk][0]
    cycle = running_cycle([aiko])
    give_feedback(
        by=org.hr,
        recipient=aiko,
        text="Your outage update was calm and clear.",
        visibility="public",
    )
    review = review_of(cycle, aiko, Relationship.MANAGER)
    question = next(q for q in questions(review.template_version.content) if q["kind"] == "rating")
    lowest = question["scale"]["points"][0]
    sign_in(page, marta)
    page.goto(f"/reviews/{review.pk}/")
    comment = page.locator(f"#{question['key']}-comment")
    # An empty comment waits behind "Add a comment" (the compact form).
    comment.locator("xpath=ancestor::details[1]/summary").click()
    comment.fill("Did not meet what the role needs from her this year.")
    panel = page.locator(f"#coach-{question['key']}-comment")
    # In a review the panel speaks only when it has something to say.
    page.wait_for_load_state("networkidle")
    expect(panel).not_to_contain_text("suggestion")
    page.locator(f"#{question['key']}-rating-{lowest['value']}").check()
    expect(panel).to_contain_text("Rating far from the evidence")
    watch.assert_clean()
