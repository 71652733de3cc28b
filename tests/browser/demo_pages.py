"""The demo company in the browser tests: loaded for a test, one log-in per role, and the
role's main pages (the same ones the link walk in tests/site/ opens)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tandem.org import demo
from tandem.org.models import Person
from tests.site.demo_walk import login_email, main_pages, signed_in_client


def sign_in_as(page: Page, role: str) -> None:
    """Through the real sign-in form, with the demo's published password."""
    person = Person.objects.get(email=login_email(role))
    # The first request after loading the demo waits for the live server to see the new
    # rows; on a busy machine that alone can pass a step's 5 s.
    page.goto("/login/", timeout=30_000)
    page.get_by_label("Work e-mail").fill(person.email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Welcome, {person.preferred_name or person.first_name}"
    )


def pages_of(role: str) -> list[str]:
    """The role's main pages, found with Django's test client on the same database."""
    return main_pages(signed_in_client(role), role)


def shot_name(role: str, address: str, width: int) -> str:
    """A file name for a screenshot of `address` as `role` at `width` px."""
    path = urlsplit(address).path.strip("/") or "home"
    return f"{width}-{role}-{re.sub(r'[^a-z0-9]+', '-', path.lower()).strip('-')}"
