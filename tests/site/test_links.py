"""Never a link to a page the viewer cannot open (issue 12, "no promises on screen").

Each demo log-in opens its main pages and the same-site links on them (each address once,
at most PER_KIND of each kind); none may answer 404 (a dead link), 403 (a link the viewer
may not follow), 405 (a link to a form's POST address) or 500, or send the signed-in viewer
to the sign-in page. Links are followed through redirects to where they land."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from pytest_django import DjangoDbBlocker

from tests.site.demo_walk import (
    ROLES,
    load_demo_company,
    main_pages,
    same_site_links,
    signed_in_client,
)

# Links that are not pages: signing out is a POST form, never a link.
NOT_WALKED = ("/static/", "/logout/")
# Links of one kind (one view, the same query keys) are followed this many times: a kind
# of link is shown by one template under one rule, so a few of them find a wrong rule, and
# a list of 50 colleagues does not cost 50 requests.
PER_KIND = 4


@pytest.fixture(scope="module")
def demo_company(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo company, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_company()
        yield
        transaction.set_rollback(True)


def _kind(link: str) -> tuple[str, ...]:
    parts = urlsplit(link)
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        view = parts.path  # walked, and reported as the 404 it is
    return (view, *sorted(key for key, _ in parse_qsl(parts.query, keep_blank_values=True)))


def _answer(client: Client, address: str) -> str:
    """What following the link gives the viewer: "" for a page, else what went wrong."""
    response = client.get(address, follow=True)
    if response.status_code != 200:
        return f"answered {response.status_code}"
    landed = response.redirect_chain[-1][0] if response.redirect_chain else address
    if urlsplit(landed).path == "/login/":
        return "sends a signed-in viewer to the sign-in page"
    return ""


@pytest.mark.parametrize("role", ROLES)
def test_every_link_on_the_main_pages_opens_for_the_demo(
    role: str, demo_company: None, db: None
) -> None:
    client = signed_in_client(role)
    pages = main_pages(client, role)
    broken: list[str] = []
    links: dict[str, str] = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            broken.append(f"main page {page} answered {response.status_code}")
            continue
        for link in same_site_links(response.text):
            if not link.startswith(NOT_WALKED):
                links.setdefault(link, page)
    walked: Counter[tuple[str, ...]] = Counter()
    for link, found_on in links.items():
        kind = _kind(link)
        walked[kind] += 1
        if walked[kind] > PER_KIND:
            continue
        problem = _answer(client, link)
        if problem:
            broken.append(f"{link} (linked from {found_on}) {problem}")
    assert not broken, f"the demo {role} meets broken links:\n" + "\n".join(broken)


def test_only_links_to_tandem_itself_are_walked() -> None:
    html = (
        '<a href="https://example.org/goals/">elsewhere</a> <a href="mailto:hr@example.com">'
        'mail</a> <a href="#main">skip</a> <a href="/goals/?period=3#top">goals</a> <a>none</a>'
    )
    assert same_site_links(html) == ["/goals/?period=3"]


def test_links_of_one_view_and_query_keys_are_one_kind() -> None:
    assert _kind("/people/4/") == _kind("/people/9/")
    assert _kind("/goals/?period=3") == _kind("/goals/?period=4")
    assert _kind("/goals/?period=3") != _kind("/goals/")
