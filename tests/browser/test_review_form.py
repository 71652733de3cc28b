"""The compact review form, measured in a real browser: a manager review shaped like the
demo company's (its template, scales, competencies and company values; four goals with
check-ins; feedback; a submitted self review; answered the way the demo's reviewers
answer) must stay under 3,400 px at 1,280 px wide and 6,000 px on a phone,
never scroll sideways, and on a phone open its evidence as a drawer.

Screenshots land in var/screenshots/ (review-form-desktop, review-form-phone,
review-form-drawer)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.access.rules import SYSTEM
from tandem.goals.models import CheckIn, Health
from tandem.growth.demo.frameworks_content import TRACKS
from tandem.growth.framework_files import as_data, parse
from tandem.growth.models import Level, Placement
from tandem.growth.services.frameworks import import_frameworks
from tandem.org.demo import COMPANY_VALUES
from tandem.org.models import Person
from tandem.reviews import framework, versions
from tandem.reviews.answers import goal_key
from tandem.reviews.demo import demo_template
from tandem.reviews.models import (
    CycleForm,
    CycleStatus,
    QuestionKind,
    Relationship,
    Review,
    ReviewState,
    Template,
)
from tests.browser.conftest import DESKTOP, PHONE, Org, PageWatch, screenshot, sign_in
from tests.feedback.factories import CompanyValueFactory, FeedbackFactory
from tests.goals.factories import GoalFactory, PeriodFactory
from tests.reviews.factories import CycleFactory, add_participant, add_review, open_phases

pytestmark = pytest.mark.browser

# 3,000 px was set when the demo's competency question listed 4 competencies; it now rates
# the reviewee's own framework level (10 at Engineering IC3), each a ~60 px row at this
# width: 6 more rows, +360 px, and nothing else grew. The phone keeps its 6,000 px.
DESKTOP_BUDGET_PX = 3400
PHONE_BUDGET_PX = 6000
GOALS = (
    ("Move billing to the new ledger", Decimal("0.8"), Health.ON_TRACK),
    ("Cut p95 checkout latency below 300 ms", Decimal("0.55"), Health.AT_RISK),
    ("Retire the legacy invoicing cron jobs", Decimal("1"), Health.ON_TRACK),
    ("Mentor two new engineers through on-call", Decimal("0.4"), Health.OFF_TRACK),
)
COMMENT = (
    "Delivered what was planned and said early when scope moved; the runbook and the "
    "weekly notes made the work easy to follow for the rest of the team."
)
ANSWER = (
    "Aiko carried the billing migration from design to cut-over, kept finance informed "
    "every week and left the team with a runbook others now copy. She also took on "
    "mentoring without being asked, which shows in how the two new engineers ship."
)


def _answers(review: Review, goal_keys: list[str]) -> dict[str, Any]:
    """Answered the way the demo's reviewers answer (`reviews.demo`): every question and
    item rated, every text written, the overall rating and half the goals commented on,
    one competency in ten."""
    answers: dict[str, Any] = {}
    # Competency questions list the reviewee's own framework competencies.
    for section in framework.content_of(review)["sections"]:
        for question in section["questions"]:
            kind = question["kind"]
            if kind == QuestionKind.TEXT:
                answers[question["key"]] = {"comment": ANSWER}
            elif kind == QuestionKind.RATING:
                answers[question["key"]] = {"rating": 4, "comment": COMMENT}
            else:
                keys = (
                    goal_keys
                    if kind == QuestionKind.GOALS
                    else [item["key"] for item in question["items"]]
                )
                every = 2 if kind == QuestionKind.GOALS else 10
                answers[question["key"]] = {
                    "comment": "",
                    "items": {
                        key: {"rating": 3, "comment": COMMENT if n % every == 0 else ""}
                        for n, key in enumerate(keys)
                    },
                }
    return answers


def _manager_review(org: Org) -> tuple[Person, Review]:
    marta = org.managers[0]
    aiko, bram = org.reports[marta.pk][:2]
    for position, (value, text) in enumerate(COMPANY_VALUES):
        CompanyValueFactory(name=value, description=text, position=position)
    period = PeriodFactory()
    goal_keys = []
    for title, progress, health in GOALS:
        goal = GoalFactory(owner=aiko, title=title, period=period, progress=progress, health=health)
        goal_keys.append(goal_key(goal.pk))
        for weeks in (1, 3):
            CheckIn.objects.create(
                goal=goal,
                author=aiko,
                created_at=timezone.now() - timedelta(weeks=weeks),
                health=health,
                confidence=3,
                progress=progress,
                note="Cut-over rehearsed with finance; two reconciliation gaps left.",
            )
    for giver in (bram, org.reports[marta.pk][2], org.managers[1]):
        FeedbackFactory(
            giver=giver,
            recipient=aiko,
            visibility="with_manager",
            text="Your migration runbook saved the on-call team a weekend; thank you.",
        )
    cycle = CycleFactory(status=CycleStatus.ACTIVE, launched_at=timezone.now(), name="2026 review")
    manager_template = demo_template(Relationship.MANAGER)
    CycleForm.objects.create(
        cycle=cycle,
        relationship=Relationship.MANAGER,
        template=manager_template,
        version=versions.freeze(manager_template),
    )
    self_template = Template.objects.create(name="Self review", relationship=Relationship.SELF)
    CycleForm.objects.create(
        cycle=cycle,
        relationship=Relationship.SELF,
        template=self_template,
        version=versions.freeze(self_template),
    )
    open_phases(cycle)
    # Placed like the demo's engineers: the competency question rates their track's.
    import_frameworks(by=SYSTEM, tracks=parse(json.dumps(as_data(TRACKS)), "json"), audited=False)
    level = Level.objects.select_related("track").get(track__key="engineering-ic", code="IC3")
    Placement.objects.create(person=aiko, track=level.track, level=level, since=date(2025, 1, 1))
    participant = add_participant(cycle, aiko)
    framework.snapshot_participants(cycle.pk, [aiko.pk])
    participant.refresh_from_db()
    own = add_review(participant, aiko, Relationship.SELF)
    Review.objects.filter(pk=own.pk).update(
        state=ReviewState.SUBMITTED, submitted_at=timezone.now()
    )
    review = add_review(participant, marta, Relationship.MANAGER)
    review.answers = _answers(review, goal_keys)
    review.save(update_fields=["answers"])
    return marta, review


def _height(page: Page) -> int:
    return int(page.evaluate("() => document.documentElement.scrollHeight"))


def _fits_the_width(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the review form scrolls sideways: {widths}"


def _open_review(page: Page, person: Person, review: Review) -> None:
    sign_in(page, person)
    page.goto(f"/reviews/{review.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Manager review of {review.reviewee.display_name}"
    )


def test_the_demo_manager_review_fits_3400_px_at_desktop_width(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    marta, review = _manager_review(org)
    page = open_page(viewport=DESKTOP)
    _open_review(page, marta, review)
    panel = page.get_by_role("region", name="Evidence from the review period")
    expect(panel.get_by_role("link", name=GOALS[0][0], exact=True)).to_be_visible()
    height = _height(page)
    screenshot(page, "review-form-desktop")
    print(f"manager review at 1280 px: {height} px")
    assert height <= DESKTOP_BUDGET_PX, f"the manager review is {height} px tall at 1280 px"
    watch.assert_clean()


def test_the_evidence_panel_stays_beside_the_form_while_scrolling(
    open_page: Callable[..., Page], org: Org
) -> None:
    marta, review = _manager_review(org)
    page = open_page(viewport=DESKTOP)
    _open_review(page, marta, review)
    page.evaluate(
        "() => window.scrollTo(0, document.getElementById('section-2-h').offsetTop + 300)"
    )
    expect(page.get_by_role("heading", name="How they work")).not_to_be_in_viewport()
    bar = page.get_by_role("banner").bounding_box()
    box = page.locator("#evidence-panel").bounding_box()
    assert bar is not None and box is not None
    below_the_bar = bar["y"] + bar["height"]
    assert below_the_bar <= box["y"] <= below_the_bar + 20, f"the panel moved: {box}, {bar}"


def test_the_demo_manager_review_fits_6000_px_on_a_phone_with_tappable_choices(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    marta, review = _manager_review(org)
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _open_review(page, marta, review)
    expect(page.get_by_role("button", name="Evidence")).to_be_visible()
    height = _height(page)
    _fits_the_width(page)
    smallest = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('.scale-choice')]"
        ".map(e => Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height)))"
    )
    assert smallest >= 44, f"a rating choice is {smallest} px: too small to tap"
    screenshot(page, "review-form-phone")
    print(f"manager review at 390 px: {height} px")
    assert height <= PHONE_BUDGET_PX, f"the manager review is {height} px tall at 390 px"
    watch.assert_clean()


def test_the_evidence_drawer_opens_and_closes_on_a_phone(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    marta, review = _manager_review(org)
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _open_review(page, marta, review)
    toggle = page.get_by_role("button", name="Evidence")
    expect(page.get_by_role("link", name=GOALS[0][0], exact=True)).to_be_hidden()

    toggle.tap()
    drawer = page.get_by_role("dialog", name="Evidence from the review period")
    expect(drawer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(drawer.get_by_role("button", name="Close")).to_be_focused()
    expect(drawer.get_by_role("link", name=GOALS[0][0], exact=True)).to_be_visible()
    _fits_the_width(page)
    screenshot(page, "review-form-drawer")

    drawer.get_by_role("button", name="Close").tap()
    expect(drawer).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()

    toggle.press("Enter")
    expect(drawer).to_be_visible()
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(toggle).to_be_focused()
    watch.assert_clean()


def test_arrow_keys_move_the_rating_and_the_line_under_it_explains_the_choice(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    marta, review = _manager_review(org)
    page = open_page(viewport=DESKTOP)
    _open_review(page, marta, review)
    overall = page.get_by_role("radiogroup", name="Rating: Overall rating")
    chosen = overall.get_by_role("radio", name="4 · Exceeding expectations")
    expect(chosen).to_be_checked()
    chosen.focus()
    page.keyboard.press("ArrowRight")
    expect(overall.get_by_role("radio", name="5 · Outstanding")).to_be_checked()
    expect(overall).to_have_accessible_description(
        "5 · Outstanding: Exceptional results and a model for others; rare by design."
    )
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved"))
    watch.assert_clean()


def test_a_section_explains_its_ratings_once(
    open_page: Callable[..., Page], org: Org, watch: PageWatch
) -> None:
    marta, review = _manager_review(org)
    page = open_page(viewport=DESKTOP)
    _open_review(page, marta, review)
    results = page.get_by_role("region", name="Results")
    meaning = results.locator("details.ratings-meaning")
    expect(meaning).to_have_count(1)
    expect(results.get_by_text("Regularly goes beyond the role")).to_be_hidden()
    meaning.locator("summary").click()
    expect(results.get_by_text("Regularly goes beyond the role")).to_be_visible()
    watch.assert_clean()
