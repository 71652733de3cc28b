from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tandem.feedback import queries
from tandem.feedback.models import Reaction, Visibility
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory
from tests.feedback.factories import CompanyValueFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def signed_in(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    return client


def praise(cast, **kwargs):  # type: ignore[no-untyped-def]
    return FeedbackFactory(
        giver=cast.giver, recipient=cast.recipient, visibility=Visibility.PUBLIC, **kwargs
    )


def test_the_feed_shows_praise_with_its_values_and_not_private_feedback(cast):
    value = CompanyValueFactory(name="Customer first")
    praise(cast, text="Public thanks", values=[value])
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, text="Private words")
    text = signed_in(cast.outsider).get("/praise/").text
    assert "Public thanks" in text
    assert "Customer first" in text
    assert "Private words" not in text


def test_the_feed_filters_by_value(cast):
    value = CompanyValueFactory(name="Customer first")
    praise(cast, text="With value", values=[value])
    praise(cast, text="Without value")
    text = signed_in(cast.outsider).get("/praise/", {"value": value.pk}).text
    assert "With value" in text
    assert "Without value" not in text


def test_praise_between_people_who_left_is_not_on_the_feed(cast):
    leaver = PersonFactory(status=PersonStatus.LEFT)
    FeedbackFactory(giver=leaver, recipient=cast.recipient, visibility="public", text="Old")
    assert "Old" not in signed_in(cast.outsider).get("/praise/").text


def test_the_value_page_says_who_lived_it_this_month(cast):
    value = CompanyValueFactory(name="Own the outcome")
    praise(cast, values=[value])
    praise(cast, values=[value])
    old = praise(cast, values=[value])
    long_ago = timezone.now() - timedelta(days=70)
    old.value_links.update(created_at=long_ago)
    leaders = queries.value_leaders(value, since=queries.month_start())
    assert leaders == [{"person": cast.recipient, "count": 2}]
    text = signed_in(cast.outsider).get(f"/praise/values/{value.pk}/").text
    assert "Who lived “Own the outcome” this month" in text
    assert "Rita Recipient" in text


def test_praise_counts_per_value_are_one_sql_query(cast, django_assert_num_queries):
    first, second = CompanyValueFactory(name="A"), CompanyValueFactory(name="B")
    praise(cast, values=[first, second])
    praise(cast, values=[first])
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, values=[first])  # private
    with django_assert_num_queries(1):
        counts = {v.name: v.praise for v in queries.praise_counts_per_value(queries.month_start())}
    assert counts == {"A": 2, "B": 1}


def test_a_reaction_toggles_on_and_off(cast):
    item = praise(cast)
    client = signed_in(cast.outsider)
    response = client.post(
        f"/praise/{item.pk}/react/", {"kind": "applause"}, headers={"HX-Request": "true"}
    )
    assert 'aria-pressed="true"' in response.text
    assert Reaction.objects.count() == 1
    client.post(f"/praise/{item.pk}/react/", {"kind": "applause"})
    assert Reaction.objects.count() == 0


