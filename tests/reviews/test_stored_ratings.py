"""The stored manager rating (`Participant.manager_rating`) and the cycle's ratings version
(`Cycle.ratings_version`), kept by every reviews service that changes a rating."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from tandem.reviews.models import Cycle, Participant
from tandem.reviews.queries.ratings import rated_participants, ratings_version
from tandem.reviews.services import calibration as reviews_calibration
from tandem.reviews.services.imports import import_ratings
from tandem.reviews.services.launch import add_participant, remove_participant
from tandem.reviews.services.sharing import reopen
from tandem.reviews.services.writing import submit
from tests.factories import hr_admin
from tests.reviews.imports_helpers import csv_bytes, people, rows
from tests.reviews.writing_helpers import Team, fresh, full_answers, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> Team:
    return make_team()


def _stored(team: Team) -> int | None:
    return Participant.objects.get(pk=team.participant.pk).manager_rating


def _submit_manager_review(team: Team, rating: int = 4) -> None:
    review = fresh(team.manager_review)
    submit(
        review, answers=full_answers(review, rating=rating), version=review.version, by=team.manager
    )


def test_submitting_the_manager_review_stores_its_overall_rating(team: Team) -> None:
    _submit_manager_review(team, rating=2)

    assert _stored(team) == 2


def test_submitting_the_manager_review_bumps_the_cycles_ratings_version(team: Team) -> None:
    before = ratings_version(team.cycle)

    _submit_manager_review(team)

    assert ratings_version(team.cycle) == before + 1


def test_submitting_a_self_review_bumps_the_version_and_leaves_the_manager_rating(
    team: Team,
) -> None:
    review = team.self_review
    before = ratings_version(team.cycle)

    submit(review, answers=full_answers(review, rating=5), version=0, by=team.owner)

    assert ratings_version(team.cycle) == before + 1
    assert _stored(team) is None


def test_reopening_the_manager_review_clears_the_stored_rating(team: Team) -> None:
    _submit_manager_review(team)

    reopen(fresh(team.manager_review), reason="Wrong person's rating", by=hr_admin())

    assert _stored(team) is None


def test_reopening_a_review_bumps_the_version(team: Team) -> None:
    _submit_manager_review(team)
    before = ratings_version(team.cycle)

    reopen(fresh(team.manager_review), reason="Wrong person's rating", by=hr_admin())

    assert ratings_version(team.cycle) == before + 1


def test_submitting_again_after_a_reopening_stores_the_new_rating(team: Team) -> None:
    _submit_manager_review(team, rating=2)
    reopen(fresh(team.manager_review), reason="Typo in the rating", by=hr_admin())

    _submit_manager_review(team, rating=5)

    assert _stored(team) == 5


def test_rated_participants_reads_the_stored_rating(team: Team) -> None:
    _submit_manager_review(team, rating=3)

    found = rated_participants(team.cycle).get(pk=team.participant.pk)

    assert (found.raw_rating, found.rating) == (3, 3)  # type: ignore[attr-defined]


def test_a_locked_calibration_rating_bumps_the_version(team: Team) -> None:
    _submit_manager_review(team, rating=2)
    before = ratings_version(team.cycle)

    reviews_calibration.record_final(team.participant.pk, rating=3, points=5, calibrated_from=2)

    assert ratings_version(team.cycle) == before + 1


def test_discussing_a_calibrated_person_again_bumps_the_version(team: Team) -> None:
    _submit_manager_review(team, rating=2)
    reviews_calibration.record_final(team.participant.pk, rating=3, points=5, calibrated_from=2)
    before = ratings_version(team.cycle)

    reviews_calibration.mark_in_calibration([team.participant.pk])

    assert ratings_version(team.cycle) == before + 1


def test_calibration_leaves_the_stored_manager_rating_alone(team: Team) -> None:
    _submit_manager_review(team, rating=2)

    reviews_calibration.record_final(team.participant.pk, rating=3, points=5, calibrated_from=2)

    assert _stored(team) == 2


def test_removing_a_participant_bumps_the_version(team: Team) -> None:
    before = ratings_version(team.cycle)

    remove_participant(team.participant, reason="Left the company", by=hr_admin())

    assert ratings_version(team.cycle) == before + 1


def test_adding_a_removed_participant_back_bumps_the_version(team: Team) -> None:
    admin = hr_admin()
    remove_participant(team.participant, reason="Left the company", by=admin)
    before = ratings_version(team.cycle)

    add_participant(team.cycle, team.owner, reason="Came back", by=admin)

    assert ratings_version(team.cycle) == before + 1


def test_an_import_stores_the_manager_ratings_of_its_cycle(hr: Any) -> None:
    people()

    import_ratings(by=hr, data=csv_bytes(rows()), file_name="history.csv")

    stored = dict(
        Participant.objects.values_list("person__employee_id", "manager_rating").order_by()
    )
    assert stored == {"R1": 4, "R2": 2, "M1": None}


def test_an_import_adding_ratings_to_an_imported_cycle_bumps_its_version(hr: Any) -> None:
    people()
    import_ratings(by=hr, data=csv_bytes(rows()[:1]), file_name="first.csv")
    cycle = Cycle.objects.get()
    before = ratings_version(cycle)

    import_ratings(by=hr, data=csv_bytes(rows()), file_name="second.csv")

    assert ratings_version(cycle) > before


def test_the_migration_backfills_the_latest_submitted_manager_rating(team: Team) -> None:
    _submit_manager_review(team, rating=2)
    reopen(fresh(team.manager_review), reason="Typo in the rating", by=hr_admin())
    _submit_manager_review(team, rating=5)
    Participant.objects.update(manager_rating=None)
    migration = importlib.import_module(
        "tandem.reviews.migrations.0011_stored_manager_rating_and_ratings_version"
    )

    migration.backfill_manager_rating(apps, None)

    assert _stored(team) == 5


def test_the_migration_leaves_a_participant_without_a_manager_review_empty(team: Team) -> None:
    review = team.self_review
    submit(review, answers=full_answers(review, rating=5), version=0, by=team.owner)
    migration = importlib.import_module(
        "tandem.reviews.migrations.0011_stored_manager_rating_and_ratings_version"
    )

    migration.backfill_manager_rating(apps, None)

    assert _stored(team) is None


# --- The whole cycle's rating counts, cached under the version -------------------------------


def test_the_cached_rating_counts_follow_a_new_submission(team: Team) -> None:
    from tandem.reviews.queries.ratings import rating_counts

    assert rating_counts(team.cycle) == {}  # counted, and cached under this version

    _submit_manager_review(team, rating=2)

    assert rating_counts(team.cycle) == {2: 1}


def test_the_cached_rating_counts_follow_a_reopening(team: Team) -> None:
    from tandem.reviews.queries.ratings import rating_counts

    _submit_manager_review(team, rating=3)
    assert rating_counts(team.cycle) == {3: 1}

    reopen(fresh(team.manager_review), reason="Wrong person's rating", by=hr_admin())

    assert rating_counts(team.cycle) == {}


def test_rating_counts_leave_out_the_excluded_participants(team: Team) -> None:
    from tandem.reviews.queries.ratings import rating_counts

    _submit_manager_review(team, rating=3)
    excluded = Participant.objects.filter(pk=team.participant.pk).values("pk")

    assert rating_counts(team.cycle) == {3: 1}
    assert rating_counts(team.cycle, excluding=excluded) == {}
