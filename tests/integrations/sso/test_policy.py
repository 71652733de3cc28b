"""The SSO policy: requiring SSO refuses password sign-in except for the break-glass account;
just-in-time creation adds people only when IT turned it on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tandem.audit.models import AuditEvent
from tandem.integrations.sso import services
from tandem.integrations.sso.models import OidcProvider
from tandem.org.models import Person
from tests.factories import PASSWORD, PersonFactory
from tests.integrations.sso.conftest import sign_in_through
from tests.integrations.sso.idp import CLIENT_ID, CLIENT_SECRET, IdP

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline_provider(it: Person) -> OidcProvider:
    """A provider that is never reached: the policy only needs one switched on."""
    return services.create_provider(
        name="Okta",
        issuer="https://example.okta.com",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        by=it,
    )


def _password_sign_in(person: Person) -> int:
    return Client().post("/login/", {"username": person.email, "password": PASSWORD}).status_code


def test_password_sign_in_works_while_sso_is_not_required(offline_provider: OidcProvider) -> None:
    assert _password_sign_in(PersonFactory()) == 302


def test_requiring_sso_refuses_password_sign_in_and_says_why(
    it: Person, offline_provider: OidcProvider
) -> None:
    ana = PersonFactory()
    services.save_policy(require_sso=True, break_glass_email=it.email, just_in_time=False, by=it)
    response = Client().post("/login/", {"username": ana.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "use the “Sign in with …” button" in response.content.decode()
    assert "Sign in with Okta" in response.content.decode()


def test_the_break_glass_account_still_signs_in_with_a_password(
    it: Person, offline_provider: OidcProvider
) -> None:
    services.save_policy(
        require_sso=True, break_glass_email=it.email.upper(), just_in_time=False, by=it
    )
    assert _password_sign_in(it) == 302


def test_requiring_sso_needs_a_break_glass_account(
    it: Person, offline_provider: OidcProvider
) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_policy(require_sso=True, break_glass_email="", just_in_time=False, by=it)
    assert "break-glass" in str(error.value.message_dict["break_glass_email"])


def test_requiring_sso_needs_a_provider_switched_on(it: Person) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_policy(
            require_sso=True, break_glass_email=it.email, just_in_time=False, by=it
        )
    assert "nobody could sign in" in str(error.value.message_dict["require_sso"])


def test_the_break_glass_account_must_be_someone_still_here(
    it: Person, offline_provider: OidcProvider
) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_policy(
            require_sso=True, break_glass_email="ghost@example.com", just_in_time=False, by=it
        )
    assert "ghost@example.com" in str(error.value.message_dict["break_glass_email"])


def test_a_policy_change_is_audited_and_a_repeat_changes_nothing(
    it: Person, offline_provider: OidcProvider
) -> None:
    args = {"require_sso": True, "break_glass_email": it.email, "just_in_time": True, "by": it}
    assert services.save_policy(**args)
    assert services.save_policy(**args) == {}
    event = AuditEvent.objects.get(kind="sso.policy_update")
    assert event.changes["require_sso"] == [False, True]


def test_just_in_time_is_off_by_default(idp: IdP, provider: OidcProvider) -> None:
    client = Client()
    sign_in_through(idp, client, provider, "new.hire@example.com")
    assert not Person.objects.filter(email="new.hire@example.com").exists()


def test_just_in_time_creates_the_person_at_their_first_sign_in(
    idp: IdP, provider: OidcProvider, it: Person
) -> None:
    services.save_policy(require_sso=False, break_glass_email="", just_in_time=True, by=it)
    client = Client()
    response = sign_in_through(idp, client, provider, "new.hire@example.com")
    assert response["Location"] == "/"
    person = Person.objects.get(email="new.hire@example.com")
    assert (person.first_name, person.last_name) == ("new.hire", "Tester")  # the IdP's claims
    assert int(client.session["_auth_user_id"]) == person.pk
    assert AuditEvent.objects.filter(kind="person.create", subject_id=person.pk).exists()


def test_just_in_time_still_refuses_a_disallowed_domain(
    idp: IdP, provider: OidcProvider, it: Person
) -> None:
    services.save_policy(require_sso=False, break_glass_email="", just_in_time=True, by=it)
    sign_in_through(idp, Client(), provider, "someone@elsewhere.org")
    assert not Person.objects.filter(email="someone@elsewhere.org").exists()


def test_the_last_provider_on_cannot_be_switched_off_while_sso_is_required(
    it: Person, offline_provider: OidcProvider
) -> None:
    services.save_policy(require_sso=True, break_glass_email=it.email, just_in_time=False, by=it)
    fields = {
        "name": "Okta",
        "issuer": offline_provider.issuer,
        "client_id": CLIENT_ID,
        "scopes": "openid email",
        "email_claim": "email",
        "allowed_domains": "",
    }
    with pytest.raises(ValidationError) as error:
        services.update_provider(provider=offline_provider, enabled=False, by=it, **fields)
    assert "only provider switched on" in str(error.value.message_dict["enabled"])
    with pytest.raises(ValidationError):
        services.delete_provider(provider=offline_provider, by=it)
    assert OidcProvider.objects.filter(pk=offline_provider.pk, enabled=True).exists()
