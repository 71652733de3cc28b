"""The evidence packet: only what the reviewer may see, anonymous peers stay anonymous, and
a fixed number of queries however much evidence there is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.access.rules import can
from tandem.feedback.models import Visibility
from tandem.goals.models import CheckIn, Health
from tandem.goals.models import Visibility as GoalVisibility
from tandem.reviews import evidence
from tandem.reviews.models import Relationship, Review, ReviewState
from tandem.reviews.services.sharing import share
from tandem.reviews.services.writing import submit
from tests.factories import PersonFactory
from tests.feedback.factories import FeedbackFactory
from tests.goals.factories import GoalFactory
from tests.meetings.factories import action_item, series_with_meeting
from tests.reviews.writing_helpers import fresh, full_answers, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def _titles(section) -> list[str]:
    return [item.title for item in section.items]


def _feedback(team, visibility, text, giver=None):
    return FeedbackFactory(
        giver=giver or PersonFactory(), recipient=team.owner, visibility=visibility, text=text
    )


def test_a_peer_does_not_see_private_feedback_the_reviewee_received(team):
    private = _feedback(team, Visibility.PRIVATE, "Private note to Olu")
    with_manager = _feedback(team, Visibility.WITH_MANAGER, "For Olu and their manager")
    praise = _feedback(team, Visibility.PUBLIC, "Public praise for Olu")
    packet = evidence.packet(team.peer, team.peer_review)
    refs = {item.ref for item in packet.feedback.items}
    assert f"feedback-{praise.pk}" in refs
    assert f"feedback-{private.pk}" not in refs
    assert f"feedback-{with_manager.pk}" not in refs


def test_the_manager_sees_feedback_shared_with_the_manager(team):
    with_manager = _feedback(team, Visibility.WITH_MANAGER, "For Olu and their manager")
    packet = evidence.packet(team.manager, team.manager_review)
    assert f"feedback-{with_manager.pk}" in {item.ref for item in packet.feedback.items}


def test_feedback_from_before_the_review_period_is_left_out(team):
    old = _feedback(team, Visibility.PUBLIC, "Long ago")
    old.created_at = timezone.now() - timedelta(days=400)
    old.save(update_fields=["created_at"])
    packet = evidence.packet(team.manager, team.manager_review)
    assert f"feedback-{old.pk}" not in {item.ref for item in packet.feedback.items}


def test_a_peer_does_not_see_the_reviewees_private_goals(team):
    GoalFactory(owner=team.owner, title="Public goal")
    GoalFactory(owner=team.owner, title="Private goal", visibility=GoalVisibility.PRIVATE)
    assert _titles(evidence.packet(team.peer, team.peer_review).goals) == ["Public goal"]
    manager_titles = _titles(evidence.packet(team.manager, team.manager_review).goals)
    assert sorted(manager_titles) == ["Private goal", "Public goal"]


def test_goals_show_their_last_check_ins(team):
    goal = GoalFactory(owner=team.owner, title="Ship v2")
    for days, note in ((3, "oldest"), (2, "middle"), (1, "newest")):
        CheckIn.objects.create(
            goal=goal,
            author=team.owner,
            health=Health.ON_TRACK,
            confidence=7,
            note=note,
            created_at=timezone.now() - timedelta(days=days),
        )
    item = evidence.packet(team.manager, team.manager_review).goals.items[0]
    assert [line.split("— ")[-1] for line in item.lines] == ["newest", "middle"]


def test_action_items_reach_the_manager_but_never_a_peer(team):
    _, meeting = series_with_meeting(
        team.manager, team.owner, starts_at=timezone.now() - timedelta(days=3)
    )
    action_item(meeting, team.owner, "Write the migration guide")
    assert _titles(evidence.packet(team.manager, team.manager_review).actions) == [
        "Write the migration guide"
    ]
    assert _titles(evidence.packet(team.peer, team.peer_review).actions) == []


def test_each_item_links_with_a_stable_reference(team):
    goal = GoalFactory(owner=team.owner, title="Ship v2")
    item = evidence.packet(team.manager, team.manager_review).goals.items[0]
    assert item.ref == f"goal-{goal.pk}"
    assert item.link_text == f"[goal: Ship v2](#goal-{goal.pk})"


def _submit_peer(team):
    review = team.peer_review
    submit(review, answers=full_answers(review, text="Peer says hi"), version=0, by=team.peer)


def test_the_manager_review_packet_holds_the_self_and_peer_reviews(team):
    _submit_peer(team)
    review = team.self_review
    submit(review, answers=full_answers(review), version=0, by=team.owner)
    packet = evidence.packet(team.manager, team.manager_review)
    kinds = sorted(item.obj.relationship for item in packet.reviews.items)
    assert kinds == [Relationship.PEER, Relationship.SELF]
    peer_item = next(i for i in packet.reviews.items if i.obj.relationship == Relationship.PEER)
    assert team.peer.display_name in peer_item.title


def test_other_packets_hold_no_reviews(team):
    assert evidence.packet(team.peer, team.peer_review).reviews is None


def test_draft_reviews_are_not_in_the_managers_packet(team):
    packet = evidence.packet(team.manager, team.manager_review)
    assert packet.reviews is not None
    assert packet.reviews.items == []


def test_an_anonymous_peer_review_never_reaches_the_reviewee_as_a_row(team):
    """Was: the reviewee read it labelled "Peer 1", numbered in id order. Now the reviewee
    may not read it as a row at all (only its answers, in the anonymous group); the manager
    reads it with the peer's name."""
    _submit_peer(team)
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    share(team.participant, by=team.manager)
    peer_review = fresh(team.peer_review)
    assert not can(team.owner, "review.view", peer_review)
    assert evidence.author_labels(team.manager, [peer_review])[peer_review.pk] == (
        team.peer.display_name
    )


def _fill(team, count: int) -> None:
    from tandem.meetings.models import Meeting

    meeting = Meeting.objects.filter(series__manager=team.manager).first()
    if meeting is None:
        _, meeting = series_with_meeting(
            team.manager, team.owner, starts_at=timezone.now() - timedelta(days=2)
        )
    for n in range(count):
        goal = GoalFactory(owner=team.owner, title=f"Goal {n}")
        CheckIn.objects.create(
            goal=goal, author=team.owner, health=Health.AT_RISK, confidence=5, note="hm"
        )
        _feedback(team, Visibility.WITH_MANAGER, f"Feedback {n}")
        action_item(meeting, team.owner, f"Action {n}")
    Review.objects.filter(pk=team.self_review.pk).update(state=ReviewState.SUBMITTED)


def _count(team) -> int:
    review = Review.objects.select_related(
        "cycle", "reviewee", "participant", "template_version"
    ).get(pk=team.manager_review.pk)
    with CaptureQueriesContext(connection) as queries:
        evidence.packet(team.manager, review)
    return len(queries)


def test_the_packet_costs_the_same_number_of_queries_whatever_its_size(team):
    _fill(team, 2)
    small = _count(team)
    _fill(team, 60)
    large = _count(team)
    assert large <= small + 3, "only the 'and N more' counts may be added"
    packet = evidence.packet(team.manager, team.manager_review)
    assert len(packet.goals.items) == evidence.LIMIT
    assert packet.goals.more == 62 - evidence.LIMIT
