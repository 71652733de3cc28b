"""Competency questions drawn from each person's career framework: the launch snapshot, the
form and the API rendering each person's own items, ratings stored under framework keys,
and a framework edited after launch that leaves the cycle as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.growth.models import Expectation, FrameworkVersion
from tandem.reviews.exports import result_columns
from tandem.reviews.models import (
    CycleForm,
    ItemsSource,
    Participant,
    QuestionKind,
    Relationship,
    Review,
    SubmittedRating,
    TemplateQuestion,
)
from tandem.reviews.services import launch as launch_services
from tandem.reviews.services import writing
from tests.factories import DepartmentFactory, PersonFactory, api_token
from tests.growth.factories_profile import framework, place
from tests.reviews.setup_helpers import draft_cycle, launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> dict[str, Any]:
    department = DepartmentFactory(name="Platform")
    lead = PersonFactory(department=department, title="Team Lead")
    ada = PersonFactory(department=department, manager=lead)
    bo = PersonFactory(department=department, manager=lead)
    fw = framework()
    place(ada, fw.levels[1])
    place(bo, fw.levels[0])
    return {"department": department, "lead": lead, "ada": ada, "bo": bo, "fw": fw}


def _launched(hr: Any, team: dict[str, Any], capture: Any) -> Any:
    cycle = draft_cycle(
        hr,
        departments=[team["department"]],
        kinds=(QuestionKind.RATING, QuestionKind.COMPETENCIES),
    )
    templates = CycleForm.objects.filter(cycle=cycle).values("template_id")
    TemplateQuestion.objects.filter(
        section__template__in=templates, kind=QuestionKind.COMPETENCIES
    ).update(items_source=ItemsSource.FRAMEWORK, items=[])
    return launch(cycle, hr, capture)


def _self_review(cycle: Any, person: Any) -> Review:
    return Review.objects.get(cycle=cycle, reviewee=person, relationship=Relationship.SELF)


def test_launch_snapshots_each_persons_track_level_and_expectations(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    ada = Participant.objects.get(cycle=cycle, person=team["ada"]).framework
    assert (ada["track"], ada["level"], ada["version"]) == ("engineering-ic", "IC2", 1)
    assert ada["items"] == [
        {"key": "craft", "name": "Craft", "description": "Craft at IC2"},
        {"key": "delivery", "name": "Delivery", "description": "Delivery at IC2"},
        {"key": "collaboration", "name": "Collaboration", "description": "Collaboration at IC2"},
    ]
    bo = Participant.objects.get(cycle=cycle, person=team["bo"]).framework
    assert bo["level"] == "IC1" and bo["items"][0]["description"] == "Craft at IC1"


def test_launch_freezes_the_framework_version_once_per_track(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _launched(hr, team, django_capture_on_commit_callbacks)
    assert FrameworkVersion.objects.filter(track=team["fw"].track).count() == 1


def test_a_person_without_a_placement_gets_no_framework_items(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    assert Participant.objects.get(cycle=cycle, person=team["lead"]).framework == {}


def test_the_review_form_shows_the_persons_own_level_expectations(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(team["ada"])
    page = client.get(reverse("reviews:review", args=[_self_review(cycle, team["ada"]).pk]))
    assert page.status_code == 200
    assert "Craft at IC2" in page.content.decode() and "Craft at IC1" not in page.content.decode()


def test_an_edit_of_the_framework_after_launch_leaves_the_cycle_on_the_old_expectations(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    Expectation.objects.filter(text="Craft at IC2").update(text="Craft, rewritten later")
    client = Client()
    client.force_login(team["ada"])
    page = client.get(reverse("reviews:review", args=[_self_review(cycle, team["ada"]).pk]))
    assert "Craft at IC2" in page.content.decode()
    assert "rewritten later" not in page.content.decode()


def test_ratings_are_stored_under_the_framework_keys(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    review = _self_review(cycle, team["ada"])
    answers = {
        "q1": {"rating": 3},
        "q2": {"items": {k: {"rating": 4} for k in ("craft", "delivery", "collaboration")}},
    }
    writing.submit(review, answers=answers, version=0, by=team["ada"])
    keys = set(
        SubmittedRating.objects.filter(
            review=review, question_kind=QuestionKind.COMPETENCIES
        ).values_list("item_key", flat=True)
    )
    assert keys == {"craft", "delivery", "collaboration"}


def test_a_rating_for_a_competency_of_another_track_is_refused_naming_it(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.exceptions import ValidationError

    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    review = _self_review(cycle, team["ada"])
    with pytest.raises(ValidationError, match="no item “negotiation”"):
        writing.save_draft(
            review,
            answers={"q2": {"items": {"negotiation": {"rating": 2}}}},
            version=0,
            by=team["ada"],
        )


def test_the_api_review_detail_lists_the_persons_framework_items(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    review = _self_review(cycle, team["bo"])
    token = api_token(team["bo"])
    got = Client().get(f"/api/v1/reviews/reviews/{review.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert got.status_code == 200
    text = got.content.decode()
    assert "Delivery at IC1" in text and "Delivery at IC2" not in text
    questions = got.json()["form"]["sections"][0]["questions"]
    assert [q["items_source"] for q in questions] == ["listed", "framework"]


def test_a_late_joiner_gets_their_framework_snapshot(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    cy: Any = PersonFactory(department=team["department"], manager=team["lead"])
    place(cy, team["fw"].levels[0])
    participant = launch_services.add_participant(cycle, cy, reason="Joined late", by=hr)
    participant.refresh_from_db()
    assert participant.framework["level"] == "IC1"


def test_the_results_export_gives_framework_ratings_one_cell_of_pairs(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _launched(hr, team, django_capture_on_commit_callbacks)
    titles = [column.title for column in result_columns(cycle)]
    assert any("competencies (key=rating)" in title for title in titles)


def test_the_template_editor_saves_a_question_drawn_from_the_framework(hr: Any) -> None:
    from tests.reviews.factories import template_with_questions

    template = template_with_questions(kinds=(QuestionKind.RATING,))
    section = template.sections.get()
    scale_id = TemplateQuestion.objects.get(section=section).scale_id
    client = Client()
    client.force_login(hr)
    response = client.post(
        reverse("reviews:template_question_add", args=[section.pk]),
        {
            "kind": QuestionKind.COMPETENCIES,
            "prompt": "How do they do against their level?",
            "scale": str(scale_id),
            "allow_comment": "on",
            "required": "on",
            "from_framework": "on",
        },
    )
    assert response.status_code == 302
    question = TemplateQuestion.objects.get(section=section, kind=QuestionKind.COMPETENCIES)
    assert question.items_source == ItemsSource.FRAMEWORK and question.items == []


def test_only_a_competency_question_may_draw_from_the_framework(hr: Any) -> None:
    from django.core.exceptions import ValidationError

    from tandem.reviews.services.setup import add_question
    from tests.reviews.factories import template_with_questions

    section = template_with_questions(kinds=(QuestionKind.TEXT,)).sections.get()
    with pytest.raises(ValidationError, match="Only a competency question"):
        add_question(
            section,
            by=hr,
            kind=QuestionKind.TEXT,
            prompt="Anything else?",
            items_source="framework",
        )


def test_a_listed_competency_question_freezes_as_before() -> None:
    from tandem.reviews import versions
    from tests.reviews.factories import template_with_questions

    template = template_with_questions(kinds=(QuestionKind.COMPETENCIES,))
    question = versions.template_content(template)["sections"][0]["questions"][0]
    assert "items_source" not in question and [i["key"] for i in question["items"]] == [
        "c1",
        "c2",
    ]
