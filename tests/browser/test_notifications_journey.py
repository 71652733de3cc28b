"""Journey: the bell counts what is new, the list opens a notification and marks it read,
and the person chooses a weekly digest for one kind."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tandem.notifications.models import Notification, NotificationSetting
from tests.browser.conftest import Org, PageWatch, sign_in

pytestmark = pytest.mark.browser


def test_a_person_opens_a_notification_from_the_bell_and_chooses_a_digest(
    page: Page, org: Org, watch: PageWatch
) -> None:
    aiko = org.reports[org.managers[0].pk][0]
    Notification.objects.create(
        person=aiko, kind="mention", title="Marta mentioned you", url="/program/"
    )
    Notification.objects.create(person=aiko, kind="praise.received", title="Tomas praised you")
    sign_in(page, aiko)

    bell = page.get_by_role("link", name="Notifications: 2 unread")
    expect(bell).to_be_visible()
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")

    page.get_by_role("button", name=re.compile("Marta mentioned you")).click()
    expect(page).to_have_url(re.compile(r"/program/$"))
    expect(page.get_by_role("link", name="Notifications: 1 unread")).to_be_visible()

    page.goto("/notifications/")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("link", name="Notifications: none unread")).to_be_visible()

    page.get_by_role("link", name="Choose how you hear about things").click()
    expect(
        page.get_by_text(re.compile("The weekly digest is one e-mail every Monday"))
    ).to_be_visible()
    praise = page.get_by_role("group", name="Praise you received")
    praise.get_by_label("In Tandem, and in a weekly e-mail digest").check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert NotificationSetting.objects.get(person=aiko, kind="praise.received").delivery == "digest"
