"""Overall scores: the manager's rating only, or a weighted mix whose missing parts give
their weight to the others (and say so); and the self-versus-manager gap per question."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tandem.reviews import scores
from tandem.reviews.models import (
    CycleForm,
    QuestionKind,
    Relationship,
    ReviewState,
    ScoreMethod,
)
from tests.factories import PersonFactory
from tests.goals.factories import GoalFactory, PeriodFactory
from tests.reviews.factories import add_review, participant_of, review_of, running_cycle
from tests.reviews.running_helpers import submit

pytestmark = pytest.mark.django_db

KINDS = (QuestionKind.RATING, QuestionKind.COMPETENCIES, QuestionKind.TEXT)
WEIGHTS = {
    "weight_goals": 20,
    "weight_competencies": 20,
    "weight_manager": 40,
    "weight_self": 10,
    "weight_peers": 10,
}


def team(n: int = 1):  # type: ignore[no-untyped-def]
    boss = PersonFactory()
    return boss, [PersonFactory(manager=boss) for _ in range(n)]


def weighted_cycle(people, **fields):  # type: ignore[no-untyped-def]
    return running_cycle(
        people, kinds=KINDS, score_method=ScoreMethod.WEIGHTED, **{**WEIGHTS, **fields}
    )


def test_the_manager_rating_method_uses_the_overall_question_only():
    boss, (ana,) = team()
    cycle = running_cycle([ana])
    submit(review_of(cycle, ana, Relationship.SELF), {"q1": 1})
    submit(review_of(cycle, ana, Relationship.MANAGER), {"q1": 4})
    participant = participant_of(cycle, ana)
    scores.refresh_participant(participant)
    participant.refresh_from_db()
    assert participant.overall_score == Decimal("75.00")
    assert participant.score_parts["components"]["manager"]["used_weight"] == 100
    assert participant.score_parts["redistributed"] is False


def test_without_an_overall_question_the_mean_of_the_rating_questions_counts():
    boss, (ana,) = team()
    cycle = running_cycle([ana], kinds=(QuestionKind.RATING, QuestionKind.RATING))
    form = CycleForm.objects.get(cycle=cycle, relationship=Relationship.MANAGER)
    content = form.version.content
    for question in content["sections"][0]["questions"]:
        question["is_overall"] = False
    form.version.content = content
    form.version.save(update_fields=["content"])
    submit(review_of(cycle, ana, Relationship.MANAGER), {"q1": 5, "q2": 3})
    participant = participant_of(cycle, ana)
    scores.refresh_participant(participant)
    assert participant.overall_score == Decimal("75.00")  # (1 + 0.5) / 2


def test_no_score_until_the_manager_review_is_submitted():
    boss, (ana,) = team()
    cycle = running_cycle([ana])
    submit(review_of(cycle, ana, Relationship.SELF), {"q1": 5})
    participant = participant_of(cycle, ana)
    scores.refresh_participant(participant)
    assert participant.overall_score is None
    assert "no overall score yet" in scores.explain(participant)[0]


def test_a_reopened_review_no_longer_counts():
    boss, (ana,) = team()
    cycle = running_cycle([ana])
    submit(review_of(cycle, ana, Relationship.MANAGER), {"q1": 5}, state=ReviewState.REOPENED)
    participant = participant_of(cycle, ana)
    scores.refresh_participant(participant)
    assert participant.overall_score is None


def test_the_weighted_mix_uses_every_component_at_its_weight():
    boss, (ana,) = team()
    peer_one, peer_two = PersonFactory(), PersonFactory()
    cycle = weighted_cycle([ana], period_start=PeriodFactory().start_date)
    participant = participant_of(cycle, ana)
    GoalFactory(owner=ana, score=Decimal("0.8"))
    GoalFactory(owner=ana, score=Decimal("0.6"))  # goals: 0.7
    submit(
        review_of(cycle, ana, Relationship.MANAGER),
        {"q1": 4},  # 0.75
        items={"q2": {"c1": 5, "c2": 3}},  # competencies: 0.75
    )
    submit(review_of(cycle, ana, Relationship.SELF), {"q1": 5}, items={"q2": {"c1": 5}})  # 1.0
    # Peers: one review with a mean of 0.5, another of 0.25 (two ratings) → 0.375.
    submit(add_review(participant, peer_one, Relationship.PEER), {"q1": 3})
    submit(add_review(participant, peer_two, Relationship.PEER), {"q1": 1}, items={"q2": {"c1": 3}})
    scores.refresh_participant(participant)
    # 0.7×20 + 0.75×20 + 0.75×40 + 1.0×10 + 0.375×10 = 72.75
    assert participant.overall_score == Decimal("72.75")
    parts = participant.score_parts["components"]
    assert parts["goals"] == {"value": 70.0, "weight": 20, "used_weight": 20.0, "missing": False}
    assert parts["peers"]["value"] == 37.5
    assert participant.score_parts["redistributed"] is False


def _scored_without_goals():  # type: ignore[no-untyped-def]
    """A participant scored in a mix with no goals to count (their 20% goes to the others)
    and no peers (weight 0): only the manager and self reviews are submitted."""
    boss, (ana,) = team()
    cycle = weighted_cycle([ana], weight_peers=0, weight_self=20)
    submit(review_of(cycle, ana, Relationship.MANAGER), {"q1": 5}, items={"q2": {"c1": 1}})
    submit(review_of(cycle, ana, Relationship.SELF), {"q1": 3})
    participant = participant_of(cycle, ana)
    scores.refresh_participant(participant)
    return participant


def test_a_missing_component_gives_its_weight_to_the_others_in_proportion():
    participant = _scored_without_goals()
    parts = participant.score_parts
    assert parts["redistributed"] is True
    assert parts["components"]["goals"]["missing"] is True
    assert parts["components"]["goals"]["used_weight"] == 0
    assert parts["components"]["manager"]["used_weight"] == 50.0  # 40 of the 80 present
    assert parts["components"]["competencies"]["used_weight"] == 25.0
    assert "peers" not in parts["components"]  # weight 0: not part of this cycle's mix
    # 1.0×50 + 0×25 + 0.5×25
    assert participant.overall_score == Decimal("62.50")


def test_the_redistribution_is_explained_in_plain_words():
    lines = scores.explain(_scored_without_goals())
    assert "Goals were not scored, so their 20% went to the other parts." in lines
    assert lines[0].startswith("The overall score, 62.50 of 100, mixes")


def test_goals_outside_the_review_period_do_not_count():
    boss, (ana,) = team()
    cycle = weighted_cycle([ana])
    old = PeriodFactory(
        name="Long ago",
        start_date=cycle.period_start.replace(year=2001),
        end_date=cycle.period_start.replace(year=2001),
    )
    GoalFactory(owner=ana, period=old, score=Decimal("1"))
    submit(review_of(cycle, ana, Relationship.MANAGER), {"q1": 5})
    participant = participant_of(cycle, ana)
    scores.refresh_participant(participant)
    assert participant.score_parts["components"]["goals"]["missing"] is True


def test_refreshing_a_cycle_scores_everyone_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    boss, people = team(6)
    cycle = weighted_cycle(people)
    for n, person in enumerate(people):
        submit(review_of(cycle, person, Relationship.MANAGER), {"q1": 1 + n % 5})
    with django_assert_max_num_queries(12):
        assert scores.refresh_cycle(cycle) == 6
    first = participant_of(cycle, people[0])
    assert first.overall_score == Decimal("0.00")
    assert participant_of(cycle, people[1]).overall_score == Decimal("25.00")
    assert scores.refresh_cycle(cycle) == 0  # nothing changed, nothing written


def test_the_gap_is_manager_minus_self_per_question_and_participant():
    boss, (ana, ben) = team(2)
    cycle = running_cycle([ana, ben], kinds=KINDS)
    submit(review_of(cycle, ana, Relationship.SELF), {"q1": 5}, items={"q2": {"c1": 2}})
    submit(review_of(cycle, ana, Relationship.MANAGER), {"q1": 3}, items={"q2": {"c1": 4}})
    gaps = scores.rating_gaps(participant_of(cycle, ana))
    found = {(row.question.prompt, row.item_key): row.gap for row in gaps.rows()}
    assert found == {
        ("Rating with an optional comment?", ""): Decimal("-0.5000"),
        ("Competency ratings?", "c1"): Decimal("0.5000"),
    }


def test_the_cycle_average_gap_counts_only_people_with_both_reviews():
    boss, (ana, ben, cai) = team(3)
    cycle = running_cycle([ana, ben, cai], kinds=KINDS)
    submit(review_of(cycle, ana, Relationship.SELF), {"q1": 5})
    submit(review_of(cycle, ana, Relationship.MANAGER), {"q1": 3})  # −0.5
    submit(review_of(cycle, ben, Relationship.SELF), {"q1": 1})
    submit(review_of(cycle, ben, Relationship.MANAGER), {"q1": 4})  # +0.75
    submit(review_of(cycle, cai, Relationship.SELF), {"q1": 1})  # no manager review: left out
    gaps = scores.rating_gaps(cycle)
    (overall,) = [g for g in gaps.by_question if g.item_key == ""]
    assert overall.participants == 2
    assert overall.gap == Decimal("0.1250")
    assert len(list(gaps.rows())) == 2


def test_questions_match_by_prompt_not_by_key():
    boss, (ana,) = team()
    cycle = running_cycle([ana], kinds=KINDS)
    form = CycleForm.objects.get(cycle=cycle, relationship=Relationship.SELF)
    content = form.version.content
    for question in content["sections"][0]["questions"]:
        question["key"] = "s" + question["key"]  # other keys, same prompts
    form.version.content = content
    form.version.save(update_fields=["content"])
    matched = {q.prompt: (q.self_key, q.manager_key) for q in scores.matched_questions(cycle)}
    assert matched["Rating with an optional comment?"] == ("sq1", "q1")
    content["sections"][0]["questions"][1]["prompt"] = "Something else entirely?"
    form.version.content = content
    form.version.save(update_fields=["content"])
    assert [q.prompt for q in scores.matched_questions(cycle)] == [
        "Rating with an optional comment?"
    ]
