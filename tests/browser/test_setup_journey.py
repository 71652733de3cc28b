"""Journey: the guided set-up on a fresh installation, in a real browser.

`tandem createadmin --link` on an empty database makes the first HR admin; they follow the
link, choose a password, land on the set-up and go through its seven steps to the generated
program page. Every click and every typed field is counted (the target is at most 40
clicks); the counts and the time taken are printed for docs/program.md, never asserted on
the clock. A second journey goes back and forth with the keyboard only, on a phone screen.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from tandem.org.models import Person
from tandem.program.models import Program, ProgramSetup
from tests.browser.conftest import PHONE, PageWatch, screenshot

pytestmark = pytest.mark.browser

MAX_CLICKS = 40
STATEMENT = (
    "We want everyone to know where they stand and to grow, and to decide promotions fairly."
)
VALUES = "Candour: say what you think, kindly\nOwnership: finish what you start"


@dataclass
class Tally:
    """What the person did: each click (a choice picked from a list counts as one) and each
    field they typed into."""

    clicks: int = 0
    typed: int = 0

    def click(self, target: Locator) -> None:
        target.click()
        self.clicks += 1

    def type_into(self, target: Locator, text: str) -> None:
        target.fill(text)
        self.typed += 1

    def choose(self, target: Locator, value: str) -> None:
        target.select_option(value)
        self.clicks += 1


def _first_admin_link() -> str:
    out = io.StringIO()
    call_command(
        "createadmin", "ana@example.com", "--first-name", "Ana", "--last-name", "Silva",
        "--link", stdout=out,
    )  # fmt: skip
    link = re.search(r"https?://\S+", out.getvalue())
    assert link, out.getvalue()
    parts = urlsplit(link.group(0))
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _step_heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _continue(page: Page, tally: Tally, name: str = "Save and continue") -> None:
    tally.click(page.get_by_role("button", name=name))


def test_the_first_hr_admin_sets_up_the_program_from_an_empty_installation(
    page: Page, transactional_db: None, watch: PageWatch
) -> None:
    assert not Person.objects.exists() and not Program.objects.exists()
    started = time.perf_counter()
    tally = Tally()

    # The one-time link of `tandem createadmin --link`: choose a password, land on step 1.
    page.goto(_first_admin_link())
    tally.type_into(page.get_by_label("Password", exact=True), "a-long-first-password-42")
    tally.type_into(page.get_by_label("The same password again"), "a-long-first-password-42")
    tally.click(page.get_by_role("button", name="Save my password and sign in"))
    expect(page).to_have_url(re.compile(r"/program/setup/why/$"))
    _step_heading(page, "Why we do performance management")
    expect(page.get_by_text("step 1 of 7")).to_be_visible()

    # 1 why: growth is ticked already; a refused save first (no statement), then the real one.
    expect(page.get_by_label("Growth and development")).to_be_checked()
    _continue(page, tally)
    expect(page.get_by_role("alert").first).to_contain_text("Write a sentence or two")
    tally.click(page.get_by_label("Promotion decisions"))
    tally.type_into(page.get_by_label("Why we do it, in our own words"), STATEMENT)
    _continue(page, tally)

    # 2 values
    _step_heading(page, "The values we live by")
    tally.type_into(page.get_by_label("Our values, one a line"), VALUES)
    _continue(page, tally)

    # 3 a preset: read what Scale-up would change, then choose it.
    _step_heading(page, "Choose a starting point")
    scale_up = page.locator(".setup-preset").filter(has_text="Scale-up")
    tally.click(scale_up.get_by_text(re.compile(r"^What it would change")))
    expect(scale_up.get_by_role("listitem").first).to_be_visible()
    tally.click(page.get_by_label("Scale-up"))
    _continue(page, tally, "Continue with this choice")

    # 4 the calendar: the year starts in April; Scale-up's review months (June and
    # December) are ticked already.
    _step_heading(page, "The calendar and the rhythm")
    expect(page.get_by_label("June")).to_be_checked()
    expect(page.get_by_label("December")).to_be_checked()
    # What a new review cycle starts from is on this step too, as Scale-up set it.
    expect(page.get_by_label("Review cycles include peer reviews")).to_be_checked()
    expect(page.get_by_label("Days for each step of a review cycle")).to_have_value("14")
    tally.choose(page.get_by_label("The year starts in month"), "4")
    _continue(page, tally)

    # 5 visibility: a refused minimum below the floor, then 6.
    _step_heading(page, "Who sees what, and anonymity")
    minimum = page.get_by_label("Anonymity minimum (people)")
    tally.type_into(minimum, "2")
    _continue(page, tally)
    expect(page.get_by_role("alert").first).to_contain_text("At least 3")
    tally.type_into(page.get_by_label("Anonymity minimum (people)"), "6")
    _continue(page, tally)

    # 6 people: later.
    _step_heading(page, "Bring in your people")
    expect(page.get_by_role("link", name="Import people from your HRIS")).to_be_visible()
    _continue(page, tally, "Add people later, continue")

    # 7 the program page as everyone will read it, then Finish.
    _step_heading(page, "Read the program page and finish")
    expect(page.get_by_text(STATEMENT)).to_be_visible()
    expect(page.get_by_text("at least 6 people answered").first).to_be_visible()
    _continue(page, tally, "Finish")

    _step_heading(page, "How performance management works here")
    expect(page).to_have_url(re.compile(r"/program/$"))
    expect(page.get_by_role("status")).to_contain_text("The set-up is finished")
    expect(page.get_by_text("counted from April").first).to_be_visible()
    expect(
        page.get_by_text("Review cycles usually open in June and December").first
    ).to_be_visible()
    seconds = time.perf_counter() - started
    screenshot(page, "setup-finished")

    program = Program.current()
    assert program.purposes == ["growth", "promotion"]
    assert program.anonymity_minimum == 6
    assert program.fiscal_year_start_month == 4
    assert program.review_months == [6, 12]
    assert program.calibration_shown_to_employee is True  # from Scale-up
    assert program.review_peers_enabled is True  # from Scale-up, kept by step 4
    assert ProgramSetup.current().completed_at is not None
    print(
        f"\nguided set-up: {tally.clicks} clicks, {tally.typed} typed fields, "
        f"{seconds:.1f} s scripted"
    )
    assert tally.clicks <= MAX_CLICKS, tally
    watch.assert_clean()


def test_a_keyboard_user_goes_back_and_forth_on_a_phone(
    open_page: Callable[..., Page], transactional_db: None, watch: PageWatch
) -> None:
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(_first_admin_link())
    page.get_by_label("Password", exact=True).fill("a-long-first-password-42")
    page.get_by_label("The same password again").fill("a-long-first-password-42")
    page.keyboard.press("Enter")
    _step_heading(page, "Why we do performance management")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the set-up scrolls sideways on a phone: {widths}"
    screenshot(page, "phone-setup-why")

    # Tick a use and write the statement with the keyboard, then Enter on the button.
    page.get_by_label("Pay decisions").focus()
    page.keyboard.press("Space")
    page.get_by_label("Why we do it, in our own words").focus()
    page.keyboard.type("So people grow.")
    page.get_by_role("button", name="Save and continue").focus()
    page.keyboard.press("Enter")
    _step_heading(page, "The values we live by")
    expect(page.get_by_role("link", name="1. Why")).to_be_visible()

    # Back, by keyboard: the first step again, with what was saved.
    page.get_by_role("link", name="Back to Why").focus()
    page.keyboard.press("Enter")
    _step_heading(page, "Why we do performance management")
    expect(page.get_by_label("Why we do it, in our own words")).to_have_value("So people grow.")
    expect(page.get_by_label("Pay decisions")).to_be_checked()

    # Leaving and coming back resumes at the first step not done.
    page.goto("/program/setup/")
    _step_heading(page, "The values we live by")
    watch.assert_clean()
