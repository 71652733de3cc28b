"""Writing reviews over the API: drafts with a version check, submit, reopen; bad input is a
422 naming the field with nothing changed, a lost update is a 409."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.reviews.models import (
    Nomination,
    NominationStatus,
    Participant,
    Relationship,
    Review,
    ReviewRevision,
    ReviewState,
)
from tests.factories import PersonFactory
from tests.reviews.api_helpers import BASE, bearer, error_fields, make_team, send
from tests.reviews.factories import close_phase, participant_of, set_phase

pytestmark = pytest.mark.django_db

FULL = {"q1": {"rating": 4, "comment": ""}, "q2": {"comment": "Shipped the new billing."}}


@pytest.fixture
def team():
    return make_team()


def _url(review: Review, action: str = "") -> str:
    return f"{BASE}/reviews/{review.pk}" + (f"/{action}" if action else "")


def _stored(review: Review) -> tuple[object, int, str]:
    review.refresh_from_db()
    return review.answers, review.version, review.state


# --- Drafts ----------------------------------------------------------------------------------


def test_the_reviewer_saves_a_draft_and_gets_the_next_version(team):
    review = team.review(Relationship.SELF)
    response = send(
        bearer(team.report),
        "PATCH",
        _url(review),
        {"answers": {"q2": {"comment": "Draft"}}, "version": 0, "active_seconds": 30},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["state"]) == (1, "in_progress")
    assert body["answers"]["q2"]["comment"] == "Draft"
    assert body["active_seconds"] == 30


def test_a_save_from_an_old_version_is_a_409_and_changes_nothing(team):
    review = team.review(Relationship.SELF)
    client = bearer(team.report)
    send(client, "PATCH", _url(review), {"answers": {"q2": {"comment": "Tab one"}}, "version": 0})
    response = send(
        client, "PATCH", _url(review), {"answers": {"q2": {"comment": "Tab two"}}, "version": 0}
    )
    assert response.status_code == 409
    assert "saved this review" in response.json()["detail"]
    assert response.json()["current_version"] == 1
    assert _stored(review)[0]["q2"]["comment"] == "Tab one"  # type: ignore[index]


def test_a_rating_outside_the_scale_is_a_422_naming_the_question(team):
    review = team.review(Relationship.SELF)
    response = send(
        bearer(team.report), "PATCH", _url(review), {"answers": {"q1": {"rating": 9}}, "version": 0}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "answers", "q1"]
    assert _stored(review) == ({}, 0, ReviewState.NOT_STARTED)


def test_an_answer_to_a_question_not_in_the_template_is_a_422(team):
    review = team.review(Relationship.SELF)
    response = send(
        bearer(team.report), "PATCH", _url(review), {"answers": {"q77": {}}, "version": 0}
    )
    assert response.status_code == 422
    assert error_fields(response) == ["answers"]
    assert _stored(review) == ({}, 0, ReviewState.NOT_STARTED)


def test_a_save_without_a_version_is_a_422_naming_the_version(team):
    review = team.review(Relationship.SELF)
    response = send(bearer(team.report), "PATCH", _url(review), {"answers": {}})
    assert response.status_code == 422
    assert error_fields(response) == ["version"]


def test_writing_after_the_phase_closed_is_a_422_and_the_draft_stays(team):
    review = team.review(Relationship.SELF)
    client = bearer(team.report)
    send(client, "PATCH", _url(review), {"answers": {"q2": {"comment": "Kept"}}, "version": 0})
    close_phase(team.cycle, "self")
    response = send(
        client, "PATCH", _url(review), {"answers": {"q2": {"comment": "Late"}}, "version": 1}
    )
    assert response.status_code == 422
    assert error_fields(response) == ["answers"]
    assert "closed" in response.json()["errors"][0]["msg"]
    assert _stored(review)[0]["q2"]["comment"] == "Kept"  # type: ignore[index]


def test_only_the_reviewer_may_save(team):
    review = team.review(Relationship.SELF)
    body = {"answers": {"q2": {"comment": "Not mine"}}, "version": 0}
    for person in (team.admin, team.manager, team.peer):
        assert send(bearer(person), "PATCH", _url(review), body).status_code == 404
    assert _stored(review) == ({}, 0, ReviewState.NOT_STARTED)


# --- Submit and reopen -----------------------------------------------------------------------


def test_submitting_with_a_required_question_empty_names_it_and_saves_nothing(team):
    review = team.review(Relationship.SELF)
    response = send(
        bearer(team.report),
        "POST",
        _url(review, "submit"),
        {"answers": {"q1": {"rating": 3}}, "version": 0},
    )
    assert response.status_code == 422
    assert error_fields(response) == ["q2"]
    assert _stored(review) == ({}, 0, ReviewState.NOT_STARTED)


def test_the_reviewer_submits_with_the_last_answers(team):
    review = team.review(Relationship.SELF)
    response = send(
        bearer(team.report), "POST", _url(review, "submit"), {"answers": FULL, "version": 0}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert response.json()["submitted_at"]


def test_a_submit_from_an_old_version_is_a_409(team):
    review = team.review(Relationship.SELF)
    client = bearer(team.report)
    send(client, "PATCH", _url(review), {"answers": {"q2": {"comment": "Newer"}}, "version": 0})
    response = send(client, "POST", _url(review, "submit"), {"answers": FULL, "version": 0})
    assert response.status_code == 409
    assert _stored(review)[2] == ReviewState.IN_PROGRESS


def _submitted(team, relationship=Relationship.SELF, reviewer=None):  # type: ignore[no-untyped-def]
    review = team.review(relationship, reviewer)
    client = bearer(reviewer or review.reviewer)
    response = send(client, "POST", _url(review, "submit"), {"answers": FULL, "version": 0})
    assert response.status_code == 200, response.content
    return review


def test_hr_reopens_a_submitted_review_with_a_reason_keeping_the_version_before(team):
    review = _submitted(team)
    response = send(
        bearer(team.admin), "POST", _url(review, "reopen"), {"reason": "Wrong person rated"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "reopened"
    assert ReviewRevision.objects.get(review=review).answers["q2"]["comment"]


def test_reopening_without_a_reason_is_a_422_naming_the_reason(team):
    review = _submitted(team)
    response = send(bearer(team.admin), "POST", _url(review, "reopen"), {"reason": " "})
    assert response.status_code == 422
    assert error_fields(response) == ["reason"]
    assert _stored(review)[2] == ReviewState.SUBMITTED


def test_a_manager_cannot_reopen_a_review(team):
    review = _submitted(team)
    response = send(bearer(team.manager), "POST", _url(review, "reopen"), {"reason": "Please"})
    assert response.status_code == 404
    assert _stored(review)[2] == ReviewState.SUBMITTED


# --- Nominations -----------------------------------------------------------------------------


def _colleagues(team, n):  # type: ignore[no-untyped-def]
    return [PersonFactory(manager=team.manager, department=team.department) for _ in range(n)]


def test_the_reviewee_proposes_peers(team):
    first, second = _colleagues(team, 2)
    response = send(
        bearer(team.report),
        "POST",
        f"{BASE}/participants/{team.participant.pk}/nominations",
        {"peers": [first.pk, second.pk]},
    )
    assert response.status_code == 201, response.content
    proposed = {n["peer"]["id"] for n in response.json() if n["status"] == "proposed"}
    assert proposed == {first.pk, second.pk}


def test_nominating_oneself_is_a_422_naming_the_peers(team):
    (other,) = _colleagues(team, 1)
    response = send(
        bearer(team.report),
        "POST",
        f"{BASE}/participants/{team.participant.pk}/nominations",
        {"peers": [team.report.pk, other.pk]},
    )
    assert response.status_code == 422
    assert error_fields(response) == ["peers"]
    assert not Nomination.objects.filter(status=NominationStatus.PROPOSED).exists()


def test_nominating_someone_who_left_is_a_422(team):
    (other,) = _colleagues(team, 1)
    leaver = PersonFactory(status="left", end_date=timezone.localdate() - timedelta(days=1))
    response = send(
        bearer(team.report),
        "POST",
        f"{BASE}/participants/{team.participant.pk}/nominations",
        {"peers": [leaver.pk, other.pk]},
    )
    assert response.status_code == 422
    assert error_fields(response) == ["peers"]


def test_an_outsider_cannot_propose_peers_for_someone_else(team):
    first, second = _colleagues(team, 2)
    response = send(
        bearer(team.outsider),
        "POST",
        f"{BASE}/participants/{team.participant.pk}/nominations",
        {"peers": [first.pk, second.pk]},
    )
    assert response.status_code == 404
    assert not Nomination.objects.filter(status=NominationStatus.PROPOSED).exists()


def test_the_manager_approves_the_proposed_peers_creating_their_reviews(team):
    first, second = _colleagues(team, 2)
    url = f"{BASE}/participants/{team.participant.pk}/nominations"
    send(bearer(team.report), "POST", url, {"peers": [first.pk, second.pk]})
    response = send(bearer(team.manager), "POST", f"{url}/approve", {})
    assert response.status_code == 200, response.content
    assert {n["status"] for n in response.json()} == {"approved"}
    assert (
        Review.objects.filter(participant=team.participant, relationship=Relationship.PEER).count()
        == 3
    )


def test_the_reviewee_cannot_approve_their_own_peers(team):
    first, second = _colleagues(team, 2)
    url = f"{BASE}/participants/{team.participant.pk}/nominations"
    send(bearer(team.report), "POST", url, {"peers": [first.pk, second.pk]})
    assert send(bearer(team.report), "POST", f"{url}/approve", {}).status_code == 404


def test_a_peer_declines_with_a_reason(team):
    nomination = Nomination.objects.get(participant=team.participant, peer=team.peer)
    response = send(
        bearer(team.peer),
        "POST",
        f"{BASE}/nominations/{nomination.pk}/decline",
        {"reason": "We have not worked together this year."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert not Review.objects.filter(reviewer=team.peer, relationship="peer").exists()


def test_declining_without_a_reason_is_a_422_and_keeps_the_review(team):
    nomination = Nomination.objects.get(participant=team.participant, peer=team.peer)
    response = send(
        bearer(team.peer), "POST", f"{BASE}/nominations/{nomination.pk}/decline", {"reason": ""}
    )
    assert response.status_code == 422
    assert error_fields(response) == ["reason"]
    assert Review.objects.filter(reviewer=team.peer, relationship="peer").exists()


def test_only_the_named_peer_may_decline(team):
    nomination = Nomination.objects.get(participant=team.participant, peer=team.peer)
    response = send(
        bearer(team.report), "POST", f"{BASE}/nominations/{nomination.pk}/decline", {"reason": "x"}
    )
    assert response.status_code == 404


def test_the_manager_replaces_a_peer_who_declined(team):
    nomination = Nomination.objects.get(participant=team.participant, peer=team.peer)
    send(bearer(team.peer), "POST", f"{BASE}/nominations/{nomination.pk}/decline", {"reason": "No"})
    (other,) = _colleagues(team, 1)
    response = send(
        bearer(team.manager),
        "POST",
        f"{BASE}/nominations/{nomination.pk}/replace",
        {"peer": other.pk},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["peer"]["id"], response.json()["status"]) == (other.pk, "approved")


# --- Sharing and acknowledging ---------------------------------------------------------------


def test_the_manager_shares_and_the_reviewee_acknowledges(team):
    review = _submitted(team, Relationship.MANAGER)
    participant_url = f"{BASE}/participants/{team.participant.pk}"
    shared = send(bearer(team.manager), "POST", f"{participant_url}/share")
    assert shared.status_code == 200, shared.content
    assert shared.json()["shared_at"]
    reader = bearer(team.report)
    assert reader.get(_url(review)).json()["state"] == "shared"
    acknowledged = send(reader, "POST", f"{participant_url}/acknowledge", {"comment": "Thanks"})
    assert acknowledged.status_code == 200, acknowledged.content
    assert acknowledged.json()["acknowledgement_comment"] == "Thanks"
    assert _stored(review)[2] == ReviewState.ACKNOWLEDGED


def test_sharing_an_unsubmitted_review_is_a_422_naming_share(team):
    response = send(
        bearer(team.manager), "POST", f"{BASE}/participants/{team.participant.pk}/share"
    )
    assert response.status_code == 422
    assert error_fields(response) == ["share"]
    assert Participant.objects.get(pk=team.participant.pk).shared_at is None


def test_sharing_before_the_sharing_phase_opens_is_a_422(team):
    _submitted(team, Relationship.MANAGER)
    today = timezone.localdate()
    set_phase(team.cycle, "sharing", opens_on=today + timedelta(1), due_on=today + timedelta(9))
    response = send(
        bearer(team.manager), "POST", f"{BASE}/participants/{team.participant.pk}/share"
    )
    assert response.status_code == 422
    assert "opens on" in response.json()["errors"][0]["msg"]


def test_a_peer_cannot_share_or_acknowledge(team):
    _submitted(team, Relationship.MANAGER)
    url = f"{BASE}/participants/{team.participant.pk}"
    client = bearer(team.peer)
    assert send(client, "POST", f"{url}/share").status_code == 404
    assert send(client, "POST", f"{url}/acknowledge", {}).status_code == 404
    assert participant_of(team.cycle, team.report).shared_at is None


def test_acknowledging_before_sharing_is_a_422(team):
    response = send(
        bearer(team.report), "POST", f"{BASE}/participants/{team.participant.pk}/acknowledge", {}
    )
    assert response.status_code == 422
    assert error_fields(response) == ["state"]


def test_a_refused_write_leaves_no_audit_trace(team):
    review = team.review(Relationship.SELF)
    send(bearer(team.peer), "PATCH", _url(review), {"answers": {}, "version": 0})
    assert not AuditEvent.objects.filter(kind__startswith="review").exists()


def test_a_goals_question_lists_the_reviewees_goals_and_takes_a_rating_for_one():
    from tests.goals.factories import GoalFactory

    team = make_team(kinds=("goals", "text"))
    goal = GoalFactory(owner=team.report, title="Ship the billing rewrite")
    review = team.review(Relationship.SELF)
    client = bearer(team.report)
    question = client.get(_url(review)).json()["form"]["sections"][0]["questions"][0]
    assert question["items"] == [
        {"key": f"g{goal.pk}", "name": "Ship the billing rewrite", "description": ""}
    ]
    answers = {"q1": {"items": {f"g{goal.pk}": {"rating": 5, "comment": "Done early"}}}}
    response = send(client, "PATCH", _url(review), {"answers": answers, "version": 0})
    assert response.status_code == 200, response.content
    assert response.json()["answers"]["q1"]["items"][f"g{goal.pk}"]["rating"] == 5
