"""Reading review cycles over the API: each list and object scoped to who may see it."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tandem.reviews import versions
from tandem.reviews.models import (
    CycleStatus,
    Nomination,
    NominationStatus,
    Participant,
    Relationship,
    Review,
    ReviewState,
    TemplateQuestion,
)
from tests.reviews.api_helpers import BASE, bearer, error_fields, make_team
from tests.reviews.factories import CycleFactory, nominate, template_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


# --- Templates -------------------------------------------------------------------------------


def test_hr_admin_lists_templates_with_their_versions(team):
    template = template_with_questions(Relationship.SELF, name="Yearly self review")
    versions.freeze(template)
    response = bearer(team.admin).get(f"{BASE}/templates", {"relationship": "self"})
    assert response.status_code == 200, response.content
    listed = {t["name"]: t for t in response.json()["items"]}
    assert [v["number"] for v in listed["Yearly self review"]["versions"]] == [1]


def test_a_template_shows_its_sections_and_questions(team):
    template = template_with_questions(Relationship.PEER, kinds=["rating", "competencies"])
    response = bearer(team.admin).get(f"{BASE}/templates/{template.pk}")
    questions = response.json()["sections"][0]["questions"]
    assert [q["kind"] for q in questions] == ["rating", "competencies"]
    assert len(questions[0]["scale"]["points"]) == 5
    assert [i["name"] for i in questions[1]["items"]] == ["Communication", "Craft"]


def test_templates_are_not_found_for_anyone_but_hr_admins(team):
    template = template_with_questions()
    for person in (team.manager, team.partner):
        client = bearer(person)
        assert client.get(f"{BASE}/templates").status_code == 404
        assert client.get(f"{BASE}/templates/{template.pk}").status_code == 404


def test_a_bad_template_cursor_is_a_422_naming_the_cursor(team):
    response = bearer(team.admin).get(f"{BASE}/templates", {"cursor": "abc"})
    assert response.status_code == 422
    assert error_fields(response) == ["cursor"]


# --- Cycles ----------------------------------------------------------------------------------


def test_employees_see_running_cycles_but_not_drafts(team):
    draft = CycleFactory(status=CycleStatus.DRAFT)
    listed = [c["id"] for c in bearer(team.report).get(f"{BASE}/cycles").json()["items"]]
    assert team.cycle.pk in listed
    assert draft.pk not in listed
    assert bearer(team.report).get(f"{BASE}/cycles/{draft.pk}").status_code == 404


def test_hr_admins_see_draft_cycles(team):
    draft = CycleFactory(status=CycleStatus.DRAFT)
    listed = [c["id"] for c in bearer(team.admin).get(f"{BASE}/cycles").json()["items"]]
    assert draft.pk in listed


def test_a_cycle_shows_its_phases_forms_weights_and_who_reads_what(team):
    body = bearer(team.report).get(f"{BASE}/cycles/{team.cycle.pk}").json()
    assert [f["relationship"] for f in body["forms"]] == ["self", "manager", "peer"]
    assert body["phases"][0] == {**body["phases"][0], "kind": "self", "window": "open"}
    assert body["scores"]["weights"]["manager"] == 100
    assert body["who_reads"][0] == "Used for development only: not for pay or promotion decisions."
    assert any("without the writer's name" in line for line in body["who_reads"])
    assert body["launch"] is None


def test_cycles_page_with_a_cursor(team):
    older = CycleFactory(status=CycleStatus.ACTIVE)
    newer = CycleFactory(status=CycleStatus.ACTIVE)
    client = bearer(team.report)
    first = client.get(f"{BASE}/cycles", {"limit": 1}).json()
    assert [c["id"] for c in first["items"]] == [newer.pk]
    second = client.get(f"{BASE}/cycles", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert [c["id"] for c in second["items"]] == [older.pk]


# --- Participants ----------------------------------------------------------------------------


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [p["person"]["display_name"] for p in response.json()["items"]]


def test_a_manager_follows_their_reports_in_the_cycle(team):
    response = bearer(team.manager).get(f"{BASE}/cycles/{team.cycle.pk}/participants")
    assert response.status_code == 200
    assert sorted(_names(response)) == sorted([team.peer.display_name, team.report.display_name])


def test_a_reviewee_sees_only_themselves_among_participants(team):
    response = bearer(team.report).get(f"{BASE}/cycles/{team.cycle.pk}/participants")
    assert _names(response) == [team.report.display_name]


def test_a_manager_outside_the_chain_cannot_open_a_participant(team):
    client = bearer(team.outsider_manager)
    assert client.get(f"{BASE}/participants/{team.participant.pk}").status_code == 404
    listed = _names(client.get(f"{BASE}/cycles/{team.cycle.pk}/participants"))
    assert listed == [team.outsider.display_name]


def test_a_participant_shows_the_launch_snapshot_and_review_states(team):
    Participant.objects.filter(pk=team.participant.pk).update(title="Engineer at launch")
    body = bearer(team.manager).get(f"{BASE}/participants/{team.participant.pk}").json()
    assert body["title"] == "Engineer at launch"
    assert body["manager"]["id"] == team.manager.pk
    assert {(r["relationship"], r["state"], r["count"]) for r in body["reviews"]} == {
        ("self", "not_started", 1),
        ("manager", "not_started", 1),
        ("peer", "not_started", 1),
    }


def test_a_reviewee_sees_their_score_only_once_shared(team):
    Participant.objects.filter(pk=team.participant.pk).update(overall_score="3.50")
    url = f"{BASE}/participants/{team.participant.pk}"
    assert bearer(team.report).get(url).json()["overall_score"] is None
    assert bearer(team.manager).get(url).json()["overall_score"] == "3.50"


def test_participants_page_in_name_order_with_a_cursor(team):
    client = bearer(team.admin)
    url = f"{BASE}/cycles/{team.cycle.pk}/participants"
    first = client.get(url, {"limit": 2}).json()
    second = client.get(url, {"limit": 2, "cursor": first["next_cursor"]}).json()
    names = [p["person"]["display_name"] for p in first["items"] + second["items"]]
    expected = sorted([team.report, team.peer, team.outsider], key=lambda p: (p.sort_name, p.pk))
    assert names == [p.display_name for p in expected]
    assert second["next_cursor"] is None


def test_a_tampered_participants_cursor_is_a_422_naming_the_cursor(team):
    response = bearer(team.admin).get(
        f"{BASE}/cycles/{team.cycle.pk}/participants", {"cursor": "bm90LWpzb24"}
    )
    assert response.status_code == 422
    assert error_fields(response) == ["cursor"]


def test_removal_reasons_are_for_hr_admins_only(team):
    Participant.objects.filter(pk=team.participant.pk).update(removed_reason="On leave")
    url = f"{BASE}/participants/{team.participant.pk}"
    assert bearer(team.admin).get(url).json()["removed_reason"] == "On leave"
    assert bearer(team.manager).get(url).json()["removed_reason"] is None


# --- Nominations -----------------------------------------------------------------------------


def test_a_nominated_peer_sees_their_nomination_with_its_load(team):
    body = bearer(team.peer).get(f"{BASE}/cycles/{team.cycle.pk}/nominations").json()
    assert [(n["reviewee"]["id"], n["peer_load"]) for n in body["items"]] == [(team.report.pk, 1)]


def test_a_decline_reason_is_hidden_from_the_reviewee(team):
    Nomination.objects.filter(peer=team.peer).update(
        status=NominationStatus.DECLINED, decline_reason="We never worked together"
    )
    url = f"{BASE}/participants/{team.participant.pk}/nominations"
    assert bearer(team.report).get(url).json()["items"][0]["decline_reason"] is None
    assert bearer(team.manager).get(url).json()["items"][0]["decline_reason"] == (
        "We never worked together"
    )


def test_an_outsider_sees_no_nominations(team):
    client = bearer(team.outsider)
    assert client.get(f"{BASE}/cycles/{team.cycle.pk}/nominations").json()["items"] == []
    url = f"{BASE}/participants/{team.participant.pk}/nominations"
    assert client.get(url).status_code == 404


def test_nominations_filter_by_status(team):
    nominate(team.participant, team.outsider)
    url = f"{BASE}/participants/{team.participant.pk}/nominations"
    body = bearer(team.manager).get(url, {"status": "proposed"}).json()
    assert [n["peer"]["id"] for n in body["items"]] == [team.outsider.pk]


# --- Reviews ---------------------------------------------------------------------------------


def test_my_reviews_to_write_are_listed_by_default(team):
    body = bearer(team.manager).get(f"{BASE}/reviews").json()
    assert {(r["reviewee"]["id"], r["relationship"]) for r in body["items"]} == {
        (team.report.pk, "manager"),
        (team.peer.pk, "manager"),
    }
    assert all(r["due_on"] for r in body["items"])


def test_reviews_of_someone_removed_are_not_mine_to_write(team):
    Participant.objects.filter(pk=team.participant.pk).update(removed_at="2026-01-01T00:00Z")
    body = bearer(team.manager).get(f"{BASE}/reviews").json()
    assert [r["reviewee"]["id"] for r in body["items"]] == [team.peer.pk]


def test_a_signed_in_browser_session_reads_the_api_too(team, client_for):
    response = client_for(team.report).get(f"{BASE}/reviews")
    assert response.status_code == 200
    assert {r["relationship"] for r in response.json()["items"]} == {"self"}


def test_reviews_filter_by_cycle_and_open_state(team):
    Review.objects.filter(reviewee=team.peer, relationship="manager").update(
        state=ReviewState.SUBMITTED
    )
    body = (
        bearer(team.manager)
        .get(f"{BASE}/reviews", {"cycle": team.cycle.pk, "state": "open"})
        .json()
    )
    assert [r["reviewee"]["id"] for r in body["items"]] == [team.report.pk]


def test_a_peer_cannot_read_the_manager_review(team):
    manager_review = team.review(Relationship.MANAGER)
    Review.objects.filter(pk=manager_review.pk).update(state=ReviewState.SHARED)
    client = bearer(team.peer)
    assert client.get(f"{BASE}/reviews/{manager_review.pk}").status_code == 404
    listed = client.get(f"{BASE}/reviews", {"role": "all"}).json()["items"]
    assert manager_review.pk not in [r["id"] for r in listed]


def test_a_manager_outside_the_chain_cannot_read_a_review(team):
    self_review = team.review(Relationship.SELF)
    Review.objects.filter(pk=self_review.pk).update(state=ReviewState.SUBMITTED)
    response = bearer(team.outsider_manager).get(f"{BASE}/reviews/{self_review.pk}")
    assert response.status_code == 404


def _share_peer_review(team):  # type: ignore[no-untyped-def]
    peer_review = team.review(Relationship.PEER)
    Review.objects.filter(pk=peer_review.pk).update(state=ReviewState.SUBMITTED)
    Participant.objects.filter(pk=team.participant.pk).update(shared_at="2026-01-01T00:00Z")
    return peer_review


def test_the_reviewee_cannot_open_an_anonymous_peer_review_by_id(team):
    """Was: the reviewee read it with the label "Peer 1" (numbered in id order, so it could
    be matched to a nominated peer). Now an anonymous peer review never reaches the person
    reviewed as a row; they read its answers in the anonymous group."""
    peer_review = _share_peer_review(team)
    response = bearer(team.report).get(f"{BASE}/reviews/{peer_review.pk}")
    assert response.status_code == 404


def test_the_reviewee_does_not_find_an_anonymous_peer_review_in_the_list_either(team):
    peer_review = _share_peer_review(team)
    items = bearer(team.report).get(f"{BASE}/reviews", {"role": "reviewee"}).json()["items"]
    assert peer_review.pk not in [r["id"] for r in items]
    assert all(r["relationship"] != "peer" for r in items)


def test_the_manager_reads_the_peer_review_with_the_name(team):
    peer_review = _share_peer_review(team)
    body = bearer(team.manager).get(f"{BASE}/reviews/{peer_review.pk}").json()
    assert body["reviewer"]["id"] == team.peer.pk


def test_a_review_carries_its_frozen_questions_answers_and_version(team):
    review = team.review(Relationship.SELF)
    TemplateQuestion.objects.update(prompt="Edited after launch")
    Review.objects.filter(pk=review.pk).update(
        answers={"q2": {"rating": None, "comment": "Shipped v2"}}, version=4
    )
    body = bearer(team.report).get(f"{BASE}/reviews/{review.pk}").json()
    prompts = [q["prompt"] for q in body["form"]["sections"][0]["questions"]]
    assert "Edited after launch" not in prompts
    assert body["answers"]["q2"]["comment"] == "Shipped v2"
    assert body["version"] == 4
    assert body["who_reads"]


def test_time_spent_writing_is_hidden_from_the_reviewee(team):
    review = team.review(Relationship.MANAGER)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SHARED, active_seconds=900)
    url = f"{BASE}/reviews/{review.pk}"
    assert bearer(team.report).get(url).json()["active_seconds"] is None
    assert bearer(team.manager).get(url).json()["active_seconds"] == 900


def test_the_api_refuses_a_caller_without_credentials(team):
    from django.test import Client

    assert Client().get(f"{BASE}/reviews").status_code == 401


def test_a_huge_id_is_a_404_not_a_server_error(team):
    assert bearer(team.admin).get(f"{BASE}/reviews/{2**70}").status_code in (404, 422)


def test_every_reviews_api_path_is_served_by_one_view():
    """Django takes the first pattern that matches a path, whatever the method: a path whose
    methods were split over two routers would answer 405 to the second one's methods."""
    import inspect

    from django.urls import URLResolver, get_resolver

    views: dict[str, set[int]] = defaultdict(set)

    def walk(patterns, prefix):  # type: ignore[no-untyped-def]
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif (prefix + str(entry.pattern)).startswith("api/v1/reviews/"):
                # Each ninja path view makes a fresh wrapper per URL name; the view it wraps
                # is the one that knows every method of the path.
                owner = inspect.getclosurevars(entry.callback).nonlocals.get("self")
                assert owner is not None, "ninja changed how it builds views; update this test"
                views[prefix + str(entry.pattern)].add(id(owner))

    walk(get_resolver().url_patterns, "")
    assert views
    assert not [pattern for pattern, callbacks in views.items() if len(callbacks) > 1]
