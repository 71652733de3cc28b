"""The access matrix for SCIM provisioning: the token page and API are for IT admins only
(404 for everyone else); /scim/v2/ answers no session at all, whoever is signed in (401 with a SCIM
error body): it takes SCIM tokens only (tests/integrations/scim/test_tokens.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.integrations.scim.models import ScimEvent, ScimGroup, ScimToken, ScimUser
from tests.access.matrix import (
    IT_ADMIN,
    ROLES,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    body,
    case_ids,
    cases,
    check_api_case,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)

REFUSED = dict.fromkeys(ROLES, 401)

MATRIX: tuple[Row, ...] = (
    Row(
        "integrations_scim:tokens",
        "page",
        lambda o: url("integrations_scim:tokens"),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_scim:tokens",
        "issue with no data",
        lambda o: url("integrations_scim:tokens"),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations_scim:revoke",
        "a token",
        lambda o: url("integrations_scim:revoke", pk(o, "token")),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "api:list_scim_tokens",
        "list",
        lambda o: url("api:list_scim_tokens"),
        api(IT_ADMIN),
    ),
    Row(
        "api:create_scim_token",
        "a token",
        lambda o: url("api:create_scim_token"),
        api(IT_ADMIN, ok=201),
        method="POST",
        data=body(lambda o: {"name": "matrix"}),
    ),
    Row(
        "api:revoke_scim_token",
        "a token",
        lambda o: url("api:revoke_scim_token", pk(o, "token")),
        api(IT_ADMIN),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row("integrations_scim:spc", "discovery", lambda o: url("integrations_scim:spc"), REFUSED),
    Row("integrations_scim:users", "list", lambda o: url("integrations_scim:users"), REFUSED),
    Row(
        "integrations_scim:users",
        "create",
        lambda o: url("integrations_scim:users"),
        REFUSED,
        method="POST",
        data=body(lambda o: {"userName": "x@example.com"}),
    ),
    Row(
        "integrations_scim:user",
        "another team's person by id",
        lambda o: url("integrations_scim:user", str(o.owner.pk)),
        REFUSED,
    ),
    Row(
        "integrations_scim:user",
        "patch another team's person",
        lambda o: url("integrations_scim:user", str(o.owner.pk)),
        REFUSED,
        method="PATCH",
        data=body(lambda o: {"Operations": [{"op": "replace", "path": "active", "value": False}]}),
    ),
    Row(
        "integrations_scim:user",
        "delete another team's person",
        lambda o: url("integrations_scim:user", str(o.owner.pk)),
        REFUSED,
        method="DELETE",
        data=body(lambda o: {}),
    ),
    Row("integrations_scim:groups", "list", lambda o: url("integrations_scim:groups"), REFUSED),
    Row(
        "integrations_scim:resource_types",
        "discovery",
        lambda o: url("integrations_scim:resource_types"),
        REFUSED,
    ),
    Row(
        "integrations_scim:resource_type",
        "User",
        lambda o: url("integrations_scim:resource_type", "User"),
        REFUSED,
    ),
    Row(
        "integrations_scim:schemas",
        "discovery",
        lambda o: url("integrations_scim:schemas"),
        REFUSED,
    ),
    Row(
        "integrations_scim:schema",
        "the core user schema",
        lambda o: url("integrations_scim:schema", "urn:ietf:params:scim:schemas:core:2.0:User"),
        REFUSED,
    ),
    Row(
        "integrations_scim:search",
        "every resource type",
        lambda o: url("integrations_scim:search"),
        REFUSED,
        method="POST",
        data=body(lambda o: {"filter": 'userName eq "x@example.com"'}),
    ),
    Row(
        "integrations_scim:users_search",
        "users",
        lambda o: url("integrations_scim:users_search"),
        REFUSED,
        method="POST",
        data=body(lambda o: {"filter": 'userName eq "x@example.com"'}),
    ),
    Row(
        "integrations_scim:groups_search",
        "groups",
        lambda o: url("integrations_scim:groups_search"),
        REFUSED,
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "integrations_scim:not_found",
        "an unknown SCIM address",
        lambda o: url("integrations_scim:not_found", "Unknown"),
        REFUSED,
    ),
    Row(
        "integrations_scim:group",
        "a department by id",
        lambda o: url("integrations_scim:group", str(o.engineering.pk)),
        REFUSED,
    ),
)

register_tables(ScimToken, ScimUser, ScimGroup, ScimEvent)


def _build(org: Org) -> None:
    # Written directly: the audit trail is append-only, and the matrix's org outlives its tests.
    raw, prefix, token_hash = ScimToken.generate()
    org.extras["token"] = ScimToken.objects.create(
        name="Okta", prefix=prefix, token_hash=token_hash
    )


def _tear_down(org: Org) -> None:
    ScimEvent.objects.all().delete()
    ScimToken.objects.all().delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_api_case(row, role, org)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    # API operations sharing a path (list and create) resolve to the first one's name.
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)
