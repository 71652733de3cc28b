"""The state machine, driven through the services: every sequence of events up to length 5
from every state. Nothing leaves "acknowledged" except a reopen by HR; a reopen by anyone
else is refused.

What a service does depends only on the situation it meets (the review's state, and
whether the participant's review is shared or acknowledged), so each (situation, event)
pair is run once through the real services, in a transaction rolled back afterwards, and
the sequences are walked over those observed outcomes."""

from __future__ import annotations

from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.access.rules import NotAllowed
from tandem.reviews import states
from tandem.reviews.models import Participant, Review, ReviewState
from tandem.reviews.services.sharing import acknowledge, reopen, share
from tandem.reviews.services.writing import save_draft, submit
from tests.factories import hr_admin
from tests.reviews.writing_helpers import full_answers, make_team

pytestmark = pytest.mark.django_db

EVENTS = ("save", "submit", "share", "acknowledge", "reopen_hr", "reopen_manager")
MAX_LENGTH = 5
Situation = tuple[str, bool, bool]  # review state, participant shared, acknowledged


class _Rollback(Exception):
    pass


def _enter(team, situation: Situation) -> None:
    state, shared, acknowledged = situation
    now = timezone.now()
    Review.objects.filter(pk=team.manager_review.pk).update(
        state=state, answers=full_answers(team.manager_review)
    )
    Participant.objects.filter(pk=team.participant.pk).update(
        shared_at=now if shared else None, acknowledged_at=now if acknowledged else None
    )


def _situation(team) -> Situation:
    review = Review.objects.get(pk=team.manager_review.pk)
    participant = Participant.objects.get(pk=team.participant.pk)
    return (
        review.state,
        participant.shared_at is not None,
        participant.acknowledged_at is not None,
    )


def _fire(team, admin, event: str) -> bool:
    """Run the event through its service; False when the service refused it."""
    review = Review.objects.get(pk=team.manager_review.pk)
    participant = Participant.objects.get(pk=team.participant.pk)
    try:
        with transaction.atomic():
            if event == "save":
                save_draft(review, answers={}, version=review.version, by=team.manager)
            elif event == "submit":
                submit(review, version=review.version, by=team.manager)
            elif event == "share":
                share(participant, by=team.manager)
            elif event == "acknowledge":
                acknowledge(participant, comment="Read it.", by=team.owner)
            elif event == "reopen_hr":
                reopen(review, reason="Checking the state machine", by=admin)
            else:
                reopen(review, reason="Not mine to reopen", by=team.manager)
    except (ValidationError, NotAllowed):
        return False
    return True


def _outcome(team, admin, situation: Situation, event: str) -> Situation:
    try:
        with transaction.atomic():
            _enter(team, situation)
            before = _situation(team)
            done = _fire(team, admin, event)
            after = _situation(team)
            if not done:
                assert after == before, f"a refused {event} from {situation} changed {after}"
            raise _Rollback(after)
    except _Rollback as result:
        return result.args[0]


def test_nothing_leaves_acknowledged_except_a_reopen_by_hr():
    team = make_team()
    admin = hr_admin()
    outcomes: dict[tuple[Situation, str], Situation] = {}

    def step(situation: Situation, event: str) -> Situation:
        if (situation, event) not in outcomes:
            outcomes[situation, event] = _outcome(team, admin, situation, event)
        return outcomes[situation, event]

    starts = [
        (ReviewState.NOT_STARTED, False, False),
        (ReviewState.IN_PROGRESS, False, False),
        (ReviewState.SUBMITTED, False, False),
        (ReviewState.SHARED, True, False),
        (ReviewState.ACKNOWLEDGED, True, True),
        (ReviewState.REOPENED, False, False),
    ]
    walked = 0
    for start in starts:
        for length in range(1, MAX_LENGTH + 1):
            for sequence in product(EVENTS, repeat=length):
                situation = start
                for event in sequence:
                    after = step(situation, event)
                    if situation[0] == ReviewState.ACKNOWLEDGED and after[0] != situation[0]:
                        assert (event, after[0]) == ("reopen_hr", ReviewState.REOPENED), sequence
                    if event == "reopen_manager":
                        assert after == situation, f"{sequence}: a non-HR reopen changed it"
                    if after[0] != situation[0]:
                        name = "reopen" if event == "reopen_hr" else event
                        assert after[0] == states.next_state(situation[0], name), sequence
                    situation = after
                walked += 1
    assert walked == len(starts) * sum(len(EVENTS) ** n for n in range(1, MAX_LENGTH + 1))
    acknowledged = (ReviewState.ACKNOWLEDGED, True, True)
    assert outcomes[acknowledged, "reopen_hr"][0] == ReviewState.REOPENED
    assert outcomes[acknowledged, "reopen_manager"] == acknowledged


def test_a_shared_review_moves_to_acknowledged_only_by_the_reviewee():
    team = make_team()
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    share(team.participant, by=team.manager)
    with pytest.raises(NotAllowed):
        acknowledge(team.participant, by=team.manager)
    acknowledge(team.participant, by=team.owner)
    assert Review.objects.get(pk=review.pk).state == ReviewState.ACKNOWLEDGED
