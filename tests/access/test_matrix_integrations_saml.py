"""The access matrix for SAML sign-in: IT admins only for the set-up pages (HR, managers and
everyone else get 404); the protocol endpoints (metadata, starting a sign-in, the ACS) are
public and never fail with a 500."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.integrations.saml import sp
from tandem.integrations.saml.models import (
    IdentityProvider,
    ServiceProviderKey,
    SignInAttempt,
    UsedAssertion,
)
from tests.access.matrix import (
    IT_ADMIN,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    case_ids,
    cases,
    check_api_case,
    check_case,
    expect,
    matrix_org,
    pk,
    public,
    register_tables,
    url,
)
from tests.integrations.saml import idp as test_idp

MATRIX: tuple[Row, ...] = (
    Row(
        "integrations_saml:providers",
        "page",
        lambda o: url("integrations_saml:providers"),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_saml:providers",
        "add with no data",
        lambda o: url("integrations_saml:providers"),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations_saml:provider_edit",
        "a provider",
        lambda o: url("integrations_saml:provider_edit", pk(o, "saml_provider")),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_saml:provider_edit",
        "save with no data",
        lambda o: url("integrations_saml:provider_edit", pk(o, "saml_provider")),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations_saml:provider_delete",
        "a provider",
        lambda o: url("integrations_saml:provider_delete", pk(o, "saml_provider")),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "integrations_saml:provider_test",
        "test sign-in",
        lambda o: url("integrations_saml:provider_test", pk(o, "saml_provider")),
        # IT admins go to the identity provider (test_test_row_leads_the_it_admin_to_the_idp).
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "api:get_saml_setup",
        "addresses and providers",
        lambda o: url("api:get_saml_setup"),
        api(IT_ADMIN),
    ),
    Row(
        "api:get_saml_provider",
        "a provider",
        lambda o: url("api:get_saml_provider", pk(o, "saml_provider")),
        api(IT_ADMIN),
    ),
    Row(
        "integrations_saml:metadata",
        "Tandem's SP metadata",
        lambda o: url("integrations_saml:metadata"),
        public(200),
    ),
    Row(
        "integrations_saml:login",
        "start a sign-in",
        lambda o: url("integrations_saml:login", pk(o, "saml_provider")),
        # A tuple: the redirect leads to the identity provider, not to /login/ (which the
        # matrix expects of a plain 302 for visitors); test_login_row_leads_to_the_idp.
        public((302,)),
    ),
    Row(
        "integrations_saml:acs",
        "an empty answer",
        lambda o: url("integrations_saml:acs"),
        public(302),
        method="POST",
    ),
)

register_tables(IdentityProvider, ServiceProviderKey, SignInAttempt, UsedAssertion)


def _build(org: Org) -> None:
    # Written directly: the audit trail is append-only, and the matrix's org outlives its tests.
    with tempfile.TemporaryDirectory() as directory:
        metadata = test_idp.make(Path(directory), base="https://idp.example").metadata_xml()
    org.extras["saml_provider"] = IdentityProvider.objects.create(
        name="Matrix IdP", entity_id="https://idp.example/metadata", metadata_xml=metadata
    )
    sp.service_provider_key()  # made once, on a real installation by the first use


def _tear_down(org: Org) -> None:
    SignInAttempt.objects.all().delete()
    UsedAssertion.objects.all().delete()
    IdentityProvider.objects.all().delete()
    ServiceProviderKey.objects.all().delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    if row.name.startswith("api:"):
        check_api_case(row, role, org)
    else:
        check_case(row, role, org)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)


def test_login_row_leads_to_the_idp(org: Org, db: None) -> None:
    from django.test import Client

    answer = Client().get(url("integrations_saml:login", pk(org, "saml_provider")))
    assert answer["Location"].startswith("https://idp.example/sso/redirect?SAMLRequest=")


def test_test_row_leads_the_it_admin_to_the_idp(org: Org, db: None) -> None:
    from django.test import Client

    client = Client()
    client.force_login(org.people[IT_ADMIN])
    answer = client.post(url("integrations_saml:provider_test", pk(org, "saml_provider")))
    assert answer["Location"].startswith("https://idp.example/sso/redirect?SAMLRequest=")
