from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tandem.integrations import chat, services, tasks
from tandem.integrations.models import ChatWebhook
from tandem.notifications.kinds import Delivery
from tandem.notifications.models import NotificationSetting
from tandem.org.models import Person
from tests.factories import it_admin


@pytest.fixture
def it(db: None) -> Person:
    return it_admin(first_name="Ida", last_name="Itadmin")


@pytest.fixture(autouse=True)
def _no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process retries (the immediate task backend of the tests) without waiting."""
    monkeypatch.setattr(tasks, "INLINE_PAUSE_CAP", 0)


@pytest.fixture
def make_webhook(it: Person) -> Callable[..., ChatWebhook]:
    def make(url: str, provider: str = "slack", **fields: Any) -> ChatWebhook:
        return services.create_webhook(
            provider=provider, name=fields.pop("name", "#eng-managers"), url=url, by=it, **fields
        )

    return make


def choose_chat(person: Person, kind: str = "mention") -> None:
    NotificationSetting.objects.create(person=person, kind=kind, delivery=Delivery.CHAT)


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(chat, "TIMEOUT_SECONDS", 0.2)
    return 0.2
