"""The demo company's log-ins, one per role, and the main pages each of them opens.

Shared by the link walk (tests/site/test_links.py, Django's test client) and the browser
checks (axe and the phone width, tests/browser/): both load the same small demo company,
so every page has the content a person trying Tandem would see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client

from tandem.org import demo
from tandem.org.models import Person

# The demo's log-ins (tandem.org.demo.LOGIN_ROLES), one per role.
ROLES = ("employee", "manager", "director", "partner", "hr", "exec", "it")
DEMO_PEOPLE = 60
DEMO_SEED = 7

# Every role opens these.
COMMON_PAGES = (
    "/",
    "/inbox/",
    "/notifications/",
    "/goals/",
    "/goals/company/",
    "/goals/tree/",
    "/goals/weekly/",
    "/goals/new/",
    "/feedback/",
    "/feedback/give/",
    "/feedback/requests/new/",
    "/praise/",
    "/one-on-ones/",
    "/reviews/",
    "/people/",
    "/org-chart/",
    "/company/",
    "/program/",
    "/settings/tokens/",
)
MANAGER_PAGES = ("/team/", "/goals/team/", "/goals/coverage/", "/one-on-ones/new/")
HR_PAGES = ("/hr/people/", "/goals/coverage/")
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    "employee": (),
    "manager": MANAGER_PAGES,
    "director": MANAGER_PAGES,
    "partner": HR_PAGES,
    "hr": (
        *HR_PAGES,
        "/hr/departments/",
        "/hr/import/",
        "/hr/audit/",
        "/reviews/admin/",
        "/reviews/cycles/",
    ),
    "exec": ("/goals/coverage/",),
    "it": ("/it/tokens/",),
}


@dataclass(frozen=True)
class Found:
    """A page found by following the first link of `pattern` on the page `on`."""

    name: str
    on: str
    pattern: str


# Pages about one thing, found the way a person finds them: by following a link.
FOUND_PAGES = (
    Found("a goal", "/goals/", r"^/goals/\d+/$"),
    Found("a 1:1 series", "/one-on-ones/", r"^/one-on-ones/\d+/$"),
    Found("a 1:1 meeting", "/one-on-ones/", r"^/one-on-ones/meetings/\d+/$"),
    Found("a review form", "/reviews/", r"^/reviews/\d+/$"),
    Found("a colleague's profile", "/people/", r"^/people/\d+/$"),
    Found("a praise value", "/praise/", r"^/praise/values/\d+/$"),
    Found("a piece of praise", "/praise/", r"^/feedback/\d+/$"),
)
ROLE_FOUND_PAGES: dict[str, tuple[Found, ...]] = {
    "hr": (Found("a review cycle", "/reviews/cycles/", r"^/reviews/cycles/\d+/$"),),
}


def login_email(role: str) -> str:
    return next(email for key, _, email in demo.LOGIN_ROLES if key == role)


def load_demo_company() -> None:
    demo.load_demo(people=DEMO_PEOPLE, seed=DEMO_SEED)


def signed_in_client(role: str) -> Client:
    client = Client()
    response = client.post(
        "/login/", {"username": login_email(role), "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"the demo {role} log-in could not sign in"
    return client


class LinkParser(HTMLParser):
    """Every <a href> of a page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def same_site_links(html: str) -> list[str]:
    """The page's links to Tandem itself, as paths with their query, without fragments."""
    parser = LinkParser()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        address, _ = urldefrag(href)
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, mailto:, or a link to a part of the same page
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def main_pages(client: Client, role: str) -> list[str]:
    """The role's main pages, as addresses: the fixed ones, then one of each kind of page
    about one thing, found by following links. Fails when a page cannot be found: the demo
    gives every log-in goals, 1:1s and reviews, so a missing one is a broken page."""
    pages = [*COMMON_PAGES, *ROLE_PAGES[role]]
    me = Person.objects.get(email=login_email(role))
    pages.append(f"/people/{me.pk}/")
    for found in (*FOUND_PAGES, *ROLE_FOUND_PAGES.get(role, ())):
        response = client.get(found.on)
        assert response.status_code == 200, f"{found.on} answered {response.status_code}"
        pattern = re.compile(found.pattern)
        matches = [link for link in same_site_links(response.text) if pattern.match(link)]
        assert matches, f"the demo {role} finds no link to {found.name} on {found.on}"
        pages.append(matches[0])
    return list(dict.fromkeys(pages))
