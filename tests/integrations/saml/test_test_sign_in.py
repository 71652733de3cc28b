"""IT's "Test sign-in" for a SAML identity provider, against the real pysaml2 IdP on
loopback: it runs the whole flow, shows what the IdP sent or why it was refused, signs
nobody in (the IT admin stays signed in as themselves) and is not counted as a sign-in."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import httpx
import pytest
from django.test import Client
from django.urls import reverse

from tandem.integrations.saml import queries, services, sp, views
from tandem.integrations.saml.models import IdentityProvider, SignInAttempt
from tandem.org.models import Person
from tests.factories import PersonFactory, it_admin
from tests.integrations.saml.idp import LoopbackIdP

pytestmark = pytest.mark.django_db

ACS = "/saml/acs/"


@pytest.fixture
def it(db: None) -> Person:
    return it_admin(first_name="Ida", last_name="Itadmin", email="ida@example.com")


@pytest.fixture
def provider(idp: LoopbackIdP, it: Person) -> IdentityProvider:
    made = services.create_provider(name="Okta", metadata_url=idp.metadata_url, by=it)
    idp.sp_metadata = sp.metadata_xml()
    return made


@pytest.fixture
def it_client(client: Client, it: Person) -> Client:
    client.force_login(it)
    return client


def test_answer(client: Client, idp: LoopbackIdP, provider: IdentityProvider, email: str) -> str:
    """Press "Test sign-in", sign in at the IdP as `email`; the SAMLResponse it sends."""
    start = client.post(reverse("integrations_saml:provider_test", args=[provider.pk]))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{idp.base}/sso/redirect?")
    page = httpx.get(start["Location"] + "&login_as=" + quote(email), timeout=10).text
    found = re.search(r"name='SAMLResponse' value='([^']+)'", page)
    assert found, page
    return unescape(found.group(1))


test_answer.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def session_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_a_test_sign_in_shows_what_the_idp_sent_and_signs_nobody_in(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider, it: Person
) -> None:
    ana = PersonFactory(email="ana@example.com")
    answer = it_client.post(ACS, {"SAMLResponse": test_answer(it_client, idp, provider, ana.email)})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("integrations_saml:provider_edit", args=[provider.pk])
    page = it_client.get(answer["Location"]).content.decode()
    assert "It worked" in page
    assert "Nobody was signed in to Tandem" in page
    assert "<code>ana@example.com</code>" in page  # the NameID
    assert "<code>mail</code>" in page  # the attribute's name, then its value
    assert session_user(it_client) == it.pk  # the IT admin is still themselves


def test_a_test_sign_in_works_in_a_browser_that_sends_no_session_to_the_acs(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider, it: Person
) -> None:
    """The IdP's cross-site POST carries only the pending-requests cookie (SameSite=None)."""
    response = test_answer(it_client, idp, provider, "ana@example.com")
    acs_only = Client()
    acs_only.cookies[views.PENDING_COOKIE] = it_client.cookies[views.PENDING_COOKIE].value
    answer = acs_only.post(ACS, {"SAMLResponse": response})
    assert answer["Location"] == reverse("integrations_saml:provider_edit", args=[provider.pk])
    assert session_user(acs_only) is None
    assert "sessionid" not in answer.cookies  # no session started for the test
    it_client.cookies[views.TEST_RESULT_COOKIE] = answer.cookies[views.TEST_RESULT_COOKIE].value
    page = it_client.get(answer["Location"]).content.decode()
    assert "It worked" in page
    assert session_user(it_client) == it.pk


def test_a_tampered_test_sign_in_shows_the_problem_and_its_technical_reason(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider, it: Person
) -> None:
    idp.variant, idp.tamper_to = "tampered", "mallory@example.com"
    response = test_answer(it_client, idp, provider, "ana@example.com")
    page = it_client.post(ACS, {"SAMLResponse": response}, follow=True).content.decode()
    assert "It failed: Tandem could not check the identity provider&#x27;s signature" in page
    assert "Technical reason:" in page
    assert "Signature" in page.split("Technical reason:")[1].split("</p>")[0]
    assert session_user(it_client) == it.pk
    attempt = SignInAttempt.objects.get()
    assert (attempt.test, attempt.succeeded, attempt.provider) == (True, False, provider)


def test_a_test_sign_in_for_an_address_outside_the_allowed_domains_says_so(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    provider.allowed_domains = "example.org"
    provider.save()
    response = test_answer(it_client, idp, provider, "ana@example.com")
    page = it_client.post(ACS, {"SAMLResponse": response}, follow=True).content.decode()
    assert "It failed: Okta may not sign in addresses at example.com" in page
    assert "domain &#x27;example.com&#x27; not allowed" in page


def test_a_switched_off_provider_can_be_tested(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    provider.enabled = False
    provider.save()
    response = test_answer(it_client, idp, provider, "ana@example.com")
    page = it_client.post(ACS, {"SAMLResponse": response}, follow=True).content.decode()
    assert "It worked" in page


def test_a_test_answer_cannot_be_posted_again(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    response = test_answer(it_client, idp, provider, "ana@example.com")
    it_client.post(ACS, {"SAMLResponse": response})
    again = it_client.post(ACS, {"SAMLResponse": response}, follow=True).content.decode()
    assert "not started here" in again  # the request was answered: no longer a test either
    assert session_user(it_client) is not None


def test_a_test_sign_in_is_not_counted_in_the_status_line(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    it_client.post(ACS, {"SAMLResponse": test_answer(it_client, idp, provider, "a@example.com")})
    idp.variant = "unsigned"
    it_client.post(ACS, {"SAMLResponse": test_answer(it_client, idp, provider, "b@example.com")})
    assert SignInAttempt.objects.filter(test=True).count() == 2
    [line] = queries.status_lines()
    assert line.summary == (
        "1 identity provider; no sign-in yet; 0 failed sign-ins in the last 24 hours"
    )
    assert line.state == "ok"


def test_the_it_page_lists_test_sign_ins_as_tests(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    it_client.post(ACS, {"SAMLResponse": test_answer(it_client, idp, provider, "a@example.com")})
    page = it_client.get(reverse("integrations_saml:providers")).content.decode()
    assert "Test sign-in: worked" in page


def test_the_provider_page_lets_its_test_form_go_to_the_idp(
    it_client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    page = it_client.get(reverse("integrations_saml:provider_edit", args=[provider.pk]))
    assert "Test sign-in" in page.content.decode()
    policy = page.get("Content-Security-Policy", "")
    if policy:  # django-csp answers with the header when the middleware is on
        form_action = policy.split("form-action")[1].split(";")[0]
        assert idp.base in form_action


def test_a_normal_sign_in_is_not_a_test(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    ana = PersonFactory(email="ana@example.com")
    start = client.get(reverse("integrations_saml:login", args=[provider.pk]))
    page = httpx.get(start["Location"] + "&login_as=" + quote(ana.email), timeout=10).text
    found = re.search(r"name='SAMLResponse' value='([^']+)'", page)
    assert found
    answer = client.post(ACS, {"SAMLResponse": unescape(found.group(1))})
    assert answer["Location"] == "/"
    assert session_user(client) == ana.pk
    assert SignInAttempt.objects.get().test is False
