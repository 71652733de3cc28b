"""SCIM tokens: issued by IT (page or command line), shown once, revocable; the only way in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from tandem.integrations.scim.models import ScimToken
from tandem.integrations.scim.queries import status_lines
from tests.factories import PersonFactory, api_token, it_admin
from tests.integrations.scim.conftest import ScimClient, user_payload

pytestmark = pytest.mark.django_db


def test_a_personal_api_token_is_refused_with_a_scim_error(db: None) -> None:
    raw = api_token(it_admin())
    response = Client().get("/scim/v2/Users", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_a_signed_in_session_is_refused(client: Client) -> None:
    client.force_login(it_admin())
    assert client.get("/scim/v2/Users").status_code == 401


def test_a_revoked_token_is_refused(scim: ScimClient) -> None:
    ScimToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert scim.get("/scim/v2/Users").status_code == 401


def test_it_issues_a_token_on_the_page_and_shows_it_once(client: Client) -> None:
    client.force_login(it_admin())
    response = client.post("/it/scim/", {"name": "Okta"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw.startswith("scim_")
    assert ScimClient(raw).get("/scim/v2/Users").status_code == 200
    assert raw not in client.get("/it/scim/").content.decode()


def test_revoking_on_the_page_ends_the_token(client: Client, scim: ScimClient) -> None:
    client.force_login(it_admin())
    token = ScimToken.objects.get()
    assert client.post(f"/it/scim/{token.pk}/revoke/").status_code == 302
    assert scim.get("/scim/v2/Users").status_code == 401


def test_the_command_prints_a_working_token_once(db: None) -> None:
    out = StringIO()
    call_command("create_scim_token", "Entra", stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    assert ScimClient(raw).get("/scim/v2/ServiceProviderConfig").status_code == 200


def test_the_status_line_counts_tokens_changes_and_errors(scim: ScimClient) -> None:
    PersonFactory()
    scim.post("/scim/v2/Users", user_payload("ann.lee@example.com"))
    scim.post("/scim/v2/Users", user_payload("ann.lee@example.com"))  # a uniqueness error
    (line,) = status_lines()
    assert line.state == "failing"
    assert "1 token" in line.summary and "1 error in the last 24 hours" in line.summary
    assert line.last_activity is not None


def test_the_status_line_is_off_without_tokens(db: None) -> None:
    (line,) = status_lines()
    assert line.state == "off"
