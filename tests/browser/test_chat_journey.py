"""Journey: an IT admin adds a Slack webhook (a local receiver stands in), tests it and reads
the answer in plain words; an engineer then finds "In chat" on their settings page, naming
the channel, chooses it, and the next mention reaches the channel — title, name and link,
never the text. axe finds nothing wrong with the new pages."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tandem.notifications.services import notify
from tests.browser import axe
from tests.browser.conftest import PHONE, Org, PageWatch, screenshot, sign_in, sign_out
from tests.factories import it_admin

pytestmark = pytest.mark.browser


def test_it_sets_up_a_channel_and_an_engineer_hears_of_a_mention_there(
    page: Page, org: Org, watch: PageWatch, httpserver
) -> None:
    axe.require_axe()
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    it = it_admin(first_name="Ivo", last_name="Itadmin", email="ivo@example.com", department=None)
    page.goto("/login/", timeout=60_000)  # the live server's first answer is slow on a busy machine
    sign_in(page, it)
    page.goto("/it/chat/")
    expect(page.get_by_text("No webhooks yet")).to_be_visible()
    page.get_by_label("Provider").select_option("slack")
    page.get_by_label("Channel name").fill("#eng-managers")
    page.get_by_label("Webhook URL").fill(httpserver.url_for("/slack"))
    page.get_by_label("Serves").select_option(label="Engineering")
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.get_by_text("Added Slack #eng-managers")).to_be_visible()
    assert httpserver.url_for("/slack") not in page.content()

    page.get_by_role("button", name="Test #eng-managers").click()
    expect(page.get_by_text("Slack answered 200: delivered.")).to_be_visible()
    assert not axe.describe("/it/chat/", axe.violations(page))
    screenshot(page, "chat-webhooks-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "chat-webhooks-phone")
    page.goto("/it/chat/deliveries/")
    assert not axe.describe("/it/chat/deliveries/", axe.violations(page))
    sign_out(page)

    aiko = org.reports[org.managers[0].pk][0]
    sign_in(page, aiko)
    page.goto("/notifications/settings/")
    expect(page.get_by_text("Slack #eng-managers")).to_be_visible()
    mention = page.get_by_role("group", name="Someone mentions you in a comment")
    mention.get_by_label("In chat (Slack/Teams) and in Tandem").check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_text("Saved.")).to_be_visible()

    notify(person=aiko, kind="mention", title="Marta mentioned you", body="SECRET-NOTE", url="/")

    posted = [json.loads(request.get_data()) for request, _ in httpserver.log][-1]
    assert "Marta mentioned you" in posted["text"]
    assert aiko.display_name in posted["text"]
    assert "SECRET-NOTE" not in posted["text"]
    watch.assert_clean()
