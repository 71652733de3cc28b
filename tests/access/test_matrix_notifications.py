"""The access matrix for notifications, their settings and the inbox: each person their own.

Nobody (HR admins included) can list, open or mark another person's notifications; the
owner's notification is fetched by id by every role to prove it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.notifications.models import Notification, NotificationSetting
from tests.access.matrix import (
    FORM,
    OWNER,
    Org,
    Row,
    api,
    assert_unseen,
    case_ids,
    cases,
    check_case,
    expect,
    matrix_org,
    register_tables,
    url,
)

SECRET_TITLE = "Matrix-secret notification title"


def _notification(o: Org) -> int:
    return o.extras["notification"].pk


MATRIX: tuple[Row, ...] = (
    Row("notifications:list", "own list", lambda o: url("notifications:list"), expect()),
    Row(
        "notifications:mark_all_read",
        "own notifications",
        lambda o: url("notifications:mark_all_read"),
        expect(ok=302),
        method="POST",
    ),
    Row(
        "notifications:open",
        "the owner's notification",
        lambda o: url("notifications:open", _notification(o)),
        expect(OWNER, ok=302),
        method="POST",
    ),
    Row("notifications:settings", "own choices", lambda o: url("notifications:settings"), expect()),
    Row(
        "notifications:settings",
        "empty form",
        lambda o: url("notifications:settings"),
        expect(ok=FORM),
        method="POST",
    ),
    Row("notifications:inbox", "own inbox", lambda o: url("notifications:inbox"), expect()),
    Row("api:list_notifications", "own list", lambda o: url("api:list_notifications"), api()),
    Row(
        "api:read_notification",
        "the owner's notification",
        lambda o: url("api:read_notification", _notification(o)),
        api(OWNER),
        method="POST",
    ),
)


register_tables(Notification, NotificationSetting)


def _build_notification(org: Org) -> None:
    org.extras["notification"] = Notification.objects.create(
        person=org.owner, kind="mention", title=SECRET_TITLE, url="/program/"
    )


def _tear_down_notifications(org: Org) -> None:
    Notification.objects.filter(person__in=org.people.values()).delete()
    NotificationSetting.objects.filter(person__in=org.people.values()).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(
        django_db_blocker, extras=_build_notification, cleanup=_tear_down_notifications
    ) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    assert_unseen(text, role, row.url(org), {SECRET_TITLE: (OWNER,)})
