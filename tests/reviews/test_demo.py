from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db.models import Count

from tandem.goals.models import Goal
from tandem.org import demo
from tandem.org.models import Person
from tandem.reviews import answers as answer_rules
from tandem.reviews import demo as reviews_demo
from tandem.reviews import framework, scores, versions
from tandem.reviews.models import (
    Cycle,
    CycleStatus,
    Nomination,
    NominationStatus,
    Participant,
    PhaseKind,
    RatingScale,
    Relationship,
    Review,
    ReviewRevision,
    ReviewState,
    SubmittedRating,
    Template,
    TemplateVersion,
)
from tandem.reviews.phases import current_phase
from tests.demo_once import demo_for_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)
SEED = 11


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(django_db_blocker, people=120, seed=SEED, today=TODAY):
        yield


def _cycles() -> tuple[Cycle, Cycle]:
    finished = Cycle.objects.get(status=CycleStatus.CLOSED, imported_at=None)
    active = Cycle.objects.get(status=CycleStatus.ACTIVE)
    return finished, active


def _login(key: str) -> Person:
    return Person.objects.get(email=f"{key}@{demo.DEMO_DOMAIN}")


def test_the_finished_cycle_has_shared_and_acknowledged_manager_reviews(loaded):
    finished, _ = _cycles()
    reviews = Review.objects.filter(cycle=finished, relationship=Relationship.MANAGER)
    states = dict(reviews.values_list("state").annotate(n=Count("id")))
    assert states.get(ReviewState.ACKNOWLEDGED, 0) > states.get(ReviewState.SHARED, 0) > 0
    assert Participant.objects.filter(cycle=finished, acknowledged_at__isnull=False).exists()
    assert Participant.objects.exclude(acknowledgement_comment="").filter(cycle=finished).exists()
    assert all(p.due_on < TODAY for p in finished.phases.all())


def test_the_finished_cycle_has_peers_upward_reviews_and_a_reopened_review(loaded):
    finished, _ = _cycles()
    per_participant = (
        Nomination.objects.filter(cycle=finished, status=NominationStatus.APPROVED)
        .values("participant")
        .annotate(n=Count("id"))
    )
    assert {row["n"] for row in per_participant} <= {2, 3, 4}
    reviews = Review.objects.filter(cycle=finished)
    relationships = set(reviews.values_list("relationship", flat=True))
    assert relationships == {"self", "manager", "peer", "upward"}
    assert ReviewRevision.objects.filter(review__cycle=finished).exists()


def test_the_running_cycle_is_in_its_peer_phase(loaded):
    _, active = _cycles()
    phase = current_phase(active, TODAY)
    assert phase is not None and phase.kind == PhaseKind.PEER
    peer_states = set(
        Review.objects.filter(cycle=active, relationship=Relationship.PEER).values_list(
            "state", flat=True
        )
    )
    assert {ReviewState.NOT_STARTED, ReviewState.IN_PROGRESS, ReviewState.SUBMITTED} <= peer_states
    manager_states = set(
        Review.objects.filter(cycle=active, relationship=Relationship.MANAGER).values_list(
            "state", flat=True
        )
    )
    assert manager_states <= {ReviewState.NOT_STARTED, ReviewState.IN_PROGRESS}
    statuses = set(Nomination.objects.filter(cycle=active).values_list("status", flat=True))
    assert {NominationStatus.APPROVED, NominationStatus.PROPOSED} <= statuses
    declined = Nomination.objects.filter(cycle=active, status=NominationStatus.DECLINED)
    assert declined.exists() and not declined.filter(decline_reason="").exists()


