"""Rater effects of a real cycle: the observations, the minimum-ratings rule, the rater-
adjusted ratings, and the cache (stale when a rating changes, computed again)."""

from __future__ import annotations

import pytest

from tandem.access.rules import NotAllowed
from tandem.fairness import estimator
from tandem.fairness.models import EstimateStatus, RaterEffects
from tandem.fairness.queries import rater_effects as queries
from tandem.fairness.services import rater_effects as services
from tandem.reviews.models import Cycle, CycleForm, Relationship
from tandem.reviews.services import calibration as reviews_calibration
from tandem.reviews.services import imports, launch, sharing, writing
from tests.factories import PersonFactory, hr_admin
from tests.fairness.rater_effects_helpers import (
    LENIENT_RATINGS,
    participant_id,
    rated_cycle,
)
from tests.reviews.factories import add_review, participant_of, review_of, running_cycle
from tests.reviews.imports_helpers import csv_bytes, people, rows
from tests.reviews.running_helpers import submit
from tests.reviews.writing_helpers import full_answers

pytestmark = pytest.mark.django_db


def _computed(rated, by=None):  # type: ignore[no-untyped-def]
    by = by or hr_admin()
    services.refresh(by=by, cycle=rated.cycle)
    return queries.for_cycle(by, rated.cycle)


def _effect(effects, person, relationship="manager"):  # type: ignore[no-untyped-def]
    return next(
        r for r in effects.raters if r.reviewer_id == person.pk and r.relationship == relationship
    )


def test_the_lenient_manager_is_found_lenient_and_the_severe_one_severe():
    rated = rated_cycle()

    effects = _computed(rated)

    assert effects.status == queries.READY
    assert _effect(effects, rated.lenient).leniency > 0.3
    assert _effect(effects, rated.severe).leniency < -0.3


def test_each_rater_is_listed_with_a_name_a_count_and_an_interval_around_the_leniency():
    rated = rated_cycle()

    lenient = _effect(_computed(rated), rated.lenient)

    assert lenient.name == "Lenora Generous"
    assert lenient.ratings == 5
    assert lenient.low < lenient.leniency < lenient.high


def test_a_rater_with_fewer_than_the_minimum_ratings_is_not_listed():
    rated = rated_cycle(team_size=queries.MIN_RATINGS - 1)

    effects = _computed(rated)

    assert effects.status == queries.READY
    assert {r.reviewer_id for r in effects.raters} & {rated.lenient.pk, rated.severe.pk} == set()


def test_a_manager_and_a_peer_rating_by_the_same_person_are_separate_effects():
    rated = rated_cycle()
    # The lenient manager also rates five people of the other team as a peer, neutrally.
    for person in rated.severe_team:
        review = add_review(participant_of(rated.cycle, person), rated.lenient, Relationship.PEER)
        submit(review, {"q1": 3})

    effects = _computed(rated)

    assert _effect(effects, rated.lenient, "manager").leniency > 0.3
    assert (
        abs(_effect(effects, rated.lenient, "peer").leniency)
        < _effect(effects, rated.lenient, "manager").leniency
    )


def test_the_adjusted_rating_is_the_raw_rating_less_the_managers_leniency():
    rated = rated_cycle()

    effects = _computed(rated)

    lenient = _effect(effects, rated.lenient)
    first = effects.adjusted[participant_id(rated.cycle, rated.lenient_team[1])]
    assert first.raw == LENIENT_RATINGS[1]
    assert first.reviewer_id == rated.lenient.pk
    assert first.adjusted == round(LENIENT_RATINGS[1] - lenient.leniency, 1)


def test_the_adjusted_rating_stays_on_the_scale():
    rated = rated_cycle()

    effects = _computed(rated)

    assert all(1 <= a.adjusted <= 5 for a in effects.adjusted.values())
    top = effects.adjusted[participant_id(rated.cycle, rated.severe_team[2])]
    assert top.raw == 3 and top.adjusted > 3  # the severe manager's 3 is worth more


