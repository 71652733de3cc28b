"""The access matrix for chat webhooks: IT admins only, for every page and endpoint; HR,
managers and everyone else get 404 (denied looks like missing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.core.encryption import seal
from tandem.integrations import services
from tandem.integrations.models import ChatDelivery, ChatWebhook
from tests.access.matrix import (
    IT_ADMIN,
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

# Nothing listens on port 9 (discard): the test button answers at once with "could not be
# reached", without the matrix depending on the network.
NOWHERE = "http://127.0.0.1:9/hook"

MATRIX: tuple[Row, ...] = (
    Row(
        "integrations:chat_webhooks",
        "page",
        lambda o: url("integrations:chat_webhooks"),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations:chat_webhooks",
        "add with no data",
        lambda o: url("integrations:chat_webhooks"),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations:chat_webhook_edit",
        "a webhook",
        lambda o: url("integrations:chat_webhook_edit", pk(o, "webhook")),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations:chat_webhook_edit",
        "save with no data",
        lambda o: url("integrations:chat_webhook_edit", pk(o, "webhook")),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations:chat_webhook_test",
        "a webhook",
        lambda o: url("integrations:chat_webhook_test", pk(o, "webhook")),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "integrations:chat_webhook_delete",
        "a webhook",
        lambda o: url("integrations:chat_webhook_delete", pk(o, "webhook")),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "integrations:chat_deliveries",
        "page",
        lambda o: url("integrations:chat_deliveries"),
        expect(IT_ADMIN),
    ),
    Row(
        "api:list_chat_webhooks",
        "list",
        lambda o: url("api:list_chat_webhooks"),
        api(IT_ADMIN),
    ),
    Row(
        "api:create_chat_webhook",
        "a webhook",
        lambda o: url("api:create_chat_webhook"),
        api(IT_ADMIN, ok=201),
        method="POST",
        data=body(lambda o: {"provider": "slack", "name": "#matrix", "url": NOWHERE}),
    ),
    Row(
        "api:test_chat_webhook",
        "a webhook",
        lambda o: url("api:test_chat_webhook", pk(o, "webhook")),
        api(IT_ADMIN),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:list_chat_deliveries",
        "the log",
        lambda o: url("api:list_chat_deliveries"),
        api(IT_ADMIN),
    ),
)

register_tables(ChatWebhook, ChatDelivery)


def _build(org: Org) -> None:
    # Written directly: the audit trail is append-only, and the matrix's org outlives its tests.
    org.extras["webhook"] = ChatWebhook.objects.create(
        provider="slack",
        name="#matrix-channel",
        url_sealed=seal(NOWHERE, purpose=services.PURPOSE),
        url_hint=NOWHERE[-4:],
    )


def _tear_down(org: Org) -> None:
    ChatDelivery.objects.all().delete()
    ChatWebhook.objects.all().delete()


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
