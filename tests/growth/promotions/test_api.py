"""Promotions over the API: scoped lists, a case with its decision, writes answering 422
with the field named and nothing saved, and another team's case answering 404."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tandem.growth.models import CaseComment, CaseStatus, LevelChange, PromotionCase
from tandem.org.models import Person
from tests.growth.factories_promotions import WindowFactory, case_for
from tests.growth.promotions.helpers import team

pytestmark = pytest.mark.django_db


def _client(person: Person) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(person)
    return client


def _post(person: Person, path: str, payload: dict[str, object]) -> Any:
    return _client(person).post(path, payload, content_type="application/json")


def test_the_case_list_holds_only_the_cases_the_caller_may_see():
    t = team()
    mine = case_for(t.report, t.manager)
    other = Person.objects.create(email="x@example.com", first_name="X", last_name="Y")
    answer = _client(t.outsider).get("/api/v1/growth/promotion-cases")
    assert answer.status_code == 200
    assert answer.json() == []
    ids = [c["id"] for c in _client(t.manager).get("/api/v1/growth/promotion-cases").json()]
    assert ids == [mine.pk]
    assert other.pk


def test_a_manager_opens_a_case_over_the_api():
    t = team()
    window = WindowFactory.create()
    answer = _post(
        t.manager,
        "/api/v1/growth/promotion-cases",
        {"window_id": window.pk, "person_id": t.report.pk, "target_level_id": t.levels[2].pk},
    )
    assert answer.status_code == 201
    assert answer.json()["target_level"]["code"] == "IC3"


def test_a_lower_level_answers_422_naming_the_field_and_saves_nothing():
    t = team()
    window = WindowFactory.create()
    answer = _post(
        t.manager,
        "/api/v1/growth/promotion-cases",
        {"window_id": window.pk, "person_id": t.report.pk, "target_level_id": t.levels[0].pk},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "target_level"]
    assert not PromotionCase.objects.exists()


def test_an_outsider_opening_a_case_for_someone_else_gets_404():
    t = team()
    window = WindowFactory.create()
    answer = _post(
        t.outsider,
        "/api/v1/growth/promotion-cases",
        {"window_id": window.pk, "person_id": t.report.pk, "target_level_id": t.levels[2].pk},
    )
    assert answer.status_code == 404
    assert not PromotionCase.objects.exists()


def test_a_decision_without_a_reason_answers_422_and_nothing_changes():
    t = team()
    case = case_for(t.report, t.manager)
    answer = _post(
        t.hr,
        f"/api/v1/growth/promotion-cases/{case.pk}/decide",
        {"outcome": "promoted", "reason": "", "effective_on": "2027-01-01"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "reason"]
    assert not LevelChange.objects.exists()


def test_a_decision_over_the_api_promotes_and_the_person_reads_it():
    t = team()
    case = case_for(t.report, t.manager)
    effective = max(case.window.opens_on, date(2026, 1, 1)).isoformat()
    answer = _post(
        t.hr,
        f"/api/v1/growth/promotion-cases/{case.pk}/decide",
        {"outcome": "promoted", "reason": "Ready.", "effective_on": effective},
    )
    assert answer.status_code == 200
    seen = _client(t.report).get(f"/api/v1/growth/promotion-cases/{case.pk}").json()
    assert seen["outcome"] == "promoted"
    assert seen["decision_reason"] == "Ready."
    assert seen["text"] == ""
    assert seen["comments"] == []


def test_comments_over_the_api_are_kept():
    t = team()
    case = case_for(t.report, t.manager)
    answer = _post(t.skip, f"/api/v1/growth/promotion-cases/{case.pk}/comments", {"text": "Yes"})
    assert answer.status_code == 201
    assert CaseComment.objects.filter(case=case, author=t.skip).exists()


def test_another_teams_case_by_id_answers_404():
    t = team()
    case = case_for(t.report, t.manager)
    answer = _client(t.outsider).get(f"/api/v1/growth/promotion-cases/{case.pk}")
    assert answer.status_code == 404


def test_withdrawing_a_decided_case_answers_422():
    t = team()
    case = case_for(t.report, t.manager, status=CaseStatus.DECIDED, outcome="not_yet")
    answer = _post(t.manager, f"/api/v1/growth/promotion-cases/{case.pk}/withdraw", {})
    assert answer.status_code == 422


def test_the_case_list_costs_the_same_queries_for_one_case_or_many(
    django_assert_max_num_queries: Any,
) -> None:
    from tests.factories import PersonFactory
    from tests.growth.promotions.helpers import place

    t = team()
    window = WindowFactory.create()
    case_for(t.report, t.manager, window=window)
    for number in range(6):
        colleague = PersonFactory.create(first_name=f"Colleague{number}", manager=t.manager)
        place(colleague, t.levels[1], since=date(2024, 2, 1))
        case_for(colleague, t.manager, window=window)
    client = _client(t.hr)
    with django_assert_max_num_queries(8):
        answer = client.get("/api/v1/growth/promotion-cases")
    assert len(answer.json()) == 7