def test_the_demo_log_ins_have_something_to_do_in_the_running_cycle(loaded):
    _, active = _cycles()
    employee, manager = _login("employee"), _login("manager")
    mine = Review.objects.filter(cycle=active, reviewer=employee)
    assert mine.get(relationship=Relationship.SELF).state == ReviewState.SUBMITTED
    assert mine.filter(relationship=Relationship.PEER, state=ReviewState.NOT_STARTED).exists()
    assert Nomination.objects.filter(
        cycle=active, participant__manager=manager, status=NominationStatus.PROPOSED
    ).exists()
    assert Review.objects.filter(
        cycle=active, reviewer=manager, relationship=Relationship.MANAGER
    ).exists()


def test_ratings_differ_between_managers(loaded):
    finished, _ = _cycles()
    by_manager: dict[int, list[float]] = defaultdict(list)
    rows = SubmittedRating.objects.filter(
        cycle=finished, relationship=Relationship.MANAGER, item_key=""
    ).values_list("review__reviewer_id", "normalised")
    for manager, value in rows:
        by_manager[manager].append(float(value))
    means = [statistics.mean(v) for v in by_manager.values() if len(v) >= 3]
    assert len(means) >= 4
    assert max(means) - min(means) >= 0.25


def test_every_rating_of_a_submitted_review_has_a_row(loaded):
    finished, _ = _cycles()
    review = (
        Review.objects.filter(cycle=finished, relationship=Relationship.MANAGER)
        .exclude(state=ReviewState.IN_PROGRESS)
        .select_related("template_version", "participant__framework_snapshot")
        .first()
    )
    assert review is not None
    expected = {
        (r.question_key, r.item_key, r.value, r.normalised)
        for r in answer_rules.ratings(framework.content_of(review), review.answers)
    }
    stored = set(review.ratings.values_list("question_key", "item_key", "value", "normalised"))
    assert stored == expected and expected


def test_every_demo_answer_validates_against_its_frozen_version(loaded):
    # Competency questions are drawn from the framework: each reviewee's own items.
    snapshot_of = {
        pk: content or {}
        for pk, content in Participant.objects.values_list("pk", "framework_snapshot__content")
    }
    content_of = dict(TemplateVersion.objects.values_list("pk", "content"))
    goal_keys: dict[tuple[int, int], set[str]] = defaultdict(set)
    for cycle in Cycle.objects.all():
        for owner, pk in Goal.objects.filter(
            period__start_date__lte=cycle.period_end, period__end_date__gte=cycle.period_start
        ).values_list("owner_id", "pk"):
            goal_keys[(cycle.pk, owner)].add(answer_rules.goal_key(pk))
    for review in Review.objects.all():
        content = framework.effective_content(
            content_of[review.template_version_id], snapshot_of[review.participant_id]
        )
        keys = goal_keys.get((review.cycle_id, review.reviewee_id), set())
        assert answer_rules.clean(content, review.answers, goal_keys=keys) == review.answers
        if review.state != ReviewState.NOT_STARTED:
            assert set(review.answers) <= set(versions.question_map(content))
        if review.submitted_at is not None:
            assert answer_rules.missing_required(content, review.answers, goal_keys=keys) == {}


def test_the_stored_overall_scores_are_what_the_score_formula_gives(loaded):
    finished, _ = _cycles()
    assert Participant.objects.filter(cycle=finished, overall_score__isnull=False).exists()
    assert scores.refresh_cycle(finished) == 0


def _fingerprint() -> list[tuple[object, ...]]:
    return list(
        Review.objects.filter(cycle__imported_at=None)
        .order_by("reviewee_id", "reviewer_id", "relationship", "cycle__status")
        .values_list(
            "reviewee_id",
            "reviewer_id",
            "relationship",
            "cycle__status",
            "state",
            "answers",
            "submitted_at",
        )
    )


def test_the_demo_is_reproducible_from_the_seed(loaded):
    first = _fingerprint()
    for model in (Cycle, TemplateVersion, Template, RatingScale):
        model.objects.all().delete()
    reviews_demo.load_demo(seed=SEED, today=TODAY, progress=lambda *args: None)
    assert _fingerprint() == first
