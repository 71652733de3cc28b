"""IT's page for SAML identity providers, Tandem's own key and metadata, and the IT status
line. The metadata comes from the real loopback IdP (tests/integrations/saml/idp.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.integrations import status
from tandem.integrations.saml import queries, services, sp
from tandem.integrations.saml.models import IdentityProvider, ServiceProviderKey, SignInAttempt
from tandem.org.models import Person
from tests.factories import it_admin
from tests.integrations.saml.idp import LoopbackIdP

pytestmark = pytest.mark.django_db

PAGE = "/it/saml/"


@pytest.fixture
def it(db: None) -> Person:
    return it_admin(first_name="Ida", last_name="Itadmin")


@pytest.fixture
def it_client(client: Client, it: Person) -> Client:
    client.force_login(it)
    return client


def upload(xml: str, name: str = "idp.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xml.encode(), content_type="application/xml")


def test_it_adds_a_provider_by_uploading_its_metadata(it_client: Client, idp: LoopbackIdP) -> None:
    answer = it_client.post(
        PAGE,
        {
            "name": "Okta",
            "metadata_file": upload(idp.metadata_xml()),
            "allowed_domains": "Example.com, @corp.example",
            "enabled": "on",
        },
    )
    assert answer.status_code == 302
    provider = IdentityProvider.objects.get()
    assert provider.entity_id == idp.entity_id
    assert provider.domains == ["example.com", "corp.example"]
    event = AuditEvent.objects.get(kind="saml_provider.create")
    assert event.changes["allowed_domains"] == "example.com, corp.example"


def test_it_adds_a_provider_from_its_metadata_url(it_client: Client, idp: LoopbackIdP) -> None:
    it_client.post(PAGE, {"name": "Okta", "metadata_url": idp.metadata_url, "enabled": "on"})
    assert IdentityProvider.objects.get().metadata_url == idp.metadata_url


def test_a_file_that_is_not_metadata_is_refused_naming_the_field(it_client: Client) -> None:
    answer = it_client.post(PAGE, {"name": "Okta", "metadata_file": upload("<html>hello</html>")})
    assert answer.status_code == 400
    assert "not SAML metadata Tandem can read" in answer.content.decode()
    assert not IdentityProvider.objects.exists()


def test_metadata_of_a_service_provider_is_refused(it_client: Client) -> None:
    answer = it_client.post(PAGE, {"name": "Okta", "metadata_file": upload(sp.metadata_xml())})
    assert answer.status_code == 400
    assert "exactly one identity provider" in answer.content.decode()
    assert not IdentityProvider.objects.exists()


def test_neither_file_nor_url_is_refused(it_client: Client) -> None:
    answer = it_client.post(PAGE, {"name": "Okta"})
    assert answer.status_code == 400
    assert "Upload the identity provider&#x27;s metadata, or give its URL." in (
        answer.content.decode()
    )


def test_a_plain_http_metadata_url_elsewhere_is_refused(it_client: Client) -> None:
    answer = it_client.post(
        PAGE, {"name": "Okta", "metadata_url": "http://idp.example.com/metadata"}
    )
    assert answer.status_code == 400
    assert "Use an https:// address" in answer.content.decode()


def test_an_unreachable_metadata_url_is_explained(it_client: Client) -> None:
    answer = it_client.post(PAGE, {"name": "Okta", "metadata_url": "http://127.0.0.1:9/md"})
    assert answer.status_code == 400
    assert "could not reach this address" in answer.content.decode()


def test_the_same_identity_provider_cannot_be_added_twice(
    it_client: Client, it: Person, idp: LoopbackIdP
) -> None:
    services.create_provider(name="Okta", metadata_xml=idp.metadata_xml(), by=it)
    answer = it_client.post(PAGE, {"name": "Okta 2", "metadata_file": upload(idp.metadata_xml())})
    assert answer.status_code == 400
    assert "already uses this metadata" in answer.content.decode()


def test_it_changes_a_provider_and_the_change_is_audited(
    it_client: Client, it: Person, idp: LoopbackIdP
) -> None:
    provider = services.create_provider(name="Okta", metadata_xml=idp.metadata_xml(), by=it)
    answer = it_client.post(
        reverse("integrations_saml:provider_edit", args=[provider.pk]),
        {"name": "Okta (staff)", "email_attribute": "mail", "enabled": ""},
    )
    assert answer.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.email_attribute, provider.enabled) == (
        "Okta (staff)",
        "mail",
        False,
    )
    event = AuditEvent.objects.get(kind="saml_provider.update")
    assert event.changes["enabled"] == [True, False]
    assert event.changes["email_attribute"] == ["NameID", "mail"]


def test_removing_a_provider_takes_its_button_off_the_sign_in_page(
    it_client: Client, it: Person, idp: LoopbackIdP
) -> None:
    provider = services.create_provider(name="Okta", metadata_xml=idp.metadata_xml(), by=it)
    it_client.post(reverse("integrations_saml:provider_delete", args=[provider.pk]))
    assert not IdentityProvider.objects.exists()
    assert AuditEvent.objects.filter(kind="saml_provider.delete").count() == 1
    assert "Sign in with Okta" not in Client().get(reverse("login")).content.decode()


def test_the_page_shows_the_addresses_to_give_the_identity_provider(it_client: Client) -> None:
    page = it_client.get(PAGE).content.decode()
    assert sp.entity_id() in page
    assert sp.acs_url() in page


def test_the_service_provider_key_is_made_once_and_sealed(client: Client) -> None:
    first = client.get("/saml/metadata/").content.decode()
    second = client.get("/saml/metadata/").content.decode()
    assert ServiceProviderKey.objects.count() == 1
    key = ServiceProviderKey.objects.get()
    assert "PRIVATE KEY" not in key.private_key_sealed
    certificate = "".join(key.certificate_pem.splitlines()[1:-1])
    assert certificate in first.replace("\n", "")
    assert first == second


def test_the_metadata_names_the_entity_id_and_the_acs(client: Client) -> None:
    answer = client.get("/saml/metadata/")
    assert answer["Content-Type"] == "application/samlmetadata+xml"
    body = answer.content.decode()
    assert f'entityID="{sp.entity_id()}"' in body
    assert sp.acs_url() in body
    assert 'WantAssertionsSigned="true"' in body


def test_the_metadata_is_built_once_for_two_requests(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []
    build = sp._build_metadata

    def counting(pair: ServiceProviderKey) -> str:
        builds.append(pair.pk)
        return build(pair)

    monkeypatch.setattr(sp, "_build_metadata", counting)
    first = client.get("/saml/metadata/").content.decode()
    second = client.get("/saml/metadata/").content.decode()
    assert len(builds) == 1
    assert first == second


def test_another_site_address_is_in_the_metadata_at_once(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://before.example"
    assert (
        'entityID="https://before.example/saml/metadata/"'
        in client.get("/saml/metadata/").content.decode()
    )
    settings.SITE_URL = "https://after.example"
    body = client.get("/saml/metadata/").content.decode()
    assert 'entityID="https://after.example/saml/metadata/"' in body
    assert "before.example" not in body


def test_a_new_key_pair_is_in_the_metadata_at_once(client: Client) -> None:
    client.get("/saml/metadata/")
    ServiceProviderKey.objects.all().delete()
    body = client.get("/saml/metadata/").content.decode().replace("\n", "")
    certificate = "".join(ServiceProviderKey.objects.get().certificate_pem.splitlines()[1:-1])
    assert certificate in body


def test_the_status_line_counts_providers_sign_ins_and_failures(
    it: Person, idp: LoopbackIdP
) -> None:
    provider = services.create_provider(name="Okta", metadata_xml=idp.metadata_xml(), by=it)
    now = timezone.now()
    SignInAttempt.objects.create(provider=provider, succeeded=True, at=now - timedelta(minutes=4))
    SignInAttempt.objects.create(provider=provider, succeeded=False, at=now - timedelta(hours=2))
    SignInAttempt.objects.create(provider=provider, succeeded=False, at=now - timedelta(days=2))
    [line] = queries.status_lines()
    assert line.state == "attention"
    assert line.summary == (
        "1 identity provider; last sign-in 4\xa0minutes ago; 1 failed sign-in in the last 24 hours"
    )
    assert line in status.collect()


def test_the_status_line_is_failing_when_nothing_signed_in_but_attempts_failed(
    it: Person, idp: LoopbackIdP
) -> None:
    services.create_provider(name="Okta", metadata_xml=idp.metadata_xml(), by=it)
    SignInAttempt.objects.create(provider=None, succeeded=False)
    [line] = queries.status_lines()
    assert line.state == "failing"


def test_the_status_line_is_off_without_providers(db: None) -> None:
    [line] = queries.status_lines()
    assert (line.state, line.summary) == ("off", "No identity providers.")


def test_the_api_gives_it_the_addresses_and_providers_without_the_metadata(
    it: Person, idp: LoopbackIdP
) -> None:
    from tests.factories import api_token

    services.create_provider(
        name="Okta", metadata_xml=idp.metadata_xml(), allowed_domains="example.com", by=it
    )
    answer = Client().get(
        "/api/v1/integrations/saml", headers={"Authorization": f"Bearer {api_token(it)}"}
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["entity_id"] == sp.entity_id()
    assert data["providers"][0]["allowed_domains"] == ["example.com"]
    assert "metadata_xml" not in data["providers"][0]
