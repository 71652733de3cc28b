"""Real-browser journeys: Playwright's sync API driving Debian's chromium, headless, against
pytest-django's live server.

Without /usr/bin/chromium the journeys are skipped and the terminal summary says so in one
clear line; with TANDEM_REQUIRE_BROWSER=1 (CI sets it) a missing browser fails the run, because
in CI a skipped browser test would be a silently untested sign-in, org chart and import.

Every page a journey opens is watched: a console error, an uncaught script error, a
Content-Security-Policy violation or an HTML page served without a CSP header fails the test.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from tandem.org.models import Person
from tests.browser.axe import MISSING_AXE
from tests.factories import PASSWORD, DepartmentFactory, PersonFactory, hr_admin

# TANDEM_CHROMIUM points elsewhere (another distribution, or a missing path to try the skip).
CHROMIUM = Path(os.environ.get("TANDEM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_BROWSER = (
    "browser tests skipped: Debian's chromium is not installed (apt-get install chromium)"
)
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A journey must stay under 10 s; a single wait longer than this means something is broken.
# TANDEM_BROWSER_STEP_MS lends more to a machine that is busy with other work (a developer's
# laptop running a benchmark beside the suite); CI keeps the default.
STEP_TIMEOUT_MS = int(os.environ.get("TANDEM_BROWSER_STEP_MS", "5000"))

expect.set_options(timeout=STEP_TIMEOUT_MS)


def _browser_required() -> bool:
    return os.environ.get("TANDEM_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if MISSING_BROWSER in str(getattr(report, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep("=", "browser tests", yellow=True)
        terminalreporter.write_line(
            f"{MISSING_BROWSER}: {len(skipped)} journeys did not run. "
            "CI sets TANDEM_REQUIRE_BROWSER=1, which turns this skip into a failure.",
            yellow=True,
            bold=True,
        )
    no_axe = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if MISSING_AXE in str(getattr(report, "longrepr", ""))
    ]
    if no_axe and not skipped:
        terminalreporter.write_sep("=", "accessibility tests", yellow=True)
        terminalreporter.write_line(
            f"{MISSING_AXE}: {len(no_axe)} checks did not run. "
            "CI sets TANDEM_REQUIRE_BROWSER=1, which turns this skip into a failure.",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One chromium for the tests in this folder, stopped when they are done so the rest of
    the suite runs without Playwright's event loop."""
    if not CHROMIUM.exists():
        if _browser_required():
            pytest.fail(
                f"{CHROMIUM} is missing and TANDEM_REQUIRE_BROWSER=1 is set: install Debian's "
                "chromium (apt-get install chromium); browser tests may not be skipped here.",
                pytrace=False,
            )
        pytest.skip(MISSING_BROWSER)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an asyncio event loop running in the test thread, so
        # Django's async-unsafe guard would refuse every ORM call the test itself makes
        # (creating people, flushing the database). The ORM is still used from this one
        # thread only; the live server answers from its own.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class PageWatch:
    """What went wrong in the pages of one journey, as the browser reported it."""

    problems: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    def on_console(self, page: Page, message: ConsoleMessage) -> None:
        source = message.location.get("url") or ""
        if source.endswith("/favicon.ico"):
            return  # browsers ask for it on their own; base.html does not link an icon yet
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(
                f"console {message.type} on {page.url}: {message.text}"
                + (f" ({source})" if source and source != page.url else "")
            )

    def on_page_error(self, page: Page, error: Exception) -> None:
        self.problems.append(f"uncaught script error on {page.url}: {error}")

    def on_response(self, response: Response) -> None:
        if response.request.resource_type != "document":
            return
        self.documents.append(response.url)
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy:
            self.problems.append(f"{response.url} was served without a script-src CSP: {policy!r}")

    def csp_violations(self) -> list[str]:
        return [p for p in self.problems if "Content Security Policy" in p]

    def assert_clean(self) -> None:
        assert not self.problems, "the browser reported problems:\n" + "\n".join(self.problems)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def open_page(
    browser: Browser, live_server: Any, watch: PageWatch
) -> Iterator[Callable[..., Page]]:
    """Open a fresh, watched browser page (own cookies) on the live server."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] | None = None, **options: Any) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, **options
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: watch.on_console(page, message))
        page.on("pageerror", lambda error: watch.on_page_error(page, error))
        page.on("response", watch.on_response)
        return page

    yield make
    for context in contexts:
        context.close()
    watch.assert_clean()


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page()


@dataclass
class Org:
    """A small company: a CEO, two managers with three reports each, and an HR admin."""

    ceo: Person
    managers: list[Person]
    reports: dict[int, list[Person]]
    hr: Person


@pytest.fixture
def org(transactional_db: None) -> Org:
    engineering = DepartmentFactory(name="Engineering")
    sales = DepartmentFactory(name="Sales")
    people_team = DepartmentFactory(name="People")
    started = date(2021, 3, 1)
    ceo = PersonFactory(
        first_name="Ines",
        last_name="Okafor",
        email="ines@example.com",
        title="Chief Executive Officer",
        department=None,
        start_date=started,
    )
    marta = PersonFactory(
        first_name="Marta",
        last_name="Lindqvist",
        email="marta@example.com",
        title="Engineering Manager",
        department=engineering,
        manager=ceo,
        start_date=started,
    )
    tomas = PersonFactory(
        first_name="Tomas",
        last_name="Herrera",
        email="tomas@example.com",
        title="Sales Director",
        department=sales,
        manager=ceo,
        start_date=started,
    )
    reports = {
        marta.pk: [
            PersonFactory(
                first_name=first,
                last_name=last,
                email=f"{first.lower()}@example.com",
                title="Software Engineer",
                department=engineering,
                manager=marta,
                start_date=started,
            )
            for first, last in [("Aiko", "Tanaka"), ("Bram", "de Vries"), ("Chidi", "Eze")]
        ],
        tomas.pk: [
            PersonFactory(
                first_name=first,
                last_name=last,
                email=f"{first.lower()}@example.com",
                title="Account Executive",
                department=sales,
                manager=tomas,
                start_date=started,
            )
            for first, last in [("Dana", "Kowalski"), ("Emeka", "Obi"), ("Freya", "Nilsen")]
        ],
    }
    hr = hr_admin(
        first_name="Helga",
        last_name="Rasmussen",
        email="helga@example.com",
        title="People Partner",
        department=people_team,
        manager=ceo,
        start_date=started,
    )
    return Org(ceo=ceo, managers=[marta, tomas], reports=reports, hr=hr)


def open_nav(page: Page, label: str) -> None:
    """Follow a sidebar link by its exact name."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()


def sign_out(page: Page) -> None:
    """Through the account menu in the top bar, as a person would."""
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()


def sign_in(page: Page, person: Person) -> None:
    """Through the real form, the way a person does it: open Tandem, get sent to sign in."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Work e-mail").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Welcome, {person.preferred_name or person.first_name}"
    )


def screenshot(page: Page, name: str) -> Path:
    """The page, whole, in var/screenshots/ (the CI run's artefact). Chromium now and then
    refuses a full-page capture ("Protocol error (Page.captureScreenshot): Unable to capture
    screenshot", microsoft/playwright#28098 and others): a picture is a record of the run,
    not a check, so the visible part is kept instead, and a warning says so."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError as refused:
        reason = str(refused).splitlines()[0]
        warnings.warn(
            f"{name}: full-page screenshot refused ({reason}); kept the viewport", stacklevel=2
        )
        page.screenshot(path=str(path))
    return path
