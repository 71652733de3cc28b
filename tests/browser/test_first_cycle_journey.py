"""Journey: from an empty installation to a launched review cycle (issue 16, item 7).

A fresh database with one HR admin made by `tandem createadmin`; the admin signs in,
imports 40 people from a CSV file made here, applies a preset, creates a cycle from the
program with the starter kit, and launches it. Every click and every typed field is
counted through `Steps`, and the journey must stay within 20 clicks and 10 typed fields
(docs/reviews.md records the numbers and the time).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from playwright.sync_api import FilePayload, Locator, Page, expect

from tandem.org.models import Person
from tandem.reviews.models import Cycle, CycleStatus
from tests.browser import axe
from tests.browser.conftest import PageWatch
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PEOPLE = 40
MAX_CLICKS = 20
MAX_TYPED = 10


@dataclass
class Steps:
    """What the person does, counted: each click (a file chosen counts as one) and each
    field typed into; and what axe-core finds on the new pages (where it is installed:
    test_accessibility.py says so when it is not)."""

    clicks: int = 0
    typed: int = 0
    violations: list[str] = field(default_factory=list)
    checking: float = 0.0  # seconds spent in axe, left out of the journey's time

    def check_accessibility(self, page: Page) -> None:
        if axe.AXE.exists():
            began = time.monotonic()
            self.violations += axe.describe(page.url, axe.violations(page))
            self.checking += time.monotonic() - began

    def click(self, target: Locator) -> None:
        self.clicks += 1
        target.click()

    def type(self, field: Locator, text: str) -> None:
        self.typed += 1
        field.fill(text)

    def choose_file(self, field: Locator, payload: FilePayload) -> None:
        self.clicks += 1
        field.set_input_files(payload)


def _people_csv() -> FilePayload:
    """A CEO, four managers under them and 35 people under the managers."""
    rows = ["employee_id,email,first_name,last_name,title,department,manager_email"]
    rows.append("E-1,ceo@example.com,Carmen,Reyes,Chief Executive,,")
    departments = ["Engineering", "Sales", "Support", "Finance"]
    for m, department in enumerate(departments, start=2):
        rows.append(
            f"E-{m},manager{m}@example.com,Mona{m},Lead,{department} Manager,{department},"
            "ceo@example.com"
        )
    for n in range(6, PEOPLE + 1):
        manager = 2 + (n % 4)
        rows.append(
            f"E-{n},person{n}@example.com,Pat{n},Doe,Specialist,{departments[manager - 2]},"
            f"manager{manager}@example.com"
        )
    return {
        "name": "people.csv",
        "mimeType": "text/csv",
        "buffer": ("\n".join(rows) + "\n").encode(),
    }


def test_an_hr_admin_goes_from_an_empty_install_to_a_launched_cycle_in_few_clicks(
    page: Page, transactional_db: None, watch: PageWatch
) -> None:
    call_command("createadmin", "ana@example.com", first_name="Ana", last_name="Silva", link=True)
    # The password the terminal would have asked for.
    admin = Person.objects.get(email="ana@example.com")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    steps = Steps()
    started = time.monotonic()

    # Sign in.
    page.goto("/")
    steps.type(page.get_by_label("Work e-mail"), "ana@example.com")
    steps.type(page.get_by_label("Password"), PASSWORD)
    steps.click(page.get_by_role("button", name="Sign in"))

    # Import 40 people: the summary and the Import button come first on the preview.
    steps.click(page.get_by_role("link", name="Import people from your HRIS"))
    steps.choose_file(page.get_by_label("HRIS export"), _people_csv())
    steps.click(page.get_by_role("button", name="Check the file"))
    import_button = page.get_by_role("button", name=f"Import {PEOPLE} people")
    expect(import_button).to_be_in_viewport()
    steps.click(import_button)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Imported")

    # Apply a preset.
    steps.click(page.get_by_role("navigation", name="Main").get_by_role("link", name="Program"))
    steps.click(page.get_by_role("link", name="Presets"))
    steps.click(page.get_by_role("link", name="See what “Scale-up” would change"))
    steps.click(page.get_by_role("button", name="Apply “Scale-up”"))

    # A cycle from the program, with the starter kit.
    nav = page.get_by_role("navigation", name="Main")
    steps.click(nav.get_by_role("link", name="Review cycles", exact=True))
    steps.click(page.get_by_role("link", name="Create a cycle"))
    steps.check_accessibility(page)
    steps.click(page.get_by_role("button", name="Create the starter kit"))
    steps.click(page.get_by_role("button", name="Create the draft"))
    expect(page.get_by_role("heading", level=2, name="Compared with the program")).to_be_visible()
    expect(page.get_by_text("It follows the program")).to_be_visible()
    steps.check_accessibility(page)

    # Launch: the confirmation names who is told before anything is sent.
    steps.click(page.get_by_role("link", name="Review and launch…"))
    told = page.get_by_role("listitem").filter(has_text="people are told")
    expect(told).to_contain_text(re.compile(r"Pat\d+ Doe, .* and 36 more; "))
    steps.check_accessibility(page)
    steps.click(page.get_by_role("button", name=re.compile(r"^Launch and tell \d+ people$")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("In progress")
    seconds = time.monotonic() - started - steps.checking

    cycle = Cycle.objects.get()
    assert cycle.status == CycleStatus.ACTIVE
    assert cycle.participants.count() == PEOPLE + 1  # the 40 imported and the HR admin
    print(f"\nfirst cycle: {steps.clicks} clicks, {steps.typed} typed fields, {seconds:.1f} s")
    assert steps.clicks <= MAX_CLICKS, steps
    assert steps.typed <= MAX_TYPED, steps
    assert not steps.violations, "\n".join(steps.violations)
    watch.assert_clean()
