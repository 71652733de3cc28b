"""Journey: a new manager opens My team, follows the suggestion to "Running a first 1:1",
marks each step done, passes the quiz and sees the playbook completed — plain forms, the
keyboard for the quiz."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.coach.models import Playbook, PlaybookProgress
from tandem.coach.services import playbooks as services
from tests.browser import axe
from tests.browser.conftest import PHONE, Org, screenshot, sign_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def test_a_new_manager_follows_the_hub_to_the_first_one_on_one_playbook_and_completes_it(
    org: Org, open_page
) -> None:  # type: ignore[no-untyped-def]
    services.load_shipped()  # the transactional database starts empty
    manager = PersonFactory(first_name="Nia", last_name="Newmanager", manager=org.ceo)
    PersonFactory(manager=manager, start_date=timezone.localdate() - timedelta(days=10))
    playbook = Playbook.objects.get(slug="running-a-first-one-on-one")
    steps = list(playbook.steps.order_by("position"))
    questions = list(playbook.questions.order_by("position"))

    page = open_page()
    sign_in(page, manager)
    page.goto("/team/")
    hint = page.locator("[data-playbook-hint]")
    expect(hint).to_contain_text("Running a first 1:1")
    hint.get_by_role("link", name="Open the playbook").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Running a first 1:1")
    for step in steps:
        page.get_by_role("button", name=re.compile(rf"Mark done\W+{re.escape(step.title)}")).click()
        expect(page.locator(f"#step-{step.position}")).to_contain_text("Done")
    expect(page.locator("#playbook-state")).to_contain_text(
        f"{len(steps)} of {len(steps)} steps done"
    )

    # The quiz by keyboard: focus each right choice and select it with the space bar.
    for q in questions:
        group = page.get_by_role("group", name=re.compile(re.escape(q.prompt)))
        radio = group.get_by_role("radio", name=q.choices[q.answer])
        radio.focus()
        page.keyboard.press("Space")
        expect(radio).to_be_checked()
    page.get_by_role("button", name="Check my answers").click()

    expect(page.get_by_text("quiz passed")).to_be_visible()
    expect(page.locator("#playbook-state")).to_contain_text("Completed")
    screenshot(page, "playbook-completed")
    row = PlaybookProgress.objects.get(person=manager, playbook=playbook)
    assert row.completed_at is not None and row.quiz_passed

    page.goto("/coach/playbooks/")
    card = page.locator('[data-playbook="running-a-first-one-on-one"]')
    expect(card).to_contain_text("Completed")


def test_the_playbook_pages_have_no_accessibility_violations_and_fit_a_phone(
    org: Org, open_page
) -> None:  # type: ignore[no-untyped-def]
    axe.require_axe()
    services.load_shipped()
    page = open_page()
    sign_in(page, org.hr)
    found: list[str] = []
    for address in [
        "/coach/playbooks/",
        "/coach/playbooks/giving-feedback-sbi/",
        "/hr/coach/playbooks/",
        "/hr/coach/playbooks/giving-feedback-sbi/",
    ]:
        response = page.goto(address)
        assert response is not None and response.ok, address
        found += axe.describe(address, axe.violations(page))
        screenshot(page, "playbooks" + address.replace("/", "-").rstrip("-"))
    # The quiz with its feedback shown.
    page.goto("/coach/playbooks/giving-feedback-sbi/")
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text("Read the explanations and try again")).to_be_visible()
    found += axe.describe("quiz feedback", axe.violations(page))
    assert not found, "\n".join(found)

    phone = open_page(viewport=PHONE)
    sign_in(phone, org.hr)
    for address in ["/coach/playbooks/", "/coach/playbooks/giving-feedback-sbi/"]:
        phone.goto(address)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{address} scrolls sideways by {overflow}px at phone width"
