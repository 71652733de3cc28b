"""Journey: an HR admin previews what a person sees ("view as"), sees the banner, and
cannot submit anything."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tandem.audit.models import AuditEvent
from tandem.reviews.models import CycleForm, Relationship
from tests.browser.conftest import Org, PageWatch, sign_in
from tests.reviews.factories import CycleFactory, template_with_questions

pytestmark = pytest.mark.browser


def test_hr_previews_a_person_sees_the_banner_and_cannot_submit(
    page: Page, org: Org, watch: PageWatch
) -> None:
    draft = CycleFactory(name="Spring review")
    CycleForm.objects.create(
        cycle=draft,
        relationship=Relationship.SELF,
        template=template_with_questions(Relationship.SELF),
    )
    aiko = org.reports[org.managers[0].pk][0]
    sign_in(page, org.hr)

    # From the person's profile.
    page.goto(f"/people/{aiko.pk}/")
    page.get_by_role("link", name=f"Preview as {aiko.display_name}").click()
    banner = page.get_by_role("note")
    expect(banner).to_contain_text(
        f"Preview as {aiko.display_name} (employee) — nothing you do here is saved"
    )
    expect(page.locator(".preview-frame").get_by_role("heading", level=1)).to_have_text(
        "Welcome, Aiko"
    )

    # The self review of the draft cycle: every control is disabled.
    page.get_by_role("navigation", name="Pages to preview").get_by_role(
        "link", name="Self review"
    ).click()
    frame = page.locator(".preview-frame")
    expect(frame.get_by_role("heading", level=1)).to_have_text(
        f"Self review of {aiko.display_name}"
    )
    expect(frame.get_by_text("Who reads this:")).to_be_visible()
    expect(frame.locator("textarea").first).to_be_disabled()
    expect(frame.get_by_role("button", name="Submit…")).to_be_disabled()
    expect(frame.get_by_role("button", name="Save draft")).to_be_disabled()

    # The picker: a role, then a page.
    page.goto("/hr/view-as/")
    page.get_by_label("A manager").check()
    page.get_by_label("Page").select_option("program")
    page.get_by_role("button", name="Preview").click()
    expect(page).to_have_url(re.compile(r"/hr/view-as/\d+/program/$"))
    expect(page.get_by_role("note")).to_contain_text("(manager) — nothing you do here is saved")

    assert AuditEvent.objects.filter(kind="people.view_as", actor=org.hr).count() == 3
    watch.assert_clean()
