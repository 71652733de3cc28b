"""POST /api/v1/coach/check: signed-in callers only, a strict body, findings with spans."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tandem.coach.models import CoachTally, CoachWord
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/coach/check"


def post(client: Client, body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post(URL, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


@pytest.fixture
def client() -> Client:
    c = Client()
    c.force_login(PersonFactory())
    return c


def test_it_answers_findings_with_rule_span_message_and_suggestion(client: Client) -> None:
    text = "She is too emotional and abrasive. Good job I guess."
    status, body = post(client, {"text": text, "kind": "feedback"})
    assert status == 200
    assert [(f["rule"], text[f["span"][0] : f["span"][1]]) for f in body["findings"]] == [
        ("personality", "emotional"),
        ("personality", "abrasive"),
        ("vague", "Good job"),
        ("sarcasm", "I guess"),
    ]
    assert all(f["message"] and f["suggestion"] for f in body["findings"])
    assert body["structure"] == {"situation": False, "behaviour": False, "impact": False}


def test_it_stores_nothing(client: Client) -> None:
    post(client, {"text": "She is abrasive and bossy in meetings.", "kind": "review"})
    assert not CoachTally.objects.exists()


def test_it_uses_the_company_words(client: Client) -> None:
    CoachWord.objects.create(word="grumpy", better="Say what happened.")
    _, body = post(client, {"text": "He is grumpy with the support team.", "kind": "feedback"})
    assert [f["suggestion"] for f in body["findings"]] == ["Say what happened."]


def test_it_refuses_a_caller_without_credentials() -> None:
    status, body = post(Client(), {"text": "Good job.", "kind": "feedback"})
    assert status == 401
    assert body["detail"]


def test_an_unknown_kind_is_a_422_naming_the_field(client: Client) -> None:
    status, body = post(client, {"text": "Good job.", "kind": "poem"})
    assert status == 422
    assert body["errors"][0]["loc"] == ["body", "kind"]
    assert "'feedback', 'praise', 'review', 'upward' or 'request'" in body["detail"]


def test_a_number_for_text_is_a_422(client: Client) -> None:
    status, body = post(client, {"text": 5, "kind": "feedback"})
    assert status == 422
    assert body["errors"][0]["loc"][-1] == "text"


def test_an_unknown_field_is_ignored(client: Client) -> None:
    status, body = post(client, {"text": "Good job.", "kind": "feedback", "extra": 1})
    assert status == 200
    assert body["findings"]


def test_kind_defaults_to_feedback(client: Client) -> None:
    status, _ = post(client, {"text": "Good job."})
    assert status == 200


def test_a_body_that_is_not_an_object_is_a_422(client: Client) -> None:
    status, _ = post(client, ["Good job."])
    assert status == 422


def test_100000_characters_are_checked(client: Client) -> None:
    status, body = post(client, {"text": "She is abrasive. " * 5882, "kind": "feedback"})
    assert status == 200
    assert body["findings"]


def test_more_than_100000_characters_is_a_422_naming_the_limit(client: Client) -> None:
    status, body = post(client, {"text": "a" * 100_001, "kind": "feedback"})
    assert status == 422
    assert body["errors"][0]["loc"][-1] == "text"


def test_nul_in_the_text_is_a_422_like_every_text_of_the_api(client: Client) -> None:
    status, body = post(client, {"text": "She is\x00 abrasive.", "kind": "feedback"})
    assert status == 422
    assert body["errors"][0]["type"] == "not_text"


def test_emoji_and_rtl_text_get_spans_inside_the_text(client: Client) -> None:
    text = "هي 😡 She is so abrasive 👍🏽 good job"
    status, body = post(client, {"text": text, "kind": "praise"})
    assert status == 200
    for finding in body["findings"]:
        start, end = finding["span"]
        assert 0 <= start < end <= len(text)
    assert "abrasive" in [text[f["span"][0] : f["span"][1]] for f in body["findings"]]


def test_a_bearer_token_is_accepted(bearer_for) -> None:  # type: ignore[no-untyped-def]
    client = bearer_for(PersonFactory())
    status, _ = post(client, {"text": "You never test your code.", "kind": "upward"})
    assert status == 200
