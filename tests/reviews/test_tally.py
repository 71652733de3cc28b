"""The progress counters on participants stay equal to a recount after every service that
changes a review's state or a nomination."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.reviews import tally
from tandem.reviews.models import NominationStatus, Participant, Relationship, Review
from tandem.reviews.services import cycles
from tandem.reviews.services.nominations import (
    approve_all_pending,
    approve_peers,
    decline,
    propose_peers,
    replace_peer,
)
from tandem.reviews.services.sharing import reopen
from tandem.reviews.services.writing import save_draft, submit
from tests.factories import DepartmentFactory, PersonFactory, hr_admin
from tests.reviews.factories import nominate, participant_of
from tests.reviews.nominations_helpers import team as nomination_team
from tests.reviews.setup_helpers import draft_cycle, launch
from tests.reviews.writing_helpers import fresh, full_answers, make_team, text_key

pytestmark = pytest.mark.django_db


def _counters(participant: Participant) -> dict[str, int]:
    return Participant.objects.filter(pk=participant.pk).values(*tally.counters()).get()


def test_a_launch_counts_every_participants_reviews(
    django_capture_on_commit_callbacks: Any,
) -> None:
    department = DepartmentFactory()
    head = PersonFactory(department=department)
    lead = PersonFactory(department=department, manager=head)
    ada = PersonFactory(department=department, manager=lead)
    hr = hr_admin()
    cycle = launch(
        draft_cycle(hr, departments=[department]), hr, django_capture_on_commit_callbacks
    )
    assert tally.mismatches(cycle) == []
    counts = _counters(participant_of(cycle, ada))
    assert (counts["self_total"], counts["manager_total"]) == (1, 1)


def test_a_late_joiner_and_their_managers_are_counted(
    django_capture_on_commit_callbacks: Any,
) -> None:
    department = DepartmentFactory()
    lead = PersonFactory(department=department)
    PersonFactory(department=department, manager=lead)
    hr = hr_admin()
    cycle = launch(
        draft_cycle(hr, departments=[department]), hr, django_capture_on_commit_callbacks
    )
    cycles.add_participant(cycle, PersonFactory(manager=lead), reason="Joined", by=hr)
    assert tally.mismatches(cycle) == []


def test_the_first_save_of_a_draft_counts_it_started() -> None:
    t = make_team()
    review = t.self_review
    save_draft(review, answers={text_key(review): {"comment": "So far"}}, version=0, by=t.owner)
    assert tally.mismatches(t.cycle) == []
    assert _counters(t.participant)["self_started"] == 1


def test_a_submit_counts_the_review_done() -> None:
    t = make_team()
    review = t.self_review
    submit(review, answers=full_answers(review), version=0, by=t.owner)
    assert tally.mismatches(t.cycle) == []
    assert _counters(t.participant)["self_done"] == 1


def test_a_reopened_review_counts_started_again() -> None:
    t = make_team()
    review = t.self_review
    submit(review, answers=full_answers(review), version=0, by=t.owner)
    reopen(fresh(review), reason="A typo", by=hr_admin())
    assert tally.mismatches(t.cycle) == []
    counts = _counters(t.participant)
    assert (counts["self_done"], counts["self_started"]) == (0, 1)


def test_a_manager_review_handed_on_is_counted_not_started() -> None:
    t = make_team()
    review = t.manager_review
    save_draft(review, answers={text_key(review): {"comment": "x"}}, version=0, by=t.manager)
    cycles.reassign_manager_review(t.participant, t.boss, reason="New manager", by=hr_admin())
    assert tally.mismatches(t.cycle) == []
    assert _counters(t.participant)["manager_started"] == 0


def test_proposed_peers_are_counted() -> None:
    t = nomination_team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    assert tally.mismatches(t.cycle) == []
    assert _counters(t.participant)["peers_proposed"] == 2


def test_approved_peers_and_their_reviews_are_counted() -> None:
    t = nomination_team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    approve_peers(t.participant, by=t.manager)
    assert tally.mismatches(t.cycle) == []
    counts = _counters(t.participant)
    assert (counts["peers_approved"], counts["peers_proposed"], counts["peer_total"]) == (2, 0, 2)


def test_approving_everything_at_once_recounts_the_cycle() -> None:
    t = nomination_team()
    for i, colleague in enumerate(t.colleagues[:3]):
        nominate(participant_of(t.cycle, colleague), t.colleagues[i + 3])
    approve_all_pending(t.cycle, by=hr_admin())
    assert tally.mismatches(t.cycle) == []


def test_a_declined_peer_review_is_no_longer_counted() -> None:
    t = nomination_team()
    nomination = nominate(t.participant, t.colleagues[0], status=NominationStatus.APPROVED)
    decline(nomination, reason="I joined last week.", by=t.colleagues[0])
    assert tally.mismatches(t.cycle) == []
    counts = _counters(t.participant)
    assert (counts["peers_approved"], counts["peer_total"]) == (0, 0)


def test_a_replacement_peer_is_counted() -> None:
    t = nomination_team()
    nomination = nominate(t.participant, t.colleagues[0], status=NominationStatus.APPROVED)
    decline(nomination, reason="Too busy.", by=t.colleagues[0])
    replace_peer(nomination, t.colleagues[1].pk, by=t.manager)
    assert tally.mismatches(t.cycle) == []
    counts = _counters(t.participant)
    assert (counts["peers_approved"], counts["peer_total"]) == (1, 1)


def test_refresh_puts_wrong_counters_right_for_the_participants_named_only() -> None:
    t = make_team()
    other = Participant.objects.create(cycle=t.cycle, person=PersonFactory(), self_total=9)
    Participant.objects.filter(pk=t.participant.pk).update(self_total=5, peers_approved=0)
    Review.objects.filter(participant=t.participant, relationship=Relationship.SELF).update(
        state="submitted"
    )
    assert tally.mismatches(t.cycle) == sorted([t.participant.pk, other.pk])
    tally.refresh(cycle_id=t.cycle.pk, participant_ids=[t.participant.pk])
    assert tally.mismatches(t.cycle) == [other.pk]
    counts = _counters(t.participant)
    assert (counts["self_total"], counts["self_done"], counts["peers_approved"]) == (1, 1, 1)
    tally.refresh(cycle_id=t.cycle.pk)
    assert tally.mismatches(t.cycle) == []
