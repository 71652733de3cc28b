"""Journey: an IT admin adds the company's OpenID Connect provider (a real one, node's
oidc-provider on loopback), runs "Test sign-in" and reads the claims it sent; an engineer
then presses "Sign in with …" on the sign-in page, signs in at the provider and lands on
their home page; someone who has left is told so on the sign-in page. axe finds nothing
wrong with the new pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tandem.org.models import PersonStatus
from tests.browser import axe
from tests.browser.conftest import PHONE, Org, screenshot, sign_in, sign_out
from tests.factories import PersonFactory, it_admin
from tests.integrations.sso.idp import (
    CALLBACK_PATH,
    CLIENT_ID,
    CLIENT_SECRET,
    IdP,
    running_provider,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def idp(live_server: Any, settings: Any) -> Iterator[IdP]:
    settings.SITE_URL = live_server.url
    with running_provider(live_server.url + CALLBACK_PATH) as running:
        yield running


def _at_the_provider(page: Page, email: str) -> None:
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Continue").click()


def test_it_sets_up_sso_and_people_sign_in_through_it(
    page: Page, open_page: Callable[..., Page], org: Org, idp: IdP
) -> None:
    axe.require_axe()
    it = it_admin(first_name="Ivo", last_name="Itadmin", email="ivo@example.com", department=None)
    page.goto("/login/", timeout=60_000)  # the live server's first answer is slow on a busy machine
    sign_in(page, it)
    page.goto("/it/sso/")
    expect(page.get_by_text("No provider yet")).to_be_visible()
    page.get_by_label("Name").fill("Company IdP")
    page.get_by_label("Issuer URL").fill(idp.issuer)
    page.get_by_label("Client id").fill(CLIENT_ID)
    page.get_by_label("Client secret").fill(CLIENT_SECRET)
    page.get_by_label("Allowed e-mail domains").fill("example.com")
    page.get_by_role("button", name="Add the provider").click()
    expect(page.get_by_text("Added Company IdP")).to_be_visible()
    assert CLIENT_SECRET not in page.content()
    assert not axe.describe("/it/sso/", axe.violations(page))
    screenshot(page, "sso-providers-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "sso-providers-phone")

    page.get_by_role("button", name="Test sign-in with Company IdP").click()
    _at_the_provider(page, "ivo@example.com")
    expect(page.get_by_text("It worked")).to_be_visible()
    expect(page.get_by_role("cell", name="ivo@example.com").first).to_be_visible()
    assert not axe.describe("/it/sso/<id>/", axe.violations(page))
    sign_out(page)

    aiko = org.reports[org.managers[0].pk][0]
    engineer = open_page()
    engineer.goto("/")
    expect(engineer).to_have_url(re.compile(r"/login/"))
    engineer.get_by_role("link", name="Sign in with Company IdP").click()
    _at_the_provider(engineer, aiko.email)
    expect(engineer.get_by_role("heading", level=1)).to_have_text(f"Welcome, {aiko.first_name}")

    PersonFactory(email="gone@example.com", status=PersonStatus.LEFT, is_active=False)
    leaver = open_page(viewport=PHONE)
    leaver.goto("/login/")
    leaver.get_by_role("link", name="Sign in with Company IdP").click()
    _at_the_provider(leaver, "gone@example.com")
    expect(leaver).to_have_url(re.compile(r"/login/$"))
    expect(
        leaver.get_by_text("This account is closed (the person has left the company)")
    ).to_be_visible()
    screenshot(leaver, "sso-refused-phone")
