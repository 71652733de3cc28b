from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client
from django.test.client import Client as DjangoClient

from tandem.integrations.sso import services
from tandem.integrations.sso.models import OidcProvider
from tandem.org.models import Person
from tests.factories import it_admin
from tests.integrations.sso.idp import (
    CALLBACK_PATH,
    CLIENT_ID,
    CLIENT_SECRET,
    IdP,
    running_provider,
)

TESTSERVER = "http://testserver"


@pytest.fixture(scope="session")
def idp() -> Iterator[IdP]:
    """One real provider for the session, sending people back to the test client's host."""
    with running_provider(TESTSERVER + CALLBACK_PATH) as running:
        yield running


@pytest.fixture(autouse=True)
def _site_url(settings: pytest.FixtureRequest) -> None:
    settings.SITE_URL = TESTSERVER  # type: ignore[attr-defined]


@pytest.fixture
def it(db: None) -> Person:
    return it_admin(first_name="Ida", last_name="Itadmin", email="ida@example.com")


@pytest.fixture
def provider(idp: IdP, it: Person) -> Iterator[OidcProvider]:
    idp.misbehave()
    made = services.create_provider(
        name="Test IdP",
        issuer=idp.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        allowed_domains="example.com",
        by=it,
    )
    yield made
    idp.misbehave()


def start(client: DjangoClient, provider: OidcProvider) -> str:
    """Press "Sign in with …": the provider's authorization address."""
    response = client.get(f"/sso/oidc/{provider.pk}/start/")
    assert response.status_code == 302, response.content[:300]
    return str(response["Location"])


def come_back(client: Client, callback_url: str) -> HttpResponse:
    """The browser arriving at Tandem's callback with what the provider sent."""
    parts = urlsplit(callback_url)
    assert parts.path == CALLBACK_PATH, callback_url
    return client.get(f"{parts.path}?{parts.query}")  # type: ignore[return-value]


def sign_in_through(idp: IdP, client: Client, provider: OidcProvider, email: str) -> HttpResponse:
    return come_back(client, idp.sign_in(start(client, provider), email))
