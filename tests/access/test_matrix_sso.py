"""The access matrix for single sign-on: IT's pages and endpoints are for IT admins only
(everyone else gets 404, denied looks like missing); the start of a sign-in and the callback
are public — they answer every role the same way, sending them to the sign-in page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.core.encryption import seal
from tandem.integrations.sso import services
from tandem.integrations.sso.models import OidcProvider, SignInAttempt, SsoPolicy
from tests.access.matrix import (
    IT_ADMIN,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    case_ids,
    cases,
    check_api_case,
    expect,
    matrix_org,
    pk,
    public,
    register_tables,
    url,
)

# Nothing listens on port 9 (discard): "Test sign-in" answers at once with "could not
# reach", without the matrix depending on the network.
NOWHERE = "http://127.0.0.1:9"

MATRIX: tuple[Row, ...] = (
    Row(
        "integrations_sso:providers",
        "page",
        lambda o: url("integrations_sso:providers"),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_sso:providers",
        "add with no data",
        lambda o: url("integrations_sso:providers"),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations_sso:policy",
        "save with no data (nothing changes)",
        lambda o: url("integrations_sso:policy"),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "integrations_sso:provider_edit",
        "a provider",
        lambda o: url("integrations_sso:provider_edit", pk(o, "provider")),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_sso:provider_edit",
        "save with no data",
        lambda o: url("integrations_sso:provider_edit", pk(o, "provider")),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations_sso:provider_test",
        "a provider",
        lambda o: url("integrations_sso:provider_test", pk(o, "provider")),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "integrations_sso:provider_delete",
        "a provider",
        lambda o: url("integrations_sso:provider_delete", pk(o, "provider")),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    # Public: the sign-in page's button. A switched-off provider sends everyone back to the
    # sign-in page (a switched-on one stores the sign-in in the session: see services.py).
    Row(
        "integrations_sso:start",
        "a switched-off provider",
        lambda o: url("integrations_sso:start", pk(o, "provider")),
        public(302),
    ),
    Row(
        "integrations_sso:callback",
        "no sign-in in progress",
        lambda o: url("integrations_sso:callback") + "?state=forged&code=x",
        public(302),
    ),
    Row("api:list_sso_providers", "list", lambda o: url("api:list_sso_providers"), api(IT_ADMIN)),
    Row("api:get_sso_policy", "the policy", lambda o: url("api:get_sso_policy"), api(IT_ADMIN)),
)

register_tables(OidcProvider, SsoPolicy, SignInAttempt)


def _build(org: Org) -> None:
    # Written directly: the audit trail is append-only, and the matrix's org outlives its tests.
    org.extras["provider"] = OidcProvider.objects.create(
        name="Matrix IdP",
        issuer=NOWHERE,
        client_id="matrix",
        client_secret_sealed=seal("matrix-secret", purpose=services.PURPOSE),
        secret_hint="cret",
        enabled=False,
    )


def _tear_down(org: Org) -> None:
    SignInAttempt.objects.all().delete()
    SsoPolicy.objects.all().delete()
    OidcProvider.objects.all().delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_api_case(row, role, org)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)
