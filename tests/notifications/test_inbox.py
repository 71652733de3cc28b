from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tandem.notifications import inbox
from tandem.notifications.inbox import InboxItem, inbox_for, register_provider
from tests.factories import PersonFactory

TODAY = date(2026, 3, 4)


@pytest.fixture
def providers(monkeypatch):
    """An empty provider registry for the test (the real features' providers are set aside)."""
    registry: list = []
    monkeypatch.setattr(inbox, "PROVIDERS", registry)
    return registry


def _item(title: str, due: date | None, source: str = "Feedback") -> InboxItem:
    return InboxItem(kind="test", title=title, url="/program/", due=due, source=source)


def test_items_are_sorted_by_due_date_with_undated_ones_last(providers):
    providers.append(
        lambda person: [_item("Later", TODAY + timedelta(days=5)), _item("Whenever", None)]
    )
    providers.append(lambda person: [_item("Soon", TODAY + timedelta(days=1), source="Goals")])
    titles = [item.title for item in inbox_for(object()).items]
    assert titles == ["Soon", "Later", "Whenever"]


def test_each_provider_is_asked_about_the_person(providers):
    asked = []
    providers.append(lambda person: asked.append(person) or [])
    person = object()
    inbox_for(person)
    assert asked == [person]


def test_registering_the_same_provider_twice_counts_it_once(providers):
    def feedback(person):
        return [_item("One request", TODAY)]

    register_provider(feedback)
    register_provider(feedback)
    assert inbox_for(object()).count == 1


def test_a_provider_with_too_much_is_cut_off_and_says_so(providers):
    many = [_item(f"Request {i}", TODAY + timedelta(days=i)) for i in range(inbox.PROVIDER_LIMIT)]
    providers.append(lambda person: many)
    found = inbox_for(object())
    assert found.count == inbox.MAX_PER_PROVIDER
    assert found.truncated


def test_the_page_lists_what_providers_return(client_for, providers):
    providers.append(lambda person: [_item(f"Answer {person.first_name}'s request", TODAY)])
    person = PersonFactory(first_name="Ada")
    text = client_for(person).get("/inbox/").content.decode()
    assert "Answer Ada&#x27;s request" in text


def test_an_overdue_item_is_flagged(client_for, providers):
    providers.append(lambda person: [_item("Late", timezone.localdate() - timedelta(days=2))])
    text = client_for(PersonFactory()).get("/inbox/").content.decode()
    assert "overdue" in text


def test_the_empty_inbox_congratulates(client_for, providers):
    text = client_for(PersonFactory()).get("/inbox/").content.decode()
    assert "Nothing is waiting for you. Well done." in text


def test_item_titles_are_escaped(client_for, providers):
    providers.append(lambda person: [_item("<script>alert(1)</script>", None)])
    text = client_for(PersonFactory()).get("/inbox/").content.decode()
    assert "<script>alert(1)" not in text and "&lt;script&gt;" in text


def test_the_home_page_shows_the_inbox_count(client_for, providers):
    providers.append(lambda person: [_item("One", TODAY), _item("Two", None)])
    text = client_for(PersonFactory()).get("/").content.decode()
    assert "Things waiting for you: 2" in text


def test_the_home_page_shows_zero_when_nothing_waits(client_for, providers):
    text = client_for(PersonFactory()).get("/").content.decode()
    assert "Things waiting for you: 0" in text
