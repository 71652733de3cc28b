"""Steps of the review journeys: what HR prepares before launching (through the services,
as the setup pages would), the evidence about the reviewee, and the few gestures every
reviewer repeats (open a review from "Reviews", rate, write, wait for the autosave,
submit)."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.org.models import Person
from tandem.reviews.models import (
    PHASE_ORDER,
    Cycle,
    PhaseKind,
    QuestionKind,
    Relationship,
    Template,
    TemplateQuestion,
    TemplateSection,
)
from tandem.reviews.services import cycles
from tests.browser.conftest import open_nav
from tests.feedback.factories import FeedbackFactory
from tests.goals.factories import GoalFactory, PeriodFactory
from tests.reviews.factories import RatingScaleFactory

PROMPTS = {
    Relationship.SELF: ("How did your period go overall?", "What are you proudest of?"),
    Relationship.MANAGER: ("Overall performance", "What should they keep doing and change?"),
    Relationship.PEER: ("How was working with them?", "One thing they could do differently"),
}
GOAL_TITLE = "Move billing to the new ledger"
FEEDBACK_TEXT = "Your migration runbook saved the on-call team a weekend."


def _template(relationship: str) -> Template:
    """One section: an overall rating (no comment box) and a free-text answer."""
    rating_prompt, text_prompt = PROMPTS[relationship]  # type: ignore[index]
    template = Template.objects.create(
        name=f"{Relationship(relationship).label} template", relationship=relationship
    )
    section = TemplateSection.objects.create(template=template, position=0, title="The period")
    TemplateQuestion.objects.create(
        section=section,
        position=0,
        kind=QuestionKind.RATING,
        prompt=rating_prompt,
        scale=RatingScaleFactory(),
        allow_comment=False,
        is_overall=True,
    )
    TemplateQuestion.objects.create(
        section=section, position=1, kind=QuestionKind.TEXT, prompt=text_prompt
    )
    return template


def draft_cycle(hr: Person, reviewee: Person) -> Cycle:
    """A draft ready to launch, with every phase open from yesterday for two weeks so one
    journey runs them all; peer names hidden from the reviewee (not from the manager).

    "Today" is the reviewee's: evidence is counted up to the period's last day in the
    reader's time zone, and late in the UTC evening that day is already over there."""
    today = timezone.localdate(timezone.now(), ZoneInfo(reviewee.time_zone))
    cycle = cycles.create_cycle(
        by=hr,
        name="Spring review",
        period_start=today - timedelta(days=180),
        period_end=today,
        peers_min=1,
        peers_max=3,
        peers_anonymous_to_reviewee=True,
        reviewee_sees_peer_reviews=True,
    )
    cycles.set_forms(
        cycle,
        by=hr,
        forms={
            r: _template(r) for r in (Relationship.SELF, Relationship.MANAGER, Relationship.PEER)
        },
    )
    window = (today - timedelta(days=1), today + timedelta(days=14))
    cycles.set_phases(
        cycle, by=hr, dates={k: window for k in PHASE_ORDER if k != PhaseKind.CALIBRATION}
    )
    cycles.set_participant_rules(cycle, by=hr, additions=[reviewee])
    return cycle


def evidence_about(person: Person, *, feedback_from: Person) -> None:
    """A goal this quarter and feedback their manager may read, both in the review period."""
    GoalFactory(owner=person, title=GOAL_TITLE, period=PeriodFactory())
    FeedbackFactory(
        giver=feedback_from, recipient=person, visibility="with_manager", text=FEEDBACK_TEXT
    )


def open_review_to_write(page: Page, about: str, relationship: str) -> None:
    """From "Reviews": the row of the review to write, by whom it is about."""
    open_nav(page, "Reviews")
    expect(page.get_by_role("heading", level=1)).to_have_text("My reviews")
    to_write = page.get_by_role("region", name="To do")
    row = to_write.get_by_role("row").filter(has_text=relationship)
    row.get_by_role("link", name=about, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(f"^{relationship} of "))


def write(page: Page, *, rating: str, text: str) -> None:
    form = page.locator("#review-form")
    form.get_by_label(rating).check()
    form.get_by_label("Your answer").fill(text)


def wait_for_autosave(page: Page) -> None:
    # The autosave line; the coach panels beside the answers are live regions too.
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved"))


def submit_review(page: Page) -> None:
    """Submit… saves what is typed (autosaved or not) and asks to confirm."""
    page.get_by_role("button", name="Submit…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Submit your "))
    page.get_by_role("button", name="Submit the review").click()
    expect(page.get_by_text("Submitted. It can no longer be changed")).to_be_visible()
    expect(page.locator(".page-head .pill")).to_have_text("Submitted")
