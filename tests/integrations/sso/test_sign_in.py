"""Signing in through a real OpenID Connect provider (provider.mjs), and every way it can go
wrong ending on the sign-in page with the problem in plain words — never a 500."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client

from tandem.audit.models import AuditEvent
from tandem.integrations.sso import oidc, services
from tandem.integrations.sso.models import OidcProvider, SignInAttempt
from tandem.org.models import Person, PersonStatus
from tests.factories import PersonFactory
from tests.integrations.sso.conftest import TESTSERVER, come_back, sign_in_through, start
from tests.integrations.sso.idp import (
    CALLBACK_PATH,
    CLIENT_ID,
    CLIENT_SECRET,
    IdP,
    running_provider,
)

pytestmark = pytest.mark.django_db


def _problem(client: Client, response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == "/login/"
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _signed_in_as(client: Client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def test_a_known_person_signs_in_and_lands_home(idp: IdP, provider: OidcProvider) -> None:
    ana = PersonFactory(email="ana@example.com")
    client = Client()
    response = sign_in_through(idp, client, provider, "Ana@Example.com")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in_as(client) == ana.pk
    assert AuditEvent.objects.filter(kind="access.sso_sign_in", subject_id=ana.pk).exists()
    assert SignInAttempt.objects.filter(succeeded=True, provider=provider).count() == 1


def test_the_authorization_request_carries_pkce_state_and_nonce(
    idp: IdP, provider: OidcProvider
) -> None:
    url = start(Client(), provider)
    assert url.startswith(idp.issuer)
    for part in (
        "code_challenge_method=S256",
        "code_challenge=",
        "state=",
        "nonce=",
        "scope=openid",
    ):
        assert part in url


def test_it_takes_the_person_where_they_were_going(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com")
    client = Client()
    authorize = client.get(f"/sso/oidc/{provider.pk}/start/?next=/goals/")["Location"]
    response = come_back(client, idp.sign_in(authorize, "ana@example.com"))
    assert response["Location"] == "/goals/"


def test_it_refuses_a_replayed_state(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com")
    client = Client()
    callback = idp.sign_in(start(client, provider), "ana@example.com")
    come_back(client, callback)
    client.logout()
    response = come_back(client, callback)
    assert "already used" in _problem(client, response)
    assert _signed_in_as(client) is None


def test_it_refuses_a_state_started_in_another_browser(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com")
    callback = idp.sign_in(start(Client(), provider), "ana@example.com")
    other = Client()
    response = come_back(other, callback)
    assert "not from this browser" in _problem(other, response)
    assert _signed_in_as(other) is None


def test_it_refuses_a_token_meant_for_another_application(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com")
    idp.misbehave(idToken={"aud": "some-other-app"})
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert "meant for another application" in _problem(client, response)
    assert _signed_in_as(client) is None
    failed = SignInAttempt.objects.get(succeeded=False)
    assert "aud" in failed.reason


def test_it_refuses_an_expired_token_from_a_provider_whose_clock_is_behind(
    idp: IdP, provider: OidcProvider
) -> None:
    PersonFactory(email="ana@example.com")
    idp.misbehave(clockOffset=-2 * 3600)  # its ID tokens live an hour: this one ended an hour ago
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert "had already expired" in _problem(client, response)
    assert _signed_in_as(client) is None


def test_it_accepts_a_provider_clock_a_little_ahead(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com")
    idp.misbehave(idToken={"iat": int(__import__("time").time()) + 30})
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert response["Location"] == "/"


def test_it_refuses_a_token_dated_far_in_the_future(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com")
    idp.misbehave(idToken={"iat": int(__import__("time").time()) + 3600})
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert "dated in the future" in _problem(client, response)


def test_it_refuses_a_token_signed_with_a_key_the_provider_never_published(
    idp: IdP, provider: OidcProvider
) -> None:
    PersonFactory(email="ana@example.com")
    idp.misbehave(signWithOtherKey=True)
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert "could not be trusted" in _problem(client, response)
    assert "signature" in SignInAttempt.objects.get(succeeded=False).reason


def test_it_refuses_a_token_from_another_issuer(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com")
    idp.misbehave(idToken={"iss": "https://evil.example"})
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert "could not be trusted" in _problem(client, response)
    assert "iss" in SignInAttempt.objects.get(succeeded=False).reason


def test_it_refuses_a_token_with_another_sign_ins_nonce(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com")
    idp.misbehave(idToken={"nonce": "not-this-one"})
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert "did not belong to this sign-in" in _problem(client, response)


def test_it_refuses_a_person_who_left(idp: IdP, provider: OidcProvider) -> None:
    PersonFactory(email="ana@example.com", status=PersonStatus.LEFT, is_active=False)
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert "has left the company" in _problem(client, response)
    assert _signed_in_as(client) is None


def test_it_refuses_an_unknown_email_without_creating_anyone(
    idp: IdP, provider: OidcProvider
) -> None:
    client = Client()
    before = Person.objects.count()
    response = sign_in_through(idp, client, provider, "stranger@example.com")
    assert "No one at this company uses stranger@example.com" in _problem(client, response)
    assert Person.objects.count() == before


def test_it_refuses_an_address_outside_the_allowed_domains(
    idp: IdP, provider: OidcProvider
) -> None:
    PersonFactory(email="ana@elsewhere.org")
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@elsewhere.org")
    assert "Addresses at elsewhere.org may not sign in with Test IdP" in _problem(client, response)
    assert _signed_in_as(client) is None


def test_it_refuses_an_address_the_provider_has_not_verified(
    idp: IdP, provider: OidcProvider
) -> None:
    PersonFactory(email="ana@example.com")
    idp.misbehave(claims={"email_verified": False})
    client = Client()
    response = sign_in_through(idp, client, provider, "ana@example.com")
    assert "has not verified your e-mail address" in _problem(client, response)


def test_it_says_so_when_the_person_cancels_at_the_provider(
    idp: IdP, provider: OidcProvider
) -> None:
    client = Client()
    start(client, provider)
    state = next(iter(client.session["tandem_oidc_pending"]))
    response = client.get(f"/sso/oidc/callback/?error=access_denied&state={state}")
    assert "did not let you in" in _problem(client, response)


def test_it_says_so_when_the_provider_cannot_be_reached(provider: OidcProvider) -> None:
    OidcProvider.objects.filter(pk=provider.pk).update(issuer="http://127.0.0.1:9")
    client = Client()
    response = client.get(f"/sso/oidc/{provider.pk}/start/")
    assert "could not reach Test IdP" in _problem(client, response)
    assert "discovery document" in SignInAttempt.objects.get(succeeded=False).reason


def test_a_switched_off_provider_starts_nothing(provider: OidcProvider) -> None:
    OidcProvider.objects.filter(pk=provider.pk).update(enabled=False)
    client = Client()
    response = client.get(f"/sso/oidc/{provider.pk}/start/")
    assert "switched off" in _problem(client, response)


def test_a_callback_with_nothing_in_it_is_answered_in_plain_words(db: None) -> None:
    client = Client()
    response = client.get("/sso/oidc/callback/?state=forged&code=x")
    assert "already used or is not from this browser" in _problem(client, response)


def test_it_reads_the_email_from_userinfo_when_the_id_token_has_none(
    it: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = PersonFactory(email="ana@example.com")
    asked: list[dict[str, object]] = []
    real = oidc._userinfo

    def spy(*args: Any, **kwargs: Any) -> dict[str, Any]:
        asked.append(answer := real(*args, **kwargs))
        return answer

    monkeypatch.setattr(oidc, "_userinfo", spy)
    with running_provider(TESTSERVER + CALLBACK_PATH, CONFORM_ID_TOKEN_CLAIMS="1") as strict:
        provider = services.create_provider(
            name="Strict IdP",
            issuer=strict.issuer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            by=it,
        )
        client = Client()
        response = sign_in_through(strict, client, provider, "ana@example.com")
    assert response["Location"] == "/"
    assert _signed_in_as(client) == ana.pk
    assert asked and asked[0]["email"] == "ana@example.com"


def test_it_refuses_a_sign_in_that_took_longer_than_its_lifetime(
    idp: IdP, provider: OidcProvider
) -> None:
    PersonFactory(email="ana@example.com")
    client = Client()
    callback = idp.sign_in(start(client, provider), "ana@example.com")
    with time_machine.travel(timedelta(minutes=services.FLOW_MINUTES + 1)):
        response = come_back(client, callback)
    assert "took longer than 10 minutes" in _problem(client, response)
    assert _signed_in_as(client) is None


def test_it_keeps_only_the_latest_sign_ins_in_progress(provider: OidcProvider) -> None:
    client = Client()
    for _ in range(services.MAX_PENDING + 3):
        start(client, provider)
    assert len(client.session[services.PENDING]) == services.MAX_PENDING
