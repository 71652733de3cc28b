"""SAML sign-in against a real pysaml2 IdP on loopback: what signs in, and every way a
response is refused (each ending on the sign-in page with a plain sentence)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import quote

import httpx
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.integrations.saml import services, sp, views
from tandem.integrations.saml.models import IdentityProvider, SignInAttempt, UsedAssertion
from tandem.org.models import Person, PersonStatus
from tests.factories import PersonFactory, it_admin
from tests.integrations.saml.idp import LoopbackIdP

pytestmark = pytest.mark.django_db

ACS = "/saml/acs/"


@pytest.fixture
def provider(idp: LoopbackIdP) -> IdentityProvider:
    it = it_admin(first_name="Ida", last_name="Itadmin")
    made = services.create_provider(name="Okta", metadata_url=idp.metadata_url, by=it)
    idp.sp_metadata = sp.metadata_xml()
    return made


@pytest.fixture
def ana(db: None) -> Person:
    return PersonFactory(email="ana@example.com", first_name="Ana")


def idp_answer(client: Client, idp: LoopbackIdP, provider: IdentityProvider, email: str) -> str:
    """Start a sign-in at Tandem, sign in at the IdP as `email`; the SAMLResponse it sends."""
    start = client.get(reverse("integrations_saml:login", args=[provider.pk]))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{idp.base}/sso/redirect?")
    page = httpx.get(start["Location"] + "&login_as=" + quote(email), timeout=10).text
    found = re.search(r"name='SAMLResponse' value='([^']+)'", page)
    assert found, page
    return unescape(found.group(1))


def post(client: Client, saml_response: str) -> str:
    answer = client.post(ACS, {"SAMLResponse": saml_response}, follow=True)
    assert answer.status_code == 200
    return answer.content.decode()


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_signed_assertion_for_a_known_email_signs_the_person_in(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    response = idp_answer(client, idp, provider, "ana@example.com")
    answer = client.post(ACS, {"SAMLResponse": response})
    assert answer.status_code == 302
    assert answer["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == ana.pk
    assert SignInAttempt.objects.filter(succeeded=True, provider=provider).count() == 1


def test_the_sign_in_is_audited_as_sso(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    from tandem.audit.models import AuditEvent

    post(client, idp_answer(client, idp, provider, "ana@example.com"))
    event = AuditEvent.objects.get(kind="access.sso_sign_in")
    assert "SAML: Okta" in event.note


def test_a_tampered_assertion_fails_its_signature(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    PersonFactory(email="mallory@example.com")
    idp.variant, idp.tamper_to = "tampered", "mallory@example.com"
    page = post(client, idp_answer(client, idp, provider, "ana@example.com"))
    assert "could not check the identity provider&#x27;s signature" in page
    assert not signed_in(client)
    assert SignInAttempt.objects.get().succeeded is False


def test_an_unsigned_assertion_is_refused(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    idp.variant = "unsigned"
    page = post(client, idp_answer(client, idp, provider, "ana@example.com"))
    assert "signature on this sign-in" in page
    assert not signed_in(client)


def pending_cookie(client: Client) -> str:
    return client.cookies[views.PENDING_COOKIE].value


def test_a_replayed_assertion_is_refused_and_says_it_was_already_used(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    response = idp_answer(client, idp, provider, "ana@example.com")
    started = pending_cookie(client)
    post(client, response)
    assert signed_in(client)
    # An attacker with the response and the browser's cookie of the time, in a new session:
    # the assertion id is remembered until the assertion expires.
    again = Client()
    again.cookies[views.PENDING_COOKIE] = started
    page = post(again, response)
    assert "This sign-in was already used" in page
    assert not signed_in(again)
    assert UsedAssertion.objects.count() == 1


def test_an_answered_request_cannot_be_answered_again(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    response = idp_answer(client, idp, provider, "ana@example.com")
    post(client, response)
    client.logout()
    UsedAssertion.objects.all().delete()  # even without the assertion store
    page = post(client, response)
    assert "not started here" in page
    assert not signed_in(client)


def test_an_assertion_for_another_application_is_refused(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    idp.variant = "wrong-audience"
    page = post(client, idp_answer(client, idp, provider, "ana@example.com"))
    assert "meant for another application" in page
    assert not signed_in(client)


def test_an_expired_assertion_is_refused(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    response = idp_answer(client, idp, provider, "ana@example.com")
    # The IdP gives 5 minutes and the skew 2 more; 10 minutes later it has expired (while
    # the sign-in this browser started, good for 15 minutes, is still waiting).
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        page = post(client, response)
    assert "expired" in page
    assert not signed_in(client)


def test_a_response_within_the_clock_skew_is_accepted(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    response = idp_answer(client, idp, provider, "ana@example.com")
    later = timezone.now() + timedelta(minutes=5, seconds=sp.CLOCK_SKEW_SECONDS // 2)
    with time_machine.travel(later, tick=False):
        post(client, response)
    assert signed_in(client)


def test_a_response_to_a_sign_in_started_elsewhere_is_refused(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    response = idp_answer(client, idp, provider, "ana@example.com")
    page = post(Client(), response)
    assert "not started here" in page


def test_a_person_who_left_cannot_sign_in(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    PersonFactory(email="leo@example.com", status=PersonStatus.LEFT)
    page = post(client, idp_answer(client, idp, provider, "leo@example.com"))
    assert "This account is closed" in page
    assert not signed_in(client)


def test_an_unknown_email_cannot_sign_in(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    page = post(client, idp_answer(client, idp, provider, "nobody@example.com"))
    assert "No one at this company uses nobody@example.com" in page
    assert not signed_in(client)
    assert not Person.objects.filter(email="nobody@example.com").exists()


def test_an_address_outside_the_allowed_domains_is_refused(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider
) -> None:
    provider.allowed_domains = "corp.example"
    provider.save(update_fields=["allowed_domains"])
    PersonFactory(email="ana@example.com")
    page = post(client, idp_answer(client, idp, provider, "ana@example.com"))
    assert "may not sign in addresses at example.com" in page
    assert not signed_in(client)


def test_the_email_can_come_from_an_attribute(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    provider.email_attribute = "mail"
    provider.save(update_fields=["email_attribute"])
    post(client, idp_answer(client, idp, provider, "ana@example.com"))
    assert signed_in(client)


def test_garbage_posted_to_the_acs_ends_on_the_sign_in_page(
    client: Client, provider: IdentityProvider
) -> None:
    page = post(client, "bm90IHhtbA==")
    assert "Sign in to Tandem" in page
    assert "could not read the identity provider" in page


def test_an_empty_post_to_the_acs_ends_on_the_sign_in_page(
    client: Client, provider: IdentityProvider
) -> None:
    page = post(client, "")
    assert "received no sign-in" in page


def test_a_switched_off_provider_cannot_start_a_sign_in(
    client: Client, provider: IdentityProvider
) -> None:
    provider.enabled = False
    provider.save(update_fields=["enabled"])
    assert client.get(reverse("integrations_saml:login", args=[provider.pk])).status_code == 404


def test_the_sign_in_page_offers_each_enabled_provider(
    client: Client, provider: IdentityProvider
) -> None:
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Okta" in page


def test_a_response_addressed_to_another_application_is_refused(
    client: Client, idp: LoopbackIdP, provider: IdentityProvider, ana: Person
) -> None:
    idp.variant = "wrong-destination"
    page = post(client, idp_answer(client, idp, provider, "ana@example.com"))
    assert "sent this sign-in to another address" in page
    assert not signed_in(client)


def test_text_that_is_not_base64_ends_on_the_sign_in_page(
    client: Client, provider: IdentityProvider
) -> None:
    page = post(client, "<<not base64>>")
    assert "could not read the identity provider" in page


def test_the_sign_in_request_is_signed_and_leaves_no_key_on_disk(
    client: Client, provider: IdentityProvider, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    start = client.get(reverse("integrations_saml:login", args=[provider.pk]))
    assert (
        "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"
        in (start["Location"])
    )
    assert "&Signature=" in start["Location"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("tandem-saml-")]
