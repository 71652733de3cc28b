"""Journeys through a review cycle, one browser per person: HR launches the cycle, the
employee writes a self review and nominates a peer, the manager approves, the peer writes,
the manager writes with the evidence panel open and shares, the employee acknowledges.
And two tabs saving the same draft: the second gets the conflict message, not a silent
overwrite."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tandem.reviews.models import Relationship
from tandem.reviews.services.writing import CONFLICT_MESSAGE
from tests.browser.conftest import Org, PageWatch, sign_in
from tests.browser.reviews_steps import (
    FEEDBACK_TEXT,
    GOAL_TITLE,
    draft_cycle,
    evidence_about,
    open_nav,
    open_review_to_write,
    submit_review,
    wait_for_autosave,
    write,
)
from tests.reviews.factories import review_of, running_cycle

pytestmark = pytest.mark.browser


def _launch(page: Page, cycle_name: str) -> None:
    open_nav(page, "Review cycles")
    page.get_by_role("link", name=cycle_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(cycle_name)
    progress = page.get_by_role("status").filter(has_text=re.compile("launched", re.IGNORECASE))
    expect(progress).to_contain_text("Not launched yet")
    page.get_by_role("link", name="Review and launch…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Launch “{cycle_name}”?")
    page.get_by_role("button", name=re.compile(r"^Launch and tell \d+ (person|people)$")).click()
    expect(progress).to_contain_text("Launched on")
    expect(page.get_by_role("heading", level=1)).to_contain_text("In progress")


def _open_waiting(page: Page, title: str) -> None:
    """From the home page's "Things waiting for you"."""
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"^Things waiting for you")).click()
    page.get_by_role("link", name=re.compile(re.escape(title))).click()


