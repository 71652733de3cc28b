"""Journey: an IT admin adds a SAML identity provider (a real pysaml2 IdP on loopback) from
its metadata URL; an engineer then signs in with "Sign in with Okta", at the IdP, and lands
on their home page; someone who left is turned away on the sign-in page in plain words.
axe finds nothing wrong with the IT page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from tandem.integrations.saml import sp
from tandem.org.models import PersonStatus
from tests.browser import axe
from tests.browser.conftest import PHONE, Org, PageWatch, screenshot, sign_in, sign_out
from tests.factories import PersonFactory, it_admin
from tests.integrations.saml import idp as test_idp

pytestmark = pytest.mark.browser


@pytest.fixture
def idp(tmp_path: Path, live_server: Any) -> Iterator[test_idp.LoopbackIdP]:
    idp, server, thread = test_idp.start(tmp_path)
    # The same host name as the live server: one site, as far as the browser's cookies go.
    idp.base = idp.base.replace("127.0.0.1", urlsplit(live_server.url).hostname or "")
    yield idp
    server.shutdown()
    thread.join(timeout=5)


def test_it_adds_an_identity_provider_and_an_engineer_signs_in_through_it(
    page: Page, org: Org, watch: PageWatch, idp: test_idp.LoopbackIdP, live_server: Any
) -> None:
    axe.require_axe()
    with override_settings(SITE_URL=live_server.url):
        it = it_admin(first_name="Ivo", last_name="Itadmin", email="ivo@example.com")
        page.goto("/login/", timeout=60_000)  # the live server's first answer is slow
        sign_in(page, it)
        page.goto("/it/saml/")
        expect(page.get_by_text("No identity providers yet")).to_be_visible()
        expect(page.get_by_text(f"{live_server.url}/saml/acs/")).to_be_visible()
        page.get_by_label("Name").fill("Okta")
        page.get_by_label("Or metadata URL").fill(idp.metadata_url)
        page.get_by_label("Allowed e-mail domains").fill("example.com")
        page.get_by_role("button", name="Add the identity provider").click()
        expect(page.get_by_text("Added Okta.")).to_be_visible()
        assert not axe.describe("/it/saml/", axe.violations(page))
        screenshot(page, "saml-providers-desktop")
        page.set_viewport_size(PHONE)
        screenshot(page, "saml-providers-phone")
        sign_out(page)
        idp.sp_metadata = sp.metadata_xml()

        aiko = org.reports[org.managers[0].pk][0]
        page.goto("/login/")
        page.get_by_role("link", name="Sign in with Okta").click()
        page.get_by_label("Work e-mail").fill(aiko.email)
        page.get_by_role("button", name="Sign in at the IdP").click()
        page.get_by_role("button", name="Continue to Tandem").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Welcome, {aiko.preferred_name or aiko.first_name}"
        )
        sign_out(page)

        leo = PersonFactory(email="leo@example.com", status=PersonStatus.LEFT)
        page.goto("/login/")
        page.get_by_role("link", name="Sign in with Okta").click()
        page.get_by_label("Work e-mail").fill(leo.email)
        page.get_by_role("button", name="Sign in at the IdP").click()
        page.get_by_role("button", name="Continue to Tandem").click()
        expect(page.get_by_text("This account is closed")).to_be_visible()
        expect(page.get_by_role("heading", name="Sign in to Tandem")).to_be_visible()
    watch.assert_clean()