def test_a_review_without_an_overall_question_counts_with_the_mean_of_its_rating_questions():
    manager = PersonFactory()
    report = PersonFactory(manager=manager)
    cycle = running_cycle([report], kinds=("rating", "rating"))
    peer_form = CycleForm.objects.select_related("version").get(
        cycle=cycle, relationship=Relationship.PEER
    )
    content = peer_form.version.content
    for section in content["sections"]:
        for question in section["questions"]:
            question["is_overall"] = False
    peer_form.version.save()
    participant = participant_of(cycle, report)
    submit(add_review(participant, PersonFactory(), Relationship.PEER), {"q1": 2, "q2": 4})
    manager_review = cycle.reviews.get(relationship=Relationship.MANAGER)
    submit(manager_review, {"q1": 5, "q2": 1})

    data = services.observations(cycle)

    assert data is not None
    by_relationship = dict(zip(data.relationship, data.y.tolist(), strict=True))
    assert by_relationship == {"peer": 3.0, "manager": 5.0}


def test_a_cycle_without_ratings_says_so():
    cycle = running_cycle([PersonFactory(manager=PersonFactory())])
    hr = hr_admin()

    services.refresh(by=hr, cycle=cycle)

    assert queries.for_cycle(hr, cycle).status == queries.NO_RATINGS
    assert not RaterEffects.objects.filter(cycle=cycle).exists()


def test_a_new_rating_makes_the_estimate_stale_and_the_last_one_is_shown_meanwhile():
    rated = rated_cycle()
    hr = hr_admin()
    before = _computed(rated, hr)
    newcomer = PersonFactory(manager=rated.lenient)
    participant = participant_of(rated.cycle, rated.lenient_team[0])
    submit(add_review(participant, newcomer, Relationship.PEER), {"q1": 1})

    stale = queries.for_cycle(hr, rated.cycle)

    assert stale.status == queries.COMPUTING
    assert stale.raters == before.raters


def test_asking_again_after_a_new_rating_computes_it_again():
    rated = rated_cycle()
    hr = hr_admin()
    _computed(rated, hr)
    first = RaterEffects.objects.get(cycle=rated.cycle)
    participant = participant_of(rated.cycle, rated.lenient_team[0])
    submit(add_review(participant, PersonFactory(), Relationship.PEER), {"q1": 1})

    again = _computed(rated, hr)

    row = RaterEffects.objects.get(cycle=rated.cycle)
    assert again.status == queries.READY
    assert row.fingerprint != first.fingerprint
    assert row.summary["observations"] == first.summary["observations"] + 1


def test_asking_again_without_a_new_rating_computes_nothing(monkeypatch):
    rated = rated_cycle()
    hr = hr_admin()
    _computed(rated, hr)
    monkeypatch.setattr(services, "compute", lambda **_: pytest.fail("computed again"))

    services.refresh(by=hr, cycle=rated.cycle)


def test_a_large_cycle_is_computed_by_the_background_task(
    monkeypatch, django_capture_on_commit_callbacks
):
    rated = rated_cycle()
    hr = hr_admin()
    monkeypatch.setattr(services, "INLINE_MAX_RATINGS", 0)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.refresh(by=hr, cycle=rated.cycle)
    assert queries.for_cycle(hr, rated.cycle).status == queries.COMPUTING
    for callback in queued:
        callback()  # the immediate task backend runs the task here

    assert len(queued) == 1
    assert queries.for_cycle(hr, rated.cycle).status == queries.READY


def test_a_queued_estimate_is_not_queued_twice(monkeypatch, django_capture_on_commit_callbacks):
    rated = rated_cycle()
    hr = hr_admin()
    monkeypatch.setattr(services, "INLINE_MAX_RATINGS", 0)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.refresh(by=hr, cycle=rated.cycle)
        services.refresh(by=hr, cycle=rated.cycle)

    assert len(queued) == 1


def test_the_summary_records_the_model_the_time_and_the_memory():
    rated = rated_cycle()

    summary = _computed(rated).summary

    assert summary["method"] == estimator.METHOD
    assert summary["observations"] == 40
    assert set(summary["variance_components"]) == {"ratee", "rater", "residual"}
    assert summary["seconds"] >= 0
    assert summary["peak_memory_mb"] >= 0


def test_a_failed_fit_is_recorded_and_not_retried_until_a_rating_changes(monkeypatch):
    rated = rated_cycle()
    hr = hr_admin()

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ArithmeticError("did not converge")

    monkeypatch.setattr(estimator, "fit", broken)
    effects = _computed(rated, hr)

    row = RaterEffects.objects.get(cycle=rated.cycle)
    assert effects.status == queries.FAILED
    assert row.status == EstimateStatus.FAILED and "did not converge" in row.error
    monkeypatch.setattr(services, "compute", lambda **_: pytest.fail("retried"))
    services.refresh(by=hr, cycle=rated.cycle)


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_only_hr_admins_may_read_or_ask_for_rater_effects(who):
    rated = rated_cycle()
    person = rated.lenient if who == "manager" else rated.lenient_team[0]

    with pytest.raises(NotAllowed):
        services.refresh(by=person, cycle=rated.cycle)
    with pytest.raises(NotAllowed):
        queries.for_cycle(person, rated.cycle)


