"""HR approves every proposed nomination at once, within the cap, in a fixed number of
queries."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.notifications.models import Notification
from tandem.reviews.models import Nomination, NominationStatus, Relationship, Review
from tandem.reviews.services.nominations import approve_all_pending
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import close_phase, nominate, participant_of, running_cycle

pytestmark = pytest.mark.django_db


def _company(size: int, *, cap: int = 5, steps: tuple[int, ...] = (1, 2)):
    """`size` people, each proposing the next two (in a ring)."""
    people = [PersonFactory() for _ in range(size)]
    cycle = running_cycle(people, peer_review_cap=cap)
    for i, person in enumerate(people):
        participant = participant_of(cycle, person)
        for step in steps:
            nominate(participant, people[(i + step) % size])
    return cycle, people


def test_every_proposal_that_fits_is_approved_with_its_peer_review() -> None:
    cycle, _ = _company(6)
    result = approve_all_pending(cycle, by=hr_admin())
    assert (result.approved, result.skipped) == (12, 0)
    assert not Nomination.objects.filter(status=NominationStatus.PROPOSED).exists()
    assert Review.objects.filter(cycle=cycle, relationship=Relationship.PEER).count() == 12


def test_proposals_over_the_cap_stay_waiting() -> None:
    people = [PersonFactory() for _ in range(5)]
    busy = PersonFactory()
    cycle = running_cycle([*people, busy], peer_review_cap=2)
    nominations = [nominate(participant_of(cycle, p), busy) for p in people]
    result = approve_all_pending(cycle, by=hr_admin())
    assert (result.approved, result.skipped) == (2, 3)
    approved = Nomination.objects.filter(status=NominationStatus.APPROVED)
    assert sorted(approved.values_list("pk", flat=True)) == [n.pk for n in nominations[:2]]


def test_peer_reviews_already_written_count_against_the_cap() -> None:
    people = [PersonFactory() for _ in range(3)]
    busy = PersonFactory()
    cycle = running_cycle([*people, busy], peer_review_cap=2)
    nominate(participant_of(cycle, people[0]), busy, status=NominationStatus.APPROVED)
    nominate(participant_of(cycle, people[1]), busy)
    nominate(participant_of(cycle, people[2]), busy)
    result = approve_all_pending(cycle, by=hr_admin())
    assert (result.approved, result.skipped) == (1, 1)
    assert Review.objects.filter(reviewer=busy, relationship=Relationship.PEER).count() == 2


def test_running_it_again_approves_nothing_new() -> None:
    cycle, _ = _company(4)
    admin = hr_admin()
    approve_all_pending(cycle, by=admin)
    again = approve_all_pending(cycle, by=admin)
    assert (again.approved, again.skipped) == (0, 0)
    assert Review.objects.filter(relationship=Relationship.PEER).count() == 8


def test_each_peer_hears_once_how_many_reviews_to_write(
    django_capture_on_commit_callbacks,
) -> None:
    cycle, people = _company(4)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all_pending(cycle, by=hr_admin())
    note = Notification.objects.get(person=people[0], kind="reviews.nomination")
    assert note.title.startswith("Write 2 peer reviews")


def test_peers_are_told_only_after_commit() -> None:
    cycle, people = _company(4)
    approve_all_pending(cycle, by=hr_admin())
    assert not Notification.objects.filter(person=people[0]).exists()


def test_it_is_audited_once_with_the_counts() -> None:
    cycle, _ = _company(4)
    approve_all_pending(cycle, by=hr_admin())
    event = AuditEvent.objects.get(kind="review.nomination.approve_all")
    assert event.changes == {"approved": 8, "skipped": 0}


def test_only_hr_admins_may_approve_all() -> None:
    cycle, people = _company(3)
    with pytest.raises(NotAllowed):
        approve_all_pending(cycle, by=people[0])


def test_closed_windows_refuse_and_approve_nothing() -> None:
    cycle, _ = _company(3)
    close_phase(cycle, "nomination")
    close_phase(cycle, "peer")
    with pytest.raises(ValidationError):
        approve_all_pending(cycle, by=hr_admin())
    assert not Nomination.objects.filter(status=NominationStatus.APPROVED).exists()


def _queries(size: int) -> int:
    # One proposal each: SQLite caps the rows of one INSERT (999 parameters), PostgreSQL
    # takes the whole 2,000-row batch; either way the count does not grow with 10 vs 40.
    cycle, _ = _company(size, steps=(1,))
    admin = hr_admin()
    with CaptureQueriesContext(connection) as captured:
        approve_all_pending(cycle, by=admin)
    return len(captured.captured_queries)


def test_it_uses_the_same_number_of_queries_for_10_and_40_participants() -> None:
    assert _queries(10) == _queries(40)
