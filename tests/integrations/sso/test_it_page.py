"""IT's page for single sign-on: adding and changing providers (secret sealed, every change
audited), bad input named field by field, "Test sign-in", and the IT page's status line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.core.encryption import unseal
from tandem.integrations import status
from tandem.integrations.sso import services
from tandem.integrations.sso.models import OidcProvider, SignInAttempt
from tandem.org.models import Person
from tests.integrations.sso.conftest import come_back, sign_in_through
from tests.integrations.sso.idp import CLIENT_SECRET, IdP

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Okta",
    "issuer": "https://example.okta.com/",
    "client_id": "0oa123",
    "client_secret": "s3cret-value-1234",
    "scopes": "openid email profile",
    "email_claim": "email",
    "allowed_domains": "example.com, @example.org",
    "enabled": "on",
}


@pytest.fixture
def it_client(it: Person) -> Client:
    client = Client()
    client.force_login(it)
    return client


def test_it_adds_a_provider_with_its_secret_sealed(it_client: Client) -> None:
    response = it_client.post("/it/sso/", FORM)
    assert response.status_code == 302
    provider = OidcProvider.objects.get()
    assert provider.issuer == "https://example.okta.com"
    assert provider.allowed_domains == "example.com example.org"
    assert "s3cret" not in provider.client_secret_sealed
    assert unseal(provider.client_secret_sealed, purpose=services.PURPOSE) == "s3cret-value-1234"
    event = AuditEvent.objects.get(kind="sso.provider_create")
    assert "s3cret-value-1234" not in str(event.changes)
    page = it_client.get("/it/sso/").content.decode()
    assert "…1234" in page and "s3cret-value-1234" not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer", "http://idp.example.com", "must use https://"),
        ("issuer", "not a url", "starting with https://"),
        ("scopes", "email profile", "must include “openid”"),
        ("email_claim", "e mail", "Name one claim"),
        ("allowed_domains", "example", "is not a domain"),
        ("client_secret", "", "Paste the client secret"),
        ("name", "", "Give the provider the name"),
    ],
)
def test_bad_input_is_named_by_field_and_changes_nothing(
    it_client: Client, field: str, value: str, message: str
) -> None:
    response = it_client.post("/it/sso/", {**FORM, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OidcProvider.objects.exists()


def test_editing_keeps_the_secret_when_left_empty_and_audits_the_change(
    it_client: Client, it: Person
) -> None:
    it_client.post("/it/sso/", FORM)
    provider = OidcProvider.objects.get()
    response = it_client.post(
        f"/it/sso/{provider.pk}/", {**FORM, "client_secret": "", "name": "Okta (staff)"}
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Okta (staff)"
    assert unseal(provider.client_secret_sealed, purpose=services.PURPOSE) == "s3cret-value-1234"
    event = AuditEvent.objects.get(kind="sso.provider_update")
    assert event.changes == {"name": ["Okta", "Okta (staff)"]}


def test_deleting_a_provider_removes_its_button(it_client: Client) -> None:
    it_client.post("/it/sso/", FORM)
    provider = OidcProvider.objects.get()
    assert "Sign in with Okta" in Client().get("/login/").content.decode()
    it_client.post(f"/it/sso/{provider.pk}/delete/")
    assert not OidcProvider.objects.exists()
    assert "Sign in with Okta" not in Client().get("/login/").content.decode()
    assert AuditEvent.objects.filter(kind="sso.provider_delete").exists()


def test_the_policy_form_names_the_missing_break_glass_account(it_client: Client) -> None:
    it_client.post("/it/sso/", FORM)
    response = it_client.post("/it/sso/policy/", {"require_sso": "on", "break_glass_email": ""})
    assert response.status_code == 400
    assert "Name a break-glass account" in response.content.decode()


def test_test_sign_in_reports_the_claims_and_signs_nobody_in(
    idp: IdP, provider: OidcProvider, it_client: Client, it: Person
) -> None:
    response = it_client.post(f"/it/sso/{provider.pk}/test/")
    assert response.status_code == 302
    callback = idp.sign_in(response["Location"], "someone.unknown@example.com")
    response = come_back(it_client, callback)
    assert response["Location"] == f"/it/sso/{provider.pk}/"
    page = it_client.get(response["Location"]).content.decode()
    assert "It worked" in page
    assert "someone.unknown@example.com" in page
    assert int(it_client.session["_auth_user_id"]) == it.pk  # still IT, nobody else
    assert not Person.objects.filter(email="someone.unknown@example.com").exists()


def test_test_sign_in_reports_a_failure_in_plain_words_with_the_reason(
    idp: IdP, provider: OidcProvider, it_client: Client
) -> None:
    idp.misbehave(idToken={"aud": "another-app"})
    response = it_client.post(f"/it/sso/{provider.pk}/test/")
    response = come_back(it_client, idp.sign_in(response["Location"], "ana@example.com"))
    page = it_client.get(response["Location"]).content.decode()
    assert "It failed" in page
    assert "meant for another application" in page
    assert "Technical reason" in page


def test_test_sign_in_of_an_unreachable_provider_says_so(it_client: Client, it: Person) -> None:
    provider = services.create_provider(
        name="Down", issuer="http://127.0.0.1:9", client_id="x", client_secret="y", by=it
    )
    response = it_client.post(f"/it/sso/{provider.pk}/test/")
    assert response["Location"] == f"/it/sso/{provider.pk}/"
    page = it_client.get(response["Location"]).content.decode()
    assert "could not reach Down" in page


def _line() -> status.StatusLine:
    return next(line for line in status.collect() if line.integration == "Single sign-on (OIDC)")


def test_the_status_line_says_when_no_provider_is_set_up(db: None) -> None:
    assert _line().state == "off"


def test_the_status_line_counts_providers_last_sign_in_and_failures(
    provider: OidcProvider,
) -> None:
    now = timezone.now()
    SignInAttempt.objects.create(provider=provider, succeeded=True, at=now - timedelta(minutes=4))
    SignInAttempt.objects.create(provider=provider, succeeded=False, at=now - timedelta(hours=2))
    SignInAttempt.objects.create(provider=provider, succeeded=False, at=now - timedelta(days=2))
    line = _line()
    assert line.state == "attention"
    assert (
        line.summary == "1 provider; last sign-in 4\xa0minutes ago; 1 failed sign-in in 24 hours."
    )
    assert line.manage_url == "/it/sso/"


def test_the_status_line_is_failing_when_every_recent_sign_in_failed(
    provider: OidcProvider,
) -> None:
    SignInAttempt.objects.create(provider=provider, succeeded=False)
    assert _line().state == "failing"


def test_the_secret_never_leaves_in_the_api(provider: OidcProvider, it_client: Client) -> None:
    answer = it_client.get("/api/v1/integrations/sso/providers")
    assert answer.status_code == 200
    assert CLIENT_SECRET not in answer.content.decode()
    assert answer.json()[0]["secret_ending"] == CLIENT_SECRET[-4:]


def test_the_page_reads_a_fixed_number_of_queries_however_many_providers_and_attempts(
    it_client: Client, it: Person, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(6):
        made = services.create_provider(
            name=f"IdP {n}",
            issuer=f"https://idp{n}.example.com",
            client_id="x",
            client_secret="y",
            by=it,
        )
        for _ in range(5):
            SignInAttempt.objects.create(provider=made, succeeded=False, reason="test")
    with django_assert_max_num_queries(12):
        assert it_client.get("/it/sso/").status_code == 200


def test_a_failed_reason_names_nobody(idp: IdP, provider: OidcProvider) -> None:
    sign_in_through(idp, Client(), provider, "stranger@example.com")
    assert "stranger" not in SignInAttempt.objects.get(succeeded=False).reason
