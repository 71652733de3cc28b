"""The review page and its companions, through the browser's eyes (Django test client)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.feedback.models import Visibility
from tandem.goals.models import CheckIn, Health
from tandem.reviews.models import (
    NominationStatus,
    Participant,
    PhaseKind,
    Relationship,
    ReviewRevision,
    ReviewState,
)
from tandem.reviews.services.anonymous import release_groups
from tandem.reviews.services.sharing import share
from tandem.reviews.services.writing import save_draft, submit
from tests.factories import PersonFactory, hr_admin
from tests.feedback.factories import FeedbackFactory
from tests.goals.factories import GoalFactory
from tests.meetings.factories import action_item, series_with_meeting
from tests.reviews.factories import close_phase, nominate
from tests.reviews.writing_helpers import fresh, full_answers, make_team, rating_key, text_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def _url(name, *args):
    return reverse(f"reviews:{name}", args=args)


def test_the_reviewer_sees_the_form_with_who_reads_it(team, client_for):
    review = team.peer_review
    page = client_for(team.peer).get(_url("review", review.pk)).content.decode()
    assert "Who reads this:" in page
    assert "Olu Owner reads it after sharing without your name" in page
    assert "Used for development only" in page
    assert f'name="{rating_key(review)}-rating"' in page
    assert "Well below expectations" in page and "Missed most of what was expected." in page
    assert 'name="version" id="review-version" value="0"' in page


def test_the_save_button_works_without_javascript(team, client_for):
    review = team.self_review
    response = client_for(team.owner).post(
        _url("review_save", review.pk),
        {
            "version": 0,
            f"{text_key(review)}-comment": "Plain form",
            f"{rating_key(review)}-rating": "3",
        },
    )
    assert response.status_code == 302
    review = fresh(review)
    assert review.answers[text_key(review)]["comment"] == "Plain form"
    assert review.answers[rating_key(review)]["rating"] == 3


def test_autosave_answers_with_the_status_and_the_new_version(team, client_for):
    review = team.self_review
    response = client_for(team.owner).post(
        _url("review_save", review.pk),
        {"version": 0, "active_seconds": 12, f"{text_key(review)}-comment": "Typing"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert "Saved " in text
    assert 'id="review-version" value="1" hx-swap-oob="true"' in text
    assert fresh(review).active_seconds == 12


def test_autosave_from_an_old_tab_reports_the_conflict_and_keeps_the_version(team, client_for):
    review = team.self_review
    save_draft(
        review, answers={text_key(review): {"comment": "Other tab"}}, version=0, by=team.owner
    )
    response = client_for(team.owner).post(
        _url("review_save", review.pk),
        {"version": 0, f"{text_key(review)}-comment": "This tab"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert "Someone else saved this review" in text
    assert 'value="0" hx-swap-oob="true"' in text
    assert fresh(review).answers[text_key(review)]["comment"] == "Other tab"


def test_a_conflict_without_javascript_keeps_the_writers_text_on_the_page(team, client_for):
    review = team.self_review
    save_draft(
        review, answers={text_key(review): {"comment": "Other tab"}}, version=0, by=team.owner
    )
    response = client_for(team.owner).post(
        _url("review_save", review.pk), {"version": 0, f"{text_key(review)}-comment": "Mine, kept"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this review" in text
    assert "Mine, kept" in text


def test_a_bad_rating_is_named_on_the_page_and_nothing_is_saved(team, client_for):
    review = team.self_review
    response = client_for(team.owner).post(
        _url("review_save", review.pk), {"version": 0, f"{rating_key(review)}-rating": "9"}
    )
    assert "choose a rating from 1 to 5" in response.content.decode()
    assert fresh(review).version == 0


def test_submit_first_lists_the_missing_questions(team, client_for):
    review = team.self_review
    response = client_for(team.owner).post(
        _url("review_submit", review.pk), {"version": 0, f"{text_key(review)}-comment": "Half"}
    )
    text = response.content.decode()
    assert "this question needs an answer before you submit" in text
    assert f"#{rating_key(review)}" in text
    assert fresh(review).state == ReviewState.IN_PROGRESS


def test_submit_asks_to_confirm_then_submits(team, client_for):
    review = team.self_review
    client = client_for(team.owner)
    data = {
        "version": 0,
        f"{rating_key(review)}-rating": "4",
        f"{text_key(review)}-comment": "All done",
    }
    confirm = client.post(_url("review_submit", review.pk), data).content.decode()
    assert "Submit the review" in confirm
    response = client.post(_url("review_submit", review.pk), {"version": 1, "confirm": "on"})
    assert response.status_code == 302
    assert fresh(review).state == ReviewState.SUBMITTED


def test_the_snapshot_is_shown_after_the_manager_changes_mid_cycle(team, client_for):
    new_manager = PersonFactory(first_name="Nia", last_name="New")
    team.owner.manager = new_manager
    team.owner.save(update_fields=["manager"])
    page = client_for(team.owner).get(_url("review", team.self_review.pk)).content.decode()
    assert f"manager {team.manager.display_name}" in page
    assert "since then: manager now Nia New" in page


def test_the_manager_reads_the_self_and_peer_reviews_before_writing(team, client_for):
    peer_review = team.peer_review
    submit(
        peer_review, answers=full_answers(peer_review, text="Peer words"), version=0, by=team.peer
    )
    self_review = team.self_review
    submit(
        self_review, answers=full_answers(self_review, text="My words"), version=0, by=team.owner
    )
    page = client_for(team.manager).get(_url("review", team.manager_review.pk)).content.decode()
    assert "Peer words" in page and "My words" in page
    assert team.peer.display_name in page


def test_evidence_references_render_as_links_on_the_read_view(team, client_for):
    goal = GoalFactory(owner=team.owner, title="Ship v2")
    review = team.self_review
    answers = full_answers(review, text=f"See [goal: Ship v2](#goal-{goal.pk}) <b>bold</b>")
    submit(review, answers=answers, version=0, by=team.owner)
    page = client_for(team.manager).get(_url("review", review.pk)).content.decode()
    assert f'<a href="/goals/{goal.pk}/" class="evidence-link">goal: Ship v2</a>' in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def _populate(team, count):
    _, meeting = (
        series_with_meeting(
            team.manager, team.owner, starts_at=timezone.now() - timedelta(days=2 + count)
        )
        if not hasattr(team, "_meeting")
        else (None, team._meeting)
    )
    team._meeting = meeting
    for n in range(count):
        goal = GoalFactory(owner=team.owner, title=f"G{n}")
        CheckIn.objects.create(goal=goal, author=team.owner, health=Health.ON_TRACK, confidence=6)
        FeedbackFactory(recipient=team.owner, visibility=Visibility.WITH_MANAGER)
        action_item(meeting, team.owner, f"A{n}")
        peer = PersonFactory(manager=team.manager)
        from tests.reviews.factories import add_review

        add_review(team.participant, peer, "peer", state=ReviewState.SUBMITTED, answers={})


def test_the_review_page_has_a_fixed_query_budget(team, client_for, django_assert_max_num_queries):
    client = client_for(team.manager)
    url = _url("review", team.manager_review.pk)
    _populate(team, 3)
    client.get(url)
    _populate(team, 55)
    # 17: the program's switches, read once for the "used for" sentence (pay/promotion);
    # 18: the "Writing a fair review" playbook, while the manager has not completed it.
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200
    assert "and 8 more" in response.content.decode()


def test_the_reviewee_reads_a_shared_review_without_peer_names(team, client_for):
    """Was: one peer review shown as "Peer 1". Now anonymous peer answers reach the person
    reviewed only as a group — released after the phase closed, from two answers up, per
    question, with no label, name or number."""
    second = PersonFactory(manager=team.manager)
    nominate(team.participant, second, status=NominationStatus.APPROVED)
    for peer, words in ((team.peer, "Peer words"), (second, "Second peer words")):
        peer_review = team.review(Relationship.PEER, peer)
        submit(peer_review, answers=full_answers(peer_review, text=words), version=0, by=peer)
    review = team.manager_review
    submit(review, answers=full_answers(review, text="Manager words"), version=0, by=team.manager)
    share(team.participant, by=team.manager)
    page = client_for(team.owner).get(_url("participant", team.participant.pk)).content.decode()
    assert "Manager words" in page and "Peer words" not in page, "not before the release"
    close_phase(team.cycle, PhaseKind.PEER)
    release_groups(timezone.localdate())
    page = client_for(team.owner).get(_url("participant", team.participant.pk)).content.decode()
    assert "Manager words" in page and "Peer words" in page and "Second peer words" in page
    assert "Peer 1" not in page and "Peer 2" not in page
    assert team.peer.display_name not in page and second.display_name not in page
    assert "Acknowledge your review" in page


def test_the_reviewee_acknowledges_from_the_summary(team, client_for):
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    share(team.participant, by=team.manager)
    response = client_for(team.owner).post(
        _url("acknowledge", team.participant.pk), {"comment": "Thanks"}
    )
    assert response.status_code == 302
    participant = Participant.objects.get(pk=team.participant.pk)
    assert participant.acknowledgement_comment == "Thanks"


def test_the_manager_shares_from_the_summary(team, client_for):
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    client = client_for(team.manager)
    assert (
        "Share with Olu Owner"
        in client.get(_url("participant", team.participant.pk)).content.decode()
    )
    client.post(_url("share", team.participant.pk))
    assert fresh(review).state == ReviewState.SHARED


def test_hr_reopens_with_a_reason_and_the_history_keeps_the_version(team, client_for):
    review = team.manager_review
    submit(review, answers=full_answers(review, text="First version"), version=0, by=team.manager)
    client = client_for(hr_admin())
    assert "extend it" not in client.get(_url("review_reopen", review.pk)).content.decode()
    client.post(_url("review_reopen", review.pk), {"reason": "Rating on the wrong question"})
    assert fresh(review).state == ReviewState.REOPENED
    assert ReviewRevision.objects.filter(review=review).count() == 1
    history = client.get(_url("review_history", review.pk)).content.decode()
    assert "First version" in history and "Rating on the wrong question" in history


def test_reopening_without_a_reason_names_the_field(team, client_for):
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    page = client_for(hr_admin()).post(_url("review_reopen", review.pk), {"reason": ""})
    assert page.status_code == 200
    assert fresh(review).state == ReviewState.SUBMITTED


def test_hr_releases_all_submitted_manager_reviews(team, client_for):
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    client_for(hr_admin()).post(_url("release_all", team.cycle.pk))
    assert fresh(review).state == ReviewState.SHARED


def test_the_evidence_fragment_loads_for_htmx(team, client_for):
    GoalFactory(owner=team.owner, title="Ship v2")
    response = client_for(team.manager).get(
        _url("evidence", team.manager_review.pk), headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert "Ship v2" in text and "<html" not in text