def test_a_review_cycle_from_launch_to_acknowledgement(
    org: Org, open_page: Callable[..., Page]
) -> None:
    marta = org.managers[0]
    aiko, bram, chidi = org.reports[marta.pk]
    cycle = draft_cycle(org.hr, aiko)
    evidence_about(aiko, feedback_from=chidi)

    # 1. HR launches the cycle and watches the progress display turn into "launched".
    hr = open_page()
    sign_in(hr, org.hr)
    _launch(hr, cycle.name)

    # 2. The employee writes and submits the self review, then proposes a peer.
    employee = open_page()
    sign_in(employee, aiko)
    open_review_to_write(employee, "You", "Self review")
    write(employee, rating="4 · Above expectations", text="I moved billing to the new ledger.")
    wait_for_autosave(employee)
    submit_review(employee)

    _open_waiting(employee, "Choose the colleagues who will review you")
    expect(employee.get_by_role("heading", level=1)).to_have_text("Your peer reviewers")
    employee.get_by_label("Find a colleague by name or e-mail").fill("Bram")
    employee.get_by_label(re.compile(r"^Bram de Vries")).check()
    employee.get_by_role("button", name="Propose these peers").click()
    expect(
        employee.get_by_text("Your peers are proposed; your manager approves them.")
    ).to_be_visible()
    expect(employee.get_by_label(re.compile(r"^Bram de Vries"))).to_be_checked()
    expect(
        employee.get_by_text("Waiting for Marta Lindqvist to approve: Bram de Vries.")
    ).to_be_visible()

    # 3. The manager approves the proposal.
    manager = open_page()
    sign_in(manager, marta)
    open_nav(manager, "Reviews")
    manager.get_by_role("link", name="Peers waiting for your approval").click()
    manager.get_by_role("link", name="Review the peers of Aiko Tanaka").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Peer reviewers for Aiko Tanaka")
    manager.get_by_role("button", name="Approve as proposed").click()
    expect(manager.get_by_text("Approved 1 peer;")).to_be_visible()
    approved = manager.get_by_role("region", name="Approved")
    expect(approved.get_by_role("row", name=re.compile(r"Bram de Vries"))).to_be_visible()

    # 4. The peer writes the peer review.
    peer = open_page()
    sign_in(peer, bram)
    open_review_to_write(peer, "Aiko Tanaka", "Peer review")
    # Submitting straight after typing: the Submit… button saves what is typed.
    write(peer, rating="5 · Far above expectations", text="Aiko unblocked our team twice.")
    submit_review(peer)

    # 5. The manager reads the evidence and the other reviews, writes, submits and shares.
    open_review_to_write(manager, "Aiko Tanaka", "Manager review")
    panel = manager.get_by_role("region", name="Evidence from the review period")
    expect(panel.get_by_role("link", name=GOAL_TITLE)).to_be_visible()
    expect(panel).to_contain_text(FEEDBACK_TEXT)
    others = manager.get_by_role("region", name="What others wrote about Aiko Tanaka")
    for author, said in [
        ("Self review by Aiko Tanaka", "I moved billing to the new ledger."),
        ("Peer review by Bram de Vries", "Aiko unblocked our team twice."),
    ]:
        others.locator("summary").filter(has_text=author).click()
        expect(others.get_by_role("article", name=author)).to_contain_text(said)
    write(manager, rating="4 · Above expectations", text="A steady, generous year. Keep it up.")
    submit_review(manager)
    manager.get_by_role("link", name="All reviews of Aiko Tanaka").click()
    manager.get_by_role("button", name="Share with Aiko Tanaka").click()
    expect(manager.get_by_text("Shared with Aiko Tanaka")).to_be_visible()

    # 6. The employee reads the shared review and acknowledges it with a comment.
    open_nav(employee, "Reviews")
    about_me = employee.get_by_role("region", name="Reviews about you")
    expect(about_me).to_contain_text("Your review has been shared with you")
    about_me.get_by_role("link", name="Read your review").click()
    expect(employee.get_by_role("heading", level=1)).to_have_text("Your reviews in Spring review")
    manager_review = employee.get_by_role("article", name="Manager review by Marta Lindqvist")
    expect(manager_review).to_contain_text("A steady, generous year. Keep it up.")
    expect(employee.get_by_text(re.compile(r"^Manager review: Shared"))).to_be_visible()
    # Peers are anonymous to Aiko: a lone peer answer, in a phase still open, is not shown to
    # her at all (docs/anonymity.md) — and no peer's name or "Peer 1" label either.
    expect(employee.get_by_text("Aiko unblocked our team twice.")).to_have_count(0)
    expect(employee.get_by_text("Peer 1")).to_have_count(0)
    expect(employee.get_by_text("Bram de Vries")).to_have_count(0)
    employee.get_by_label("Your comment (optional)").fill("Thank you, agreed on the next steps.")
    employee.get_by_role("button", name="Acknowledge").click()
    expect(employee.get_by_text("Acknowledged. Your manager hears of it.")).to_be_visible()
    expect(employee.get_by_text(re.compile(r"^Manager review: Acknowledged"))).to_be_visible()
    expect(employee.get_by_role("region", name="Your comment")).to_contain_text(
        "Thank you, agreed on the next steps."
    )


def _second_tab(page: Page, watch: PageWatch) -> Page:
    """Another tab of the same browser (same session), watched like the first."""
    tab = page.context.new_page()
    tab.on("console", lambda message: watch.on_console(tab, message))
    tab.on("pageerror", lambda error: watch.on_page_error(tab, error))
    tab.on("response", watch.on_response)
    return tab


def test_two_tabs_saving_the_same_review_get_a_conflict_not_an_overwrite(
    org: Org, open_page: Callable[..., Page], watch: PageWatch
) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    cycle = running_cycle([aiko])
    first = open_page()
    sign_in(first, aiko)
    open_review_to_write(first, "You", "Self review")
    second = _second_tab(first, watch)
    second.goto(first.url)
    expect(second.get_by_role("heading", level=1)).to_have_text("Self review of Aiko Tanaka")

    first.get_by_label("Your answer").fill("Written in the first tab.")
    wait_for_autosave(first)
    second.get_by_label("Your answer").fill("Written in the second tab.")

    status = second.locator("#save-status")
    expect(status).to_have_text(CONFLICT_MESSAGE)
    expect(second.get_by_label("Your answer")).to_have_value("Written in the second tab.")
    review = review_of(cycle, aiko, Relationship.SELF)
    kept = [answer.get("comment") for answer in review.answers.values()]
    assert "Written in the first tab." in kept
    assert "Written in the second tab." not in kept
