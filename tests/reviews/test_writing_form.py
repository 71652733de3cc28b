"""The compact review form as the server renders it: one row of choices per rating, the
scale explained once per section, goal rows with where the goal stands, comments that
open on demand but always show when written, and the evidence as a side panel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.goals.models import Health
from tandem.reviews.models import QuestionKind
from tandem.reviews.queries.writing import questions_view
from tandem.reviews.services.writing import save_draft
from tests.goals.factories import GoalFactory, PeriodFactory
from tests.reviews.writing_helpers import make_team

pytestmark = pytest.mark.django_db

ITEM_KINDS = (QuestionKind.RATING, QuestionKind.GOALS, QuestionKind.COMPETENCIES)


@pytest.fixture
def team():
    return make_team(kinds=ITEM_KINDS)


def _page(team, client_for) -> str:
    review = team.manager_review
    return (
        client_for(team.manager).get(reverse("reviews:review", args=[review.pk])).content.decode()
    )


def _key(review, kind: str) -> str:
    for section in review.template_version.content["sections"]:
        for question in section["questions"]:
            if question["kind"] == kind:
                return question["key"]
    raise AssertionError(f"no {kind} question")


def test_each_point_description_is_listed_once_in_what_the_ratings_mean(team, client_for):
    page = _page(team, client_for)
    # Three rated questions share the scale: its meaning is one panel, one line per point.
    assert page.count("What the ratings mean") == 1
    assert page.count("<dd>Missed most of what was expected.</dd>") == 1


def test_a_rating_row_shows_short_labels_and_keeps_the_full_label_as_the_name(team, client_for):
    page = _page(team, client_for)
    assert (
        '<span class="scale-label"><span class="visually-hidden"> · </span>Well below'
        '<span class="visually-hidden"> expectations</span></span>'
    ) in page


def test_short_labels_keep_labels_that_share_no_last_word(team):
    content = team.manager_review.template_version.content
    question = content["sections"][0]["questions"][0]
    question["scale"]["points"] = [
        {"value": 1, "label": "Learning", "description": ""},
        {"value": 2, "label": "Developing", "description": ""},
        {"value": 3, "label": "Role model", "description": ""},
    ]
    points = questions_view(content, {}, goals={})[0].questions[0].points
    assert [p["short"] for p in points] == ["Learning", "Developing", "Role model"]


def test_a_goal_row_shows_the_goals_progress_and_health(team, client_for):
    GoalFactory(
        owner=team.owner,
        title="Ship the ledger",
        period=PeriodFactory(),
        progress=Decimal("0.65"),
        health=Health.AT_RISK,
    )
    page = _page(team, client_for)
    assert '<progress max="100" value="65" aria-label="Progress of Ship the ledger">' in page
    assert '<span class="pill health-at_risk">At risk</span>' in page


def test_an_empty_item_comment_opens_on_demand(team, client_for):
    page = _page(team, client_for)
    assert '<summary>Comment<span class="visually-hidden"> on Craft</span></summary>' in page


def test_a_written_item_comment_is_always_shown(team, client_for):
    review = team.manager_review
    key = _key(review, QuestionKind.COMPETENCIES)
    answers = {key: {"items": {"c2": {"rating": 3, "comment": "Careful, tidy work."}}}}
    save_draft(review, answers=answers, version=0, active_seconds=0, by=team.manager)
    page = _page(team, client_for)
    assert "Careful, tidy work.</textarea>" in page
    assert " on Craft</span></summary>" not in page
    assert " on Communication</span></summary>" in page


def test_the_evidence_is_a_side_panel_with_a_drawer_button_for_phones(team, client_for):
    page = _page(team, client_for)
    assert 'aria-controls="evidence-panel"' in page
    assert 'id="evidence-panel" role="region" aria-labelledby="evidence-h"' in page


def test_the_page_keeps_its_query_budget_with_many_goals(
    team, client_for, django_assert_max_num_queries
):
    client = client_for(team.manager)
    url = reverse("reviews:review", args=[team.manager_review.pk])
    client.get(url)
    period = PeriodFactory()
    GoalFactory(owner=team.owner, period=period)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    before = len(few.captured_queries)
    for _ in range(8):
        GoalFactory(owner=team.owner, period=period)
    with django_assert_max_num_queries(before):
        response = client.get(url)
    assert response.content.decode().count('class="item-evidence"') == 9
