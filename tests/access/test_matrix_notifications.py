"""The access matrix for notifications, their settings and the inbox: each person their own.

Nobody (HR admins included) can list, open or mark another person's notifications; the
owner's notification is fetched by id by every role to prove it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from tandem.notifications.models import Notification, NotificationSetting
from tests.access.matrix import (
    OWNER,
    Org,
    Row,
    api,
    build_org,
    case_ids,
    cases,
    check_case,
    end_sessions,
    expect,
    register_fingerprint,
    signed_in_sessions,
    tear_down_org,
)

FORM = (200, 302)
SECRET_TITLE = "Matrix-secret notification title"


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


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


def _notification_rows() -> Any:
    return (
        list(Notification.objects.order_by("pk").values_list()),
        list(NotificationSetting.objects.order_by("pk").values_list()),
    )


register_fingerprint(_notification_rows)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        built = build_org()
        try:
            built.extras["notification"] = Notification.objects.create(
                person=built.owner, kind="mention", title=SECRET_TITLE, url="/program/"
            )
            signed_in_sessions(built)
            yield built
        finally:
            end_sessions(built)
            Notification.objects.filter(person__in=built.people.values()).delete()
            NotificationSetting.objects.filter(person__in=built.people.values()).delete()
            tear_down_org(built)


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    if text is not None and role != OWNER:
        assert SECRET_TITLE not in text, f"{row.url(org)} shows {role} the owner's notification"
