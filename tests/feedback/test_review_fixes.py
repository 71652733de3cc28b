"""Defects found in review: query counts of the API lists, bad input that answered 500, and
private goals behind feedback."""

from __future__ import annotations

import base64
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.feedback.models import AskStatus, Feedback, Visibility
from tandem.goals.models import Visibility as GoalVisibility
from tests.feedback.factories import FeedbackAskFactory, FeedbackFactory, FeedbackRequestFactory
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_feedback_list_endpoint_does_not_query_once_per_goal(cast, bearer_for):
    client = bearer_for(cast.recipient)
    for _ in range(2):
        FeedbackFactory(giver=cast.giver, recipient=cast.recipient, goal=GoalFactory())
    few = _queries(client, "/api/v1/feedback")
    for _ in range(12):
        FeedbackFactory(giver=cast.giver, recipient=cast.recipient, goal=GoalFactory())
    many = _queries(client, "/api/v1/feedback")
    assert many <= few, f"{few} queries with 2 items, {many} with 14"


def test_the_feedback_list_endpoint_hides_private_goals_the_reader_cannot_see(cast, bearer_for):
    private = GoalFactory(owner=cast.outsider, visibility=GoalVisibility.PRIVATE)
    public = GoalFactory(owner=cast.outsider)
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, goal=private)
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, goal=public)
    items = bearer_for(cast.recipient).get("/api/v1/feedback").json()["items"]
    assert sorted(i["goal_id"] for i in items if i["goal_id"]) == [public.pk]
    assert sum(1 for i in items if i["goal_id"] is None) == 1


def test_the_feedback_requests_endpoint_does_not_query_once_per_request(cast, bearer_for):
    client = bearer_for(cast.recipient)

    def add_requests(n: int) -> None:
        for _ in range(n):
            made = FeedbackRequestFactory(requester=cast.recipient)
            FeedbackAskFactory(request=made, person=cast.peer)
            waiting = FeedbackRequestFactory(requester=cast.peer)
            FeedbackAskFactory(request=waiting, person=cast.recipient)

    add_requests(2)
    few = _queries(client, "/api/v1/feedback-requests")
    add_requests(10)
    many = _queries(client, "/api/v1/feedback-requests")
    assert many <= few, f"{few} queries with 4 requests, {many} with 24"


def test_the_feedback_requests_endpoint_links_only_answers_the_reader_may_read(cast, bearer_for):
    made = FeedbackRequestFactory(
        requester=cast.manager, subject=cast.recipient, visibility=Visibility.PRIVATE
    )
    answer = FeedbackFactory(giver=cast.peer, recipient=cast.recipient, request=made)
    FeedbackAskFactory(request=made, person=cast.peer, status=AskStatus.ANSWERED, feedback=answer)

    def linked(person):  # type: ignore[no-untyped-def]
        mine = bearer_for(person).get("/api/v1/feedback-requests").json()["mine"]
        return {a["person"]["id"]: a["feedback_id"] for a in mine[0]["asks"]}

    assert linked(cast.recipient) == {cast.peer.pk: answer.pk}
    assert linked(cast.manager) == {cast.peer.pk: None}


def test_a_value_id_beyond_64_bits_in_the_give_form_is_refused_not_a_500(cast, client_for):
    response = client_for(cast.giver).post(
        "/feedback/give/",
        {
            "recipient": cast.recipient.email,
            "visibility": Visibility.PRIVATE,
            "text": "Thank you for the review.",
            "values": "99999999999999999999999",
        },
    )
    assert response.status_code == 200
    assert "values" in response.context["form"].errors
    assert not Feedback.objects.exists()


def _cursor(stamp: str, pk: int = 1) -> str:
    return base64.urlsafe_b64encode(json.dumps([stamp, pk]).encode()).decode().rstrip("=")


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_cursor_time_outside_utc_is_a_clear_message_on_the_timeline(cast, client_for, stamp):
    client = client_for(cast.recipient)
    response = client.get(f"/feedback/people/{cast.recipient.pk}/", {"cursor": _cursor(stamp)})
    assert response.status_code == 200
    assert response.context["cursor_error"]


@pytest.mark.parametrize("url", ["/api/v1/feedback", "/api/v1/praise"])
def test_a_cursor_time_outside_utc_is_a_422_naming_the_cursor(cast, bearer_for, url):
    response = bearer_for(cast.recipient).get(url, {"cursor": _cursor("0001-01-01T00:00:00+05:00")})
    assert response.status_code == 422
    assert "cursor" in json.dumps(response.json())


def test_answering_again_from_a_second_tab_says_so_and_changes_nothing(cast, client_for):
    made = FeedbackRequestFactory(requester=cast.recipient)
    FeedbackAskFactory(request=made, person=cast.giver)
    first, second = client_for(cast.giver), client_for(cast.giver)
    url = f"/feedback/requests/{made.pk}/"
    assert first.post(url, {"action": "answer", "text": "Keep it up"}).status_code == 302
    response = second.post(url, {"action": "answer", "text": "Written in another tab"}, follow=True)
    assert response.status_code == 200
    assert "You already answered this request" in response.text
    assert Feedback.objects.filter(request=made).count() == 1


@pytest.mark.parametrize(
    "next_url", ["/\\evil.example/", "//evil.example/", "https://evil.example/"]
)
def test_a_reaction_never_redirects_to_another_site(cast, client_for, next_url):
    praise = FeedbackFactory(giver=cast.giver, recipient=cast.recipient, visibility="public")
    response = client_for(cast.peer).post(
        f"/praise/{praise.pk}/react/", {"kind": "applause", "next_url": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/praise/"


def test_a_reaction_goes_back_to_the_page_it_came_from(cast, client_for):
    praise = FeedbackFactory(giver=cast.giver, recipient=cast.recipient, visibility="public")
    response = client_for(cast.peer).post(
        f"/praise/{praise.pk}/react/", {"kind": "applause", "next_url": "/praise/?value=1"}
    )
    assert response["Location"] == "/praise/?value=1"


def test_the_feedback_list_merges_every_way_one_may_read_newest_first_page_by_page(
    cast, bearer_for
):
    # The list is found per way of reading (given, received, public, with-manager) and
    # merged: interleave them in time, with feedback the reader may not see in between.
    from datetime import timedelta

    from django.utils import timezone

    reader = cast.manager
    made = [
        FeedbackFactory(giver=reader, recipient=cast.peer),
        FeedbackFactory(giver=cast.giver, recipient=cast.outsider, visibility=Visibility.PUBLIC),
        FeedbackFactory(giver=cast.giver, recipient=cast.outsider),  # private to others
        FeedbackFactory(
            giver=cast.giver,
            recipient=cast.recipient,
            visibility=Visibility.WITH_MANAGER,
            recipient_manager=reader,
        ),
        FeedbackFactory(giver=cast.peer, recipient=reader),
        FeedbackFactory(
            giver=cast.giver,
            recipient=cast.outsider,
            visibility=Visibility.WITH_MANAGER,
            recipient_manager=cast.giver,
        ),
        FeedbackFactory(giver=cast.peer, recipient=cast.giver, visibility=Visibility.PUBLIC),
    ]
    now = timezone.now()
    for age, item in enumerate(made):
        Feedback.objects.filter(pk=item.pk).update(created_at=now - timedelta(minutes=age))
    expected = [item.pk for i, item in enumerate(made) if i not in (2, 5)]

    client = bearer_for(reader)
    seen, url = [], "/api/v1/feedback?limit=2"
    while url:
        page = client.get(url).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        url = f"/api/v1/feedback?limit=2&cursor={cursor}" if cursor else ""

    assert seen == expected