def test_reactions_through_the_api_are_idempotent(cast):
    item = praise(cast)
    client = signed_in(cast.outsider)
    for _ in range(2):
        response = client.post(
            f"/api/v1/praise/{item.pk}/reactions",
            {"kind": "heart"},
            content_type="application/json",
        )
    assert response.status_code == 200
    assert Reaction.objects.count() == 1
    bad = client.post(
        f"/api/v1/praise/{item.pk}/reactions", {"kind": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "kind"]


def test_nobody_reacts_to_private_feedback_through_the_api(cast):
    item = FeedbackFactory(giver=cast.giver, recipient=cast.recipient)
    response = signed_in(cast.recipient).post(
        f"/api/v1/praise/{item.pk}/reactions", {"kind": "heart"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_giving_praise_through_the_api_names_bad_fields(cast):
    response = signed_in(cast.giver).post(
        "/api/v1/feedback",
        {"recipient_id": cast.giver.pk, "text": "", "visibility": "public"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][1] in {"recipient_id", "text"}


def test_the_profile_page_loads_the_timeline_section(cast):
    text = signed_in(cast.outsider).get(f"/people/{cast.recipient.pk}/").text
    assert f'hx-get="/feedback/people/{cast.recipient.pk}/"' in text


def test_the_home_page_summarises_feedback_received(cast):
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient)
    text = signed_in(cast.recipient).get("/").text
    assert "1 received in the last 30 days" in text
    assert "Feedback from Gil Giver" in text


def test_navigation_links_feedback_and_praise(cast):
    text = signed_in(cast.outsider).get("/").text
    assert 'href="/feedback/"' in text and 'href="/praise/"' in text


def test_a_tampered_page_link_is_explained_not_a_500(cast):
    response = signed_in(cast.outsider).get("/praise/", {"cursor": "not-a-cursor"})
    assert response.status_code == 200
    assert "not valid" in response.text


def test_keyset_pages_walk_the_whole_feed_without_repeats(cast):
    for i in range(45):
        praise(cast, text=f"Item {i:02d}")
    seen, cursor = [], None
    while True:
        page = queries.feedback_page(queries.praise_feed(cast.outsider), cursor=cursor)
        seen += [f.text for f in page.items]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == [f"Item {i:02d}" for i in range(45)]


# --- Query budgets: pages cost the same with 3 or 30 items -------------------------------------

PAGES = {
    "my feedback": lambda c: "/feedback/",
    "my feedback given": lambda c: "/feedback/?tab=given",
    "requests": lambda c: "/feedback/?tab=requests",
    "praise feed": lambda c: "/praise/",
    "timeline": lambda c: f"/feedback/people/{c.recipient.pk}/",
    "upward": lambda c: "/feedback/upward/",
    "home": lambda c: "/",
}


def _queries_for(client: Client, url: str, django_assert_max_num_queries, budget: int) -> None:
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_page_query_budget_does_not_grow_with_data(
    cast, page, django_assert_max_num_queries, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    value = CompanyValueFactory(name="V")
    client = signed_in(cast.recipient)
    url = PAGES[page](cast)

    def measure() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(3):
        praise(cast, values=[value])
        FeedbackFactory(giver=cast.recipient, recipient=cast.peer, values=[value])
    measure()  # the first request of a session does its own one-off work
    few = measure()
    for _ in range(27):
        praise(cast, values=[value])
        FeedbackFactory(giver=cast.recipient, recipient=cast.peer, values=[value])
    many = measure()
    assert many <= few, f"{page}: {few} queries with 3 items, {many} with 30"
    with django_assert_max_num_queries(25):
        client.get(url)


# --- Searching one's feedback is a POST (docs/security.md, "No typed text in addresses") --------


def test_searching_my_feedback_posts_the_words_instead_of_putting_them_in_the_address(cast):
    page = signed_in(cast.recipient).get("/feedback/").text
    assert '<form method="post" role="search"' in page
    assert 'hx-get="/feedback/"' not in page


def test_a_search_in_the_address_is_ignored(cast):
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, text="About the launch")
    page = signed_in(cast.recipient).get("/feedback/", {"q": "no-such-words"}).text
    assert "About the launch" in page


def test_paging_through_search_results_posts_the_search_again(cast):
    for i in range(queries.PAGE_SIZE + 2):
        FeedbackFactory(giver=cast.giver, recipient=cast.recipient, text=f"Launch note {i}")
    client = signed_in(cast.recipient)
    first = client.post("/feedback/", {"tab": "received", "q": "Launch"})
    assert '<button type="submit" class="link">Older »</button>' in first.text
    assert "?cursor=" not in first.text and "q=Launch" not in first.text
    cursor = first.context["page"].next_cursor
    second = client.post("/feedback/", {"tab": "received", "q": "Launch", "cursor": cursor})
    assert second.text.count("Launch note") == 2
