"""The access matrix for outgoing webhooks and the IT page: IT admins only, for every page
and endpoint; HR, managers and everyone else get 404 (denied looks like missing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone

from tandem.core.encryption import seal
from tandem.integrations.webhooks import services
from tandem.integrations.webhooks.models import Attempt, Delivery, DeliveryStatus, Endpoint, Message
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

# Nothing listens on port 9 (discard): a test event answers at once with "could not be
# reached", without the matrix depending on the network.
NOWHERE = "http://127.0.0.1:9/hook"
ENDPOINT_BODY = {"name": "Matrix sink", "url": NOWHERE, "event_types": ["goal.closed"]}


def _endpoint(o: Org) -> int:
    return pk(o, "endpoint")


def _delivery(o: Org) -> tuple[int, int]:
    return pk(o, "endpoint"), pk(o, "delivery")


MATRIX: tuple[Row, ...] = (
    Row(
        "integrations:it_overview",
        "page",
        lambda o: url("integrations:it_overview"),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_webhooks:endpoints",
        "page",
        lambda o: url("integrations_webhooks:endpoints"),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_webhooks:endpoints",
        "add with no data",
        lambda o: url("integrations_webhooks:endpoints"),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations_webhooks:endpoint",
        "an endpoint",
        lambda o: url("integrations_webhooks:endpoint", _endpoint(o)),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_webhooks:endpoint",
        "save with no data",
        lambda o: url("integrations_webhooks:endpoint", _endpoint(o)),
        expect(IT_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "integrations_webhooks:test",
        "an endpoint",
        lambda o: url("integrations_webhooks:test", _endpoint(o)),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "integrations_webhooks:rotate",
        "an endpoint",
        lambda o: url("integrations_webhooks:rotate", _endpoint(o)),
        expect(IT_ADMIN),
        method="POST",
    ),
    Row(
        "integrations_webhooks:delete",
        "an endpoint",
        lambda o: url("integrations_webhooks:delete", _endpoint(o)),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "integrations_webhooks:delivery",
        "a delivery",
        lambda o: url("integrations_webhooks:delivery", *_delivery(o)),
        expect(IT_ADMIN),
    ),
    Row(
        "integrations_webhooks:redeliver",
        "a failed delivery",
        lambda o: url("integrations_webhooks:redeliver", *_delivery(o)),
        expect(IT_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "api:list_webhook_endpoints",
        "list",
        lambda o: url("api:list_webhook_endpoints"),
        api(IT_ADMIN),
    ),
    Row(
        "api:create_webhook_endpoint",
        "an endpoint",
        lambda o: url("api:create_webhook_endpoint"),
        api(IT_ADMIN, ok=201),
        method="POST",
        data=body(lambda o: ENDPOINT_BODY),
    ),
    Row(
        "api:get_webhook_endpoint",
        "an endpoint",
        lambda o: url("api:get_webhook_endpoint", _endpoint(o)),
        api(IT_ADMIN),
    ),
    Row(
        "api:update_webhook_endpoint",
        "an endpoint",
        lambda o: url("api:update_webhook_endpoint", _endpoint(o)),
        api(IT_ADMIN),
        method="PUT",
        data=body(lambda o: ENDPOINT_BODY),
    ),
    Row(
        "api:delete_webhook_endpoint",
        "an endpoint",
        lambda o: url("api:delete_webhook_endpoint", _endpoint(o)),
        api(IT_ADMIN, ok=204),
        method="DELETE",
        data=body(lambda o: {}),
    ),
    Row(
        "api:rotate_webhook_secret",
        "an endpoint",
        lambda o: url("api:rotate_webhook_secret", _endpoint(o)),
        api(IT_ADMIN),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:test_webhook_endpoint",
        "an endpoint",
        lambda o: url("api:test_webhook_endpoint", _endpoint(o)),
        api(IT_ADMIN),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:list_webhook_deliveries",
        "the log",
        lambda o: url("api:list_webhook_deliveries", _endpoint(o)),
        api(IT_ADMIN),
    ),
    Row(
        "api:redeliver_webhook",
        "a failed delivery",
        lambda o: url("api:redeliver_webhook", *_delivery(o)),
        api(IT_ADMIN, ok=202),
        method="POST",
        data=body(lambda o: {}),
    ),
)

register_tables(Endpoint, Message, Delivery, Attempt)


def _build(org: Org) -> None:
    # Written directly: the audit trail is append-only, and the matrix's org outlives its tests.
    endpoint = Endpoint.objects.create(
        name="Matrix endpoint",
        url=NOWHERE,
        event_types=["goal.closed"],
        secret_sealed=seal("whsec_bWF0cml4LW1hdHJpeC1tYXRyaXg=", purpose=services.PURPOSE),
    )
    message = Message.objects.create(
        id="msg_matrix", event_type="goal.closed", occurred_at=timezone.now()
    )
    org.extras["endpoint"] = endpoint
    org.extras["delivery"] = Delivery.objects.create(
        message=message,
        endpoint=endpoint,
        event_type="goal.closed",
        status=DeliveryStatus.FAILED,
        attempts=8,
        last_status_code=500,
    )


def _tear_down(org: Org) -> None:
    Attempt.objects.all().delete()
    Delivery.objects.all().delete()
    Message.objects.all().delete()
    Endpoint.objects.all().delete()


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
