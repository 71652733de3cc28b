"""No input breaks the API, and every error it answers has the one documented shape
(`ErrorOut`: `detail` and `errors`, each error with `loc`, `msg` and `type`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from openapi_schema_validator import OAS31Validator

import tandem
from tandem.feedback.models import Feedback, FeedbackRequest, UpwardFeedback
from tandem.goals.models import Goal
from tandem.meetings.models import AgendaItem, PrivateNote
from tests.factories import Person, PersonFactory
from tests.goals.factories import PeriodFactory
from tests.meetings.factories import pair, private_note, series_with_meeting

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(tandem.__file__).parent / "openapi.json").read_text(encoding="utf-8"))
LONE_SURROGATE = "\udfff"


def error_shape_errors(body: Any) -> list[str]:
    """What is wrong with `body` as an ErrorOut, by the committed schema (empty: nothing)."""
    validator = OAS31Validator({"$ref": "#/components/schemas/ErrorOut", **SCHEMA})
    return [error.message for error in validator.iter_errors(body)]


def send(client: Client, method: str, url: str, body: str | bytes) -> Any:
    return client.generic(method, url, body, content_type="application/json")


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert error_shape_errors(body) == []
    return body


# --- Unpaired surrogates in the text of every kind of JSON body --------------------------------


@dataclass
class TextCase:
    name: str
    method: str
    url: Callable[[dict[str, Any]], str]
    body: Callable[[dict[str, Any], str], dict[str, Any]]
    field: str
    rows: type[Model]


def world() -> dict[str, Any]:
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    return {"manager": manager, "report": report, "meeting": meeting}


TEXT_CASES = [
    TextCase(
        "feedback",
        "POST",
        lambda w: "/api/v1/feedback",
        lambda w, t: {"recipient_id": w["manager"].pk, "text": t, "visibility": "private"},
        "text",
        Feedback,
    ),
    TextCase(
        "private note",
        "PUT",
        lambda w: f"/api/v1/one-on-ones/meetings/{w['meeting'].pk}/private-note",
        lambda w, t: {"text": t},
        "text",
        PrivateNote,
    ),
    TextCase(
        "upward feedback",
        "POST",
        lambda w: "/api/v1/upward-feedback",
        lambda w, t: {"text": t},
        "text",
        UpwardFeedback,
    ),
    TextCase(
        "agenda item",
        "POST",
        lambda w: f"/api/v1/one-on-ones/meetings/{w['meeting'].pk}/agenda-items",
        lambda w, t: {"text": t},
        "text",
        AgendaItem,
    ),
    TextCase(
        "feedback request",
        "POST",
        lambda w: "/api/v1/feedback-requests",
        lambda w, t: {"asked_ids": [w["manager"].pk], "questions": t, "visibility": "private"},
        "questions",
        FeedbackRequest,
    ),
]


@pytest.mark.parametrize("bad", [LONE_SURROGATE, "\x00"], ids=["lone surrogate", "NUL"])
@pytest.mark.parametrize("case", TEXT_CASES, ids=[c.name for c in TEXT_CASES])
def test_text_that_is_not_text_is_a_422_naming_the_field_and_nothing_is_saved(
    case: TextCase, bad: str, bearer_for: Callable[[Person], Client]
) -> None:
    w = world()
    text = json.dumps(case.body(w, f"Fine words {bad} and more"))  # \udfff stays escaped
    before = case.rows.objects.count()
    response = send(bearer_for(w["report"]), case.method, case.url(w), text)
    body = assert_error(response, 422)
    assert body["errors"][0]["loc"] == ["body", case.field]
    assert body["errors"][0]["type"] == "not_text"
    assert case.rows.objects.count() == before


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c.name for c in TEXT_CASES])
def test_the_same_bodies_with_plain_text_are_accepted(
    case: TextCase, bearer_for: Callable[[Person], Client]
) -> None:
    """The table above fails for the reason it names, not because its bodies are wrong."""
    w = world()
    response = send(
        bearer_for(w["report"]), case.method, case.url(w), json.dumps(case.body(w, "Fine 🎉"))
    )
    assert response.status_code in (200, 201, 202), response.content


def test_a_surrogate_inside_a_list_of_text_is_refused(bearer_for: Callable[[Person], Client]):
    PeriodFactory()
    person = PersonFactory()
    body = {"title": "Ship it", "key_results": [{"title": "Done", "milestones": ["a\udfff"]}]}
    response = send(bearer_for(person), "POST", "/api/v1/goals", json.dumps(body))
    assert assert_error(response, 422)["errors"][0]["loc"] == [
        "body",
        "key_results",
        0,
        "milestones",
    ]
    assert not Goal.objects.exists()


def test_a_nul_in_a_query_string_is_a_422_naming_the_parameter(
    bearer_for: Callable[[Person], Client],
) -> None:
    response = bearer_for(PersonFactory()).get("/api/v1/goals?q=a%00b")
    assert assert_error(response, 422)["errors"][0]["loc"] == ["query", "q"]


def test_an_encoded_surrogate_in_a_query_string_is_read_as_replacement_characters(
    bearer_for: Callable[[Person], Client],
) -> None:
    """UTF-8 cannot carry a surrogate: Django decodes `%ED%BF%BF` as three U+FFFD, which
    is text, so the search simply finds nothing."""
    response = bearer_for(PersonFactory()).get("/api/v1/goals?q=%ED%BF%BF")
    assert response.status_code == 200
    assert response.json()["items"] == []


# --- Bodies of the wrong type, size or syntax --------------------------------------------------


def test_a_json_string_is_not_a_goal(bearer_for: Callable[[Person], Client]) -> None:
    PeriodFactory()
    response = send(bearer_for(PersonFactory()), "POST", "/api/v1/goals", '"AAA"')
    body = assert_error(response, 422)
    assert body["errors"][0]["loc"] == ["body"]
    assert not Goal.objects.exists()


def test_a_list_is_not_a_private_note_and_the_note_is_kept(
    bearer_for: Callable[[Person], Client],
) -> None:
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    private_note(meeting, manager, "Ask about the offsite")
    url = f"/api/v1/one-on-ones/meetings/{meeting.pk}/private-note"
    response = send(bearer_for(manager), "PUT", url, "[null, null]")
    assert_error(response, 422)
    assert PrivateNote.objects.get(meeting=meeting, author=manager).text == "Ask about the offsite"


@pytest.mark.parametrize(
    ("field", "value"),
    [("done", 1), ("done", "true"), ("position", "2"), ("position", 2.0), ("text", 5)],
)
def test_a_value_of_another_json_type_is_refused_and_nothing_changes(
    field: str, value: Any, bearer_for: Callable[[Person], Client]
) -> None:
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    item = AgendaItem.objects.create(meeting=meeting, author=manager, text="Offsite", position=1)
    url = f"/api/v1/one-on-ones/agenda-items/{item.pk}"
    response = send(bearer_for(manager), "PATCH", url, json.dumps({field: value}))
    assert assert_error(response, 422)["errors"][0]["loc"] == ["body", field]
    item.refresh_from_db()
    assert (item.text, item.done, item.position) == ("Offsite", False, 1)


@pytest.mark.parametrize("body", ["{", "", "{'title': 'x'}", '{"title": NaN}', b"\xff\xfe"])
def test_a_body_that_is_not_json_is_a_400_in_the_error_shape(
    body: str | bytes, bearer_for: Callable[[Person], Client]
) -> None:
    PeriodFactory()
    response = send(bearer_for(PersonFactory()), "POST", "/api/v1/goals", body or b" ")
    error = assert_error(response, 400)
    assert error["errors"][0]["loc"] == ["body"]
    assert error["errors"][0]["type"] == "json_invalid"
    assert not Goal.objects.exists()


def test_a_multipart_body_is_a_400_in_the_error_shape(
    bearer_for: Callable[[Person], Client],
) -> None:
    client = bearer_for(PersonFactory())
    response = client.generic(
        "POST", "/api/v1/goals", b"--x\r\n", content_type="multipart/form-data"
    )
    assert assert_error(response, 400)["errors"][0]["type"] == "json_invalid"


def test_a_25_mb_body_is_a_413_in_the_error_shape(bearer_for: Callable[[Person], Client]) -> None:
    PeriodFactory()
    text = "x" * (25 * 1024 * 1024)
    body = json.dumps({"title": "Big", "description": text})
    response = send(bearer_for(PersonFactory()), "POST", "/api/v1/goals", body)
    assert "TANDEM_MAX_BODY_MB" in assert_error(response, 413)["detail"]
    assert not Goal.objects.exists()


def test_a_body_just_over_the_limit_is_a_413_and_one_under_it_is_read(
    settings: Any, bearer_for: Callable[[Person], Client]
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    PeriodFactory()
    client = bearer_for(PersonFactory())
    fits = json.dumps({"title": "Fits", "description": ""})
    fits = fits.replace('""', '"' + "x" * (1000 - len(fits)) + '"')
    assert len(fits) == 1000
    assert send(client, "POST", "/api/v1/goals", fits).status_code == 201
    assert_error(send(client, "POST", "/api/v1/goals", fits + " "), 413)


# --- Addresses and statuses --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/goals/abc", "/api/v1/goals/-1", "/api/v1/goals/1.5", "/api/v1/nothing-here"]
)
def test_an_address_no_operation_answers_is_a_404_in_the_error_shape(
    url: str, bearer_for: Callable[[Person], Client]
) -> None:
    client = bearer_for(PersonFactory())
    assert_error(client.get(url), 404)
    assert_error(send(client, "PATCH", url, "{}"), 404)


def test_a_missing_token_is_a_401_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/v1/goals")
    assert_error(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_session_write_without_its_csrf_token_is_a_403_in_the_error_shape() -> None:
    person = PersonFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert_error(send(client, "POST", "/api/v1/goals", '{"title": "x"}'), 403)


def test_a_422_from_a_service_rule_has_the_shape_and_names_the_field(
    bearer_for: Callable[[Person], Client],
) -> None:
    person = PersonFactory()
    body = json.dumps({"recipient_id": person.pk, "text": "Me!", "visibility": "private"})
    error = assert_error(send(bearer_for(person), "POST", "/api/v1/feedback", body), 422)
    assert error["errors"][0]["loc"][0] == "body"
    assert error["detail"]


def test_a_422_from_pydantic_has_the_shape_and_names_the_field_from_the_body(
    bearer_for: Callable[[Person], Client],
) -> None:
    PeriodFactory()
    body = json.dumps({"title": "x" * 201})
    error = assert_error(send(bearer_for(PersonFactory()), "POST", "/api/v1/goals", body), 422)
    assert error["errors"] == [
        {
            "loc": ["body", "title"],
            "msg": "String should have at most 200 characters",
            "type": "string_too_long",
        }
    ]
    assert error["detail"] == "title: String should have at most 200 characters"


# --- The schema tells the truth about errors ---------------------------------------------------


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in SCHEMA["paths"].items()
        for method, operation in methods.items()
    ]


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return SCHEMA["components"]["schemas"][ref.split("/")[-1]] if ref else schema


@pytest.mark.parametrize(("method", "path", "operation"), operations())
def test_every_error_an_operation_documents_has_the_one_shape(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    errors = {int(s): r for s, r in operation["responses"].items() if int(s) >= 400}
    assert errors, f"{method} {path} documents no error"
    for status, response in errors.items():
        schema = resolve(response["content"]["application/json"]["schema"])
        shape = resolve({"$ref": "#/components/schemas/ErrorOut"})
        assert {"detail", "errors"} <= set(schema["required"]), (method, path, status)
        for name in ("detail", "errors"):
            assert schema["properties"][name] == shape["properties"][name], (method, path, status)


@pytest.mark.parametrize(("method", "path", "operation"), operations())
def test_every_operation_documents_the_statuses_its_inputs_can_cause(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    statuses = {int(s) for s in operation["responses"]}
    expected = {401}
    if "requestBody" in operation:
        expected |= {400, 413, 422}
    if any(p["in"] == "path" for p in operation.get("parameters", [])):
        expected |= {404, 422}
    if operation.get("parameters"):
        expected.add(422)
    if method in {"POST", "PUT", "PATCH", "DELETE"}:
        expected.add(403)
    assert expected <= statuses, f"{method} {path}: {sorted(expected - statuses)} undocumented"
