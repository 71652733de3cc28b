"""The manager's approvals list reads the participants' nomination counters: what it shows
must stay what the nominations themselves say, after every service that changes them."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.reviews.models import Nomination, NominationStatus
from tandem.reviews.queries import nominations as queries
from tandem.reviews.services.nominations import approve_peers, propose_peers
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import close_phase, participant_of
from tests.reviews.nominations_helpers import team

pytestmark = pytest.mark.django_db


def _live(participant_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{participant id: (proposed, approved)} counted from the nominations themselves."""
    counts: dict[int, list[int]] = {}
    for participant_id, status in Nomination.objects.filter(
        participant_id__in=participant_ids
    ).values_list("participant_id", "status"):
        pair = counts.setdefault(participant_id, [0, 0])
        if status == NominationStatus.PROPOSED:
            pair[0] += 1
        elif status == NominationStatus.APPROVED:
            pair[1] += 1
    return {pk: (proposed, approved) for pk, (proposed, approved) in counts.items()}


def _listed(user: Any) -> dict[int, tuple[int, int]]:
    rows, _ = queries.pending_approvals(user)
    return {row.participant.pk: (row.proposed, row.approved) for row in rows}


def test_the_counts_listed_are_the_nominations_after_proposing_and_approving_part() -> None:
    t = team(size=5)
    other = participant_of(t.cycle, t.colleagues[4])
    propose_peers(t.participant, t.ids(0, 1, 2), by=t.reviewee)
    propose_peers(other, t.ids(0, 1), by=t.colleagues[4])
    approve_peers(t.participant, by=t.manager, peers=t.ids(0, 3))
    live = _live([t.participant.pk, other.pk])
    waiting = {pk: pair for pk, pair in live.items() if pair[0] > 0}
    assert _listed(t.manager) == waiting
    assert _listed(t.manager)[other.pk] == (2, 0)


def test_a_participant_whose_peers_are_all_approved_leaves_the_list() -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    approve_peers(t.participant, by=t.manager)
    assert queries.pending_approvals(t.manager) == ([], 0)


def test_nothing_is_listed_once_the_nomination_phase_is_over(
    django_assert_max_num_queries: Any,
) -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    close_phase(t.cycle, "nomination")
    with django_assert_max_num_queries(1):
        assert queries.pending_approvals(t.manager) == ([], 0)


def test_the_total_counts_every_waiting_participant_beyond_the_page(monkeypatch) -> None:
    t = team(size=4)
    for person in [t.reviewee, *t.colleagues[:2]]:
        participant = participant_of(t.cycle, person)
        others = [c.pk for c in t.colleagues if c != person][:2]
        propose_peers(participant, others, by=person)
    monkeypatch.setattr(queries, "APPROVALS_LIMIT", 2)
    rows, total = queries.pending_approvals(t.manager)
    assert (len(rows), total) == (2, 3)


def test_the_list_is_ordered_by_name() -> None:
    t = team(size=4, peer_review_cap=8)
    for person in [t.reviewee, *t.colleagues[:3]]:
        participant = participant_of(t.cycle, person)
        others = [c.pk for c in t.colleagues if c != person][:2]
        propose_peers(participant, others, by=person)
    rows, _ = queries.pending_approvals(t.manager)
    names = [(row.participant.person.sort_name, row.participant.pk) for row in rows]
    assert names == sorted(names)


def test_someone_outside_the_team_sees_nothing_waiting() -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    assert queries.pending_approvals(PersonFactory()) == ([], 0)


def test_hr_sees_each_cycle_with_its_proposed_nominations() -> None:
    t = team(size=5)
    other = participant_of(t.cycle, t.colleagues[4])
    propose_peers(t.participant, t.ids(0, 1, 2), by=t.reviewee)
    propose_peers(other, t.ids(0, 1), by=t.colleagues[4])
    hr = hr_admin()
    assert [(p.cycle.pk, p.proposed) for p in queries.pending_by_cycle(hr)] == [(t.cycle.pk, 5)]
    approve_peers(t.participant, by=t.manager)
    assert [(p.cycle.pk, p.proposed) for p in queries.pending_by_cycle(hr)] == [(t.cycle.pk, 2)]


def test_hr_sees_no_cycle_when_nothing_is_proposed() -> None:
    team()
    assert queries.pending_by_cycle(hr_admin()) == []
