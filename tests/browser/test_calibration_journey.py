"""Journey: a facilitator opens a calibration session, drags a person to another box of the
9-box, cancels (nothing saved, and the page says so), drags again and gives the reason;
moves someone else with the keyboard form; HR locks the session after confirming. The
person's review then holds the rating of record; the fairness page shows the groups before
and after calibration; the manager shares the review and the person reads their final
rating, calibrated from 2 to 4 and why (the program says so). axe finds nothing wrong with
the pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tandem.access.models import Role
from tandem.calibration.models import Adjustment, Entry
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.program.models import Program
from tandem.reviews.models import CalibrationState
from tests.browser import axe
from tests.browser.conftest import PHONE, PageWatch, screenshot, sign_in, sign_out
from tests.calibration.helpers import make_company, session_of_all
from tests.factories import grant

pytestmark = pytest.mark.browser


def test_a_facilitator_moves_people_with_reasons_and_hr_locks(
    page: Page, transactional_db: None, watch: PageWatch
) -> None:
    axe.require_axe()
    company = make_company()
    session = session_of_all(company)
    abe = Entry.objects.get(session=session, participant__person=company.people["abe"])
    page.goto("/login/", timeout=60_000)  # the live server's first answer is slow on a busy machine
    sign_in(page, company.facilitator)
    page.goto(f"/calibration/sessions/{session.pk}/")
    expect(page.get_by_role("heading", name="Everyone")).to_be_visible()
    assert not axe.describe("session", axe.violations(page))

    # Potential first, with the keyboard form: Abe goes on the 9-box (rating 2 is the middle band).
    page.get_by_text("Move Abe Quintavo").click()
    row_form = page.locator(f"form[action='/calibration/entries/{abe.pk}/adjust']").first
    row_form.get_by_label("Potential").select_option("2")
    row_form.get_by_label("Why, in a word").select_option("evidence")
    row_form.get_by_label("Reason").fill("Took on the on-call rota redesign.")
    row_form.get_by_role("button", name="Save the move").click()
    expect(page.get_by_text("Moved Abe Quintavo; the reason is recorded.")).to_be_visible()

    # Drag Abe to high performance, high potential; cancel: nothing saved.
    person = page.locator(f".nine-box-person[data-entry='{abe.pk}']")
    target = page.locator(".nine-box-cell[data-band='3'][data-potential='3']")
    person.drag_to(target)
    dialog = page.locator("dialog[data-move-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Move Abe Quintavo")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Not moved: a move is saved only with a reason.")).to_be_attached()
    assert Adjustment.objects.filter(entry=abe, field="rating").count() == 0

    # Again, with a reason.
    person.drag_to(target)
    dialog.get_by_label("Rating").select_option("4")
    dialog.get_by_label("Why, in a word").select_option("consistency")
    dialog.get_by_label("Reason").fill("Matches the level of the other platform teams' fours.")
    screenshot(page, "calibration-move-dialog")
    dialog.get_by_role("button", name="Save the move").click()
    expect(page.get_by_text("Moved Abe Quintavo; the reason is recorded.")).to_be_visible()
    abe.refresh_from_db()
    assert (abe.rating, abe.potential) == (4, 3)
    expect(
        page.locator(".nine-box-cell[data-band='3'][data-potential='3']").get_by_text(
            "Abe Quintavo"
        )
    ).to_be_visible()
    screenshot(page, "calibration-session-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "calibration-session-phone")
    sign_out(page)

    sign_in(page, company.hr)
    page.goto(f"/calibration/sessions/{session.pk}/")
    page.get_by_role("link", name="Lock the ratings…").click()
    expect(page.get_by_text("1 changed from the manager's rating")).to_be_visible()
    assert not axe.describe("lock", axe.violations(page))
    page.get_by_role("button", name="Lock the ratings").click()
    expect(page.get_by_text("Locked. These ratings are now the ratings of record.")).to_be_visible()
    participant = company.participant("abe")
    assert participant.calibration_state == CalibrationState.LOCKED
    assert (participant.final_rating, participant.calibrated_from) == (4, 2)
    page.goto(f"/calibration/cycles/{company.cycle.pk}/")
    expect(page.get_by_role("link", name="Everyone")).to_be_visible()
    assert not axe.describe("cycle", axe.violations(page))
    screenshot(page, "calibration-cycle")

    # HR, with the people-analytics role, reads the groups before and after calibration.
    grant(company.hr, Role.PEOPLE_ANALYTICS)
    gender = ProtectedAttribute.objects.create(key="gender", label="Gender")
    for key, value in {"ada": "Woman", "abe": "Man", "bea": "Woman", "bo": "Man"}.items():
        PersonAttribute.objects.create(person=company.people[key], attribute=gender, value=value)
    page.goto(f"/hr/fairness/cycles/{company.cycle.pk}/")
    expect(page.get_by_role("columnheader", name="Before calibration")).to_be_visible()
    expect(page.get_by_role("columnheader", name="After calibration")).to_be_visible()
    assert not axe.describe("fairness", axe.violations(page))
    screenshot(page, "calibration-fairness")
    sign_out(page)

    # The manager shares Abe's review; Abe reads the rating of record and why it changed.
    program = Program.load()
    program.calibration_shown_to_employee = True
    program.save()
    abe_page = f"/reviews/participants/{participant.pk}/"
    sign_in(page, company.lead_a)
    page.goto(abe_page)
    page.get_by_role("button", name="Share with Abe Quintavo").click()
    expect(page.get_by_text("Shared with Abe Quintavo")).to_be_visible()
    sign_out(page)

    sign_in(page, company.people["abe"])
    page.goto(abe_page)
    rating = page.get_by_role("region", name="Your rating")
    expect(rating).to_contain_text("4")
    expect(page.locator("[data-calibrated-from='2']")).to_be_visible()
    assert not axe.describe("final rating", axe.violations(page))
    screenshot(page, "calibration-final-rating")
    watch.assert_clean()