def test_a_session_page_can_ask_for_its_managers_and_reviewees_only():
    rated = rated_cycle()
    hr = hr_admin()
    services.refresh(by=hr, cycle=rated.cycle)
    reviewee = participant_id(rated.cycle, rated.lenient_team[0])

    effects = queries.estimate_of(
        rated.cycle, reviewer_ids=[rated.lenient.pk], participant_ids=[reviewee]
    )

    assert {r.reviewer_id for r in effects.raters} == {rated.lenient.pk}
    assert set(effects.adjusted) == {reviewee}


# --- The cache is keyed on the cycle's ratings version: every write path makes it stale ------


def _is_stale(rated, hr):  # type: ignore[no-untyped-def]
    return queries.for_cycle(hr, rated.cycle).status == queries.COMPUTING


def test_a_review_submitted_through_the_writing_service_makes_the_estimate_stale():
    rated = rated_cycle()
    hr = hr_admin()
    _computed(rated, hr)
    participant = participant_of(rated.cycle, rated.lenient_team[0])
    review = add_review(participant, PersonFactory(), Relationship.PEER)

    writing.submit(review, answers=full_answers(review, rating=1), version=0, by=review.reviewer)

    assert _is_stale(rated, hr)


def test_a_reopened_review_makes_the_estimate_stale():
    rated = rated_cycle()
    hr = hr_admin()
    _computed(rated, hr)

    sharing.reopen(
        review_of(rated.cycle, rated.lenient_team[0], Relationship.MANAGER),
        reason="Rated the wrong person",
        by=hr,
    )

    assert _is_stale(rated, hr)


def test_a_locked_calibration_rating_makes_the_estimate_stale():
    rated = rated_cycle()
    hr = hr_admin()
    _computed(rated, hr)

    reviews_calibration.record_final(
        participant_id(rated.cycle, rated.lenient_team[0]), rating=3, points=5, calibrated_from=5
    )

    assert _is_stale(rated, hr)


def test_a_removed_participant_makes_the_estimate_stale():
    rated = rated_cycle()
    hr = hr_admin()
    _computed(rated, hr)

    launch.remove_participant(
        participant_of(rated.cycle, rated.severe_team[0]), reason="Left the company", by=hr
    )

    assert _is_stale(rated, hr)


def test_an_import_adding_ratings_to_an_imported_cycle_makes_its_estimate_stale():
    hr = hr_admin()
    people()
    imports.import_ratings(by=hr, data=csv_bytes(rows()[:2]), file_name="first.csv")
    cycle = Cycle.objects.get()
    services.refresh(by=hr, cycle=cycle)
    assert queries.for_cycle(hr, cycle).status == queries.READY

    imports.import_ratings(by=hr, data=csv_bytes(rows()), file_name="second.csv")

    assert queries.for_cycle(hr, cycle).status == queries.COMPUTING


def test_an_up_to_date_estimate_is_read_without_counting_the_ratings(monkeypatch):
    rated = rated_cycle()
    hr = hr_admin()
    _computed(rated, hr)
    monkeypatch.setattr(
        queries.ratings, "rating_count", lambda *a, **k: pytest.fail("ratings counted")
    )

    services.refresh(by=hr, cycle=rated.cycle)

    assert queries.for_cycle(hr, rated.cycle).status == queries.READY


def test_counting_a_small_cycles_ratings_leaves_out_a_reopened_review():
    from tandem.reviews.models import SubmittedRating
    from tandem.reviews.queries.ratings import rating_count

    rated = rated_cycle()
    review = review_of(rated.cycle, rated.lenient_team[0], Relationship.MANAGER)
    everything = SubmittedRating.objects.filter(cycle=rated.cycle, points__gte=2).count()
    of_review = SubmittedRating.objects.filter(review=review, points__gte=2).count()
    sharing.reopen(review, reason="Rated the wrong person", by=hr_admin())

    assert of_review > 0
    assert rating_count(rated.cycle, at_most=everything + 10) == everything - of_review


def test_counting_a_large_cycles_ratings_stops_at_the_limit():
    from tandem.reviews.queries.ratings import rating_count

    rated = rated_cycle()
    assert rating_count(rated.cycle, at_most=3) == 3
