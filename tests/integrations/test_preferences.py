"""The "In chat" choice on a person's settings page: offered only where a webhook serves
them, naming the channel and what its members can read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.notifications.kinds import KINDS, Delivery
from tandem.notifications.models import NotificationSetting
from tandem.notifications.services import set_delivery_preferences
from tests.factories import DepartmentFactory, PersonFactory

CHAT_LABEL = "In chat (Slack/Teams) and in Tandem"


def test_the_settings_page_does_not_offer_chat_without_a_webhook(client_for):
    text = client_for(PersonFactory()).get("/notifications/settings/").content.decode()
    assert CHAT_LABEL not in text


def test_the_settings_page_offers_chat_and_names_the_channel(client_for, make_webhook):
    make_webhook("http://127.0.0.1:9/h", name="#eng-managers")
    text = client_for(PersonFactory()).get("/notifications/settings/").content.decode()
    assert CHAT_LABEL in text
    assert "Slack #eng-managers" in text
    assert "Never its text" in text


def test_a_webhook_for_another_department_is_not_offered(client_for, make_webhook):
    make_webhook("http://127.0.0.1:9/h", department=DepartmentFactory(name="Chat Elsewhere"))
    person = PersonFactory(department=DepartmentFactory(name="Chat Home"))
    text = client_for(person).get("/notifications/settings/").content.decode()
    assert CHAT_LABEL not in text


def test_a_switched_off_webhook_is_not_offered(client_for, make_webhook):
    make_webhook("http://127.0.0.1:9/h", enabled=False)
    text = client_for(PersonFactory()).get("/notifications/settings/").content.decode()
    assert CHAT_LABEL not in text


def test_choosing_chat_is_saved_when_a_webhook_serves_the_person(client_for, make_webhook):
    make_webhook("http://127.0.0.1:9/h")
    person = PersonFactory()
    data = {kind: spec.default for kind, spec in KINDS.items()} | {"mention": Delivery.CHAT}

    response = client_for(person).post("/notifications/settings/", data)

    assert response.status_code == 302
    assert NotificationSetting.objects.get(person=person, kind="mention").delivery == "chat"


def test_choosing_chat_without_a_webhook_is_refused_and_changes_nothing(db):
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        set_delivery_preferences(
            person=person, choices={"goals.comment": "off", "mention": "chat"}, by=person
        )
    assert "no chat channel" in error.value.message_dict["mention"][0]
    assert not NotificationSetting.objects.filter(person=person).exists()


def test_the_defaults_are_unchanged():
    assert {spec.default for spec in KINDS.values()} <= {Delivery.EMAIL, Delivery.IN_APP}
