"""The review checks reviews plugs into the feedback coach: a sentence repeated across the
same reviewer's reviews of a cycle, and a rating far from the evidence."""

from __future__ import annotations

import pytest
from django.test import Client

from tandem.coach.models import CoachTally
from tandem.coach.queries import findings
from tandem.coach.registry import all_rules, context_for
from tandem.feedback.services import give_feedback
from tandem.reviews.coach import rating_evidence, repeated_comment
from tandem.reviews.models import Relationship
from tandem.reviews.versions import questions
from tests.factories import PersonFactory
from tests.reviews.factories import review_of, running_cycle

SHARED = "A reliable team member who delivers on time, quarter after quarter."


def test_the_review_rules_are_registered_with_the_coach() -> None:
    assert {"repeated_comment", "rating_evidence"} <= set(all_rules())


def test_a_sentence_used_in_another_review_is_flagged_with_its_span() -> None:
    text = f"Great quarter. {SHARED} Ask Sam about the migration."
    (finding,) = repeated_comment(text, {"other_comments": [SHARED, "Something else here."]})
    assert text[finding.start : finding.end] == SHARED
    assert "1 other review of" in finding.message


def test_spacing_and_case_do_not_hide_a_repeat() -> None:
    text = "a reliable  TEAM member who delivers on time, quarter after quarter!"
    assert list(repeated_comment(text, {"other_comments": [SHARED, SHARED.upper()]}))


def test_short_sentences_are_not_compared() -> None:
    assert not list(repeated_comment("Well done.", {"other_comments": ["Well done."]}))


def test_a_sentence_in_no_other_review_is_not_flagged() -> None:
    assert not list(repeated_comment(SHARED, {"other_comments": ["Quite different words here."]}))


def test_the_top_rating_with_every_goal_off_track_is_flagged() -> None:
    text = "Exceptional year."
    context = {"rating": "top", "goals_total": 3, "goals_off_track": 3}
    (finding,) = rating_evidence(text, context)
    assert (finding.start, finding.end) == (0, len(text))
    assert "all 3 goals" in finding.message


def test_the_top_rating_with_one_goal_on_track_is_not_flagged() -> None:
    assert not list(rating_evidence("x", {"rating": "top", "goals_total": 3, "goals_off_track": 2}))


def test_the_bottom_rating_with_recent_praise_is_flagged() -> None:
    assert list(rating_evidence("Weak.", {"rating": "bottom", "recent_praise": 2}))


@pytest.mark.django_db
def test_review_checks_run_only_for_reviews_and_only_with_a_context() -> None:
    context = {"other_comments": [SHARED]}
    assert [f.rule for f in findings(SHARED, "review", context)] == ["repeated_comment"]
    assert "repeated_comment" not in [f.rule for f in findings(SHARED, "feedback", context)]
    assert "repeated_comment" not in [f.rule for f in findings(SHARED, "review")]


@pytest.mark.django_db
def test_the_context_holds_the_reviewers_other_comments_in_the_cycle_only() -> None:
    manager = PersonFactory()
    ana, ben = PersonFactory(manager=manager), PersonFactory(manager=manager)
    cycle = running_cycle([ana, ben])
    about_ana = review_of(cycle, ana, Relationship.MANAGER)
    about_ben = review_of(cycle, ben, Relationship.MANAGER)
    about_ben.answers = {"q1": {"comment": SHARED}}
    about_ben.save(update_fields=["answers"])
    context = context_for("review", manager, str(about_ana.pk))
    assert context == {"other_comments": [SHARED]}


@pytest.mark.django_db
def test_someone_else_gets_no_context_for_a_review_they_do_not_write() -> None:
    manager = PersonFactory()
    ana = PersonFactory(manager=manager)
    cycle = running_cycle([ana])
    about_ana = review_of(cycle, ana, Relationship.MANAGER)
    assert context_for("review", ana, str(about_ana.pk)) is None
    assert context_for("review", PersonFactory(), str(about_ana.pk)) is None
    assert context_for("review", manager, "not-a-number") is None


def _review_beside_one_with_the_shared_sentence():  # type: ignore[no-untyped-def]
    """A manager's review of Ana, in a cycle where their review of Ben already says SHARED:
    (manager, the review of Ana)."""
    manager = PersonFactory()
    ana, ben = PersonFactory(manager=manager), PersonFactory(manager=manager)
    cycle = running_cycle([ana, ben])
    about_ben = review_of(cycle, ben, Relationship.MANAGER)
    about_ben.answers = {"q1": {"comment": SHARED}}
    about_ben.save(update_fields=["answers"])
    return manager, review_of(cycle, ana, Relationship.MANAGER)


@pytest.mark.django_db
def test_the_panel_flags_a_repeated_sentence_on_a_review(client: Client) -> None:
    manager, about_ana = _review_beside_one_with_the_shared_sentence()
    client.force_login(manager)
    response = client.post(
        "/coach/panel/",
        {"kind": "review", "field": "q1-comment", "ref": str(about_ana.pk), "q1-comment": SHARED},
    )
    assert "Same sentence for several people" in response.content.decode()


@pytest.mark.django_db
def test_the_review_page_has_a_panel_beside_each_comment(client: Client) -> None:
    manager = PersonFactory()
    ana = PersonFactory(manager=manager)
    cycle = running_cycle([ana])
    about_ana = review_of(cycle, ana, Relationship.MANAGER)
    client.force_login(manager)
    html = client.get(f"/reviews/{about_ana.pk}/").content.decode()
    assert 'hx-post="/coach/panel/"' in html
    key, _ = _rating_question(about_ana)
    assert f'"ref": "{about_ana.pk}:{key}"' in html
    assert f"change delay:300ms from:input[name={key}-rating]" in html


def _rating_question(review):  # type: ignore[no-untyped-def]
    question = next(q for q in questions(review.template_version.content) if q["kind"] == "rating")
    values = [str(p["value"]) for p in question["scale"]["points"]]
    return question["key"], values


def _panel(client: Client, review, key: str, rating: str, text: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post(
        "/coach/panel/",
        {
            "kind": "review",
            "field": f"{key}-comment",
            "ref": f"{review.pk}:{key}",
            f"{key}-comment": text,
            f"{key}-rating": rating,
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def _manager_review_after_praise():  # type: ignore[no-untyped-def]
    """A manager's review of Ana, who was praised publicly last week: (manager, review,
    the rated question's key, its scale's values)."""
    manager = PersonFactory()
    ana = PersonFactory(manager=manager)
    cycle = running_cycle([ana])
    give_feedback(
        by=PersonFactory(),
        recipient=ana,
        text="You turned the outage into a calm update.",
        visibility="public",
    )
    review = review_of(cycle, ana, Relationship.MANAGER)
    key, values = _rating_question(review)
    return manager, review, key, values


@pytest.mark.django_db
def test_the_bottom_rating_with_recent_praise_is_flagged_in_the_panel(client: Client) -> None:
    manager, review, key, values = _manager_review_after_praise()
    client.force_login(manager)
    text = "This year did not meet what the role needs from her."
    assert "Rating far from the evidence" in _panel(client, review, key, values[0], text)
    assert "Rating far from the evidence" not in _panel(client, review, key, values[1], text)


@pytest.mark.django_db
def test_the_top_rating_without_goals_is_not_flagged(client: Client) -> None:
    manager = PersonFactory()
    ana = PersonFactory(manager=manager)
    cycle = running_cycle([ana])
    review = review_of(cycle, ana, Relationship.MANAGER)
    key, values = _rating_question(review)
    client.force_login(manager)
    html = _panel(client, review, key, values[-1], "An outstanding year on every front we track.")
    assert "Rating far from the evidence" not in html


@pytest.mark.django_db
def test_submitting_a_review_counts_its_comments_for_hr_without_text(client: Client) -> None:
    manager = PersonFactory()
    ana = PersonFactory(manager=manager)
    cycle = running_cycle([ana])
    review = review_of(cycle, ana, Relationship.MANAGER)
    key, values = _rating_question(review)
    text_key = next(
        q["key"] for q in questions(review.template_version.content) if q["kind"] == "text"
    )
    client.force_login(manager)
    step_one = client.post(
        f"/reviews/{review.pk}/submit/",
        {
            "version": review.version,
            f"{key}-rating": values[2],
            f"{key}-comment": "You never share the plan early with the rest of the team.",
            f"{text_key}-comment": "In March you led the billing migration, so tickets fell.",
            "coach_seen": [f"{key}-comment:sarcasm"],
        },
    )
    assert step_one.status_code == 200
    assert f'value="{key}-comment:sarcasm"' in step_one.content.decode()
    review.refresh_from_db()
    step_two = client.post(
        f"/reviews/{review.pk}/submit/",
        {"version": review.version, "confirm": "on", "coach_seen": [f"{key}-comment:sarcasm"]},
    )
    assert step_two.status_code == 302, step_two.content.decode()[:2000]
    tallies = {t.rule: (t.kind, t.fired, t.changed) for t in CoachTally.objects.all()}
    assert tallies["absolute"] == ("review", 1, 0)
    assert tallies["sarcasm"] == ("review", 1, 1)


def _check(client: Client, body: dict) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post("/api/v1/coach/check", body, content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_the_api_runs_the_review_checks_for_a_review_its_caller_writes(client: Client) -> None:
    manager, review, key, values = _manager_review_after_praise()
    client.force_login(manager)
    text = "This year did not meet what the role needs from her."
    body = {"text": text, "kind": "review", "review": f"{review.pk}:{key}"}
    status, found = _check(client, {**body, "rating": values[0]})
    assert status == 200
    assert [f["rule"] for f in found["findings"]] == ["rating_evidence"]
    assert found["findings"][0]["span"] == [0, len(text)]
    _, found = _check(client, {**body, "rating": values[1]})
    assert found["findings"] == []


@pytest.mark.django_db
def test_the_api_flags_a_sentence_repeated_from_the_callers_other_reviews(client: Client) -> None:
    manager, about_ana = _review_beside_one_with_the_shared_sentence()
    client.force_login(manager)
    status, found = _check(client, {"text": SHARED, "kind": "review", "review": str(about_ana.pk)})
    assert status == 200
    assert [f["rule"] for f in found["findings"]] == ["repeated_comment"]


@pytest.mark.django_db
def test_the_api_answers_404_for_a_review_the_caller_does_not_write(client: Client) -> None:
    manager = PersonFactory()
    ana = PersonFactory(manager=manager)
    about_ana = review_of(running_cycle([ana]), ana, Relationship.MANAGER)
    for stranger in (ana, PersonFactory()):
        client.force_login(stranger)
        status, body = _check(
            client, {"text": SHARED, "kind": "review", "review": str(about_ana.pk)}
        )
        assert status == 404
        assert body["detail"] == "Not found."


@pytest.mark.django_db
def test_the_api_refuses_a_review_reference_with_another_kind(client: Client) -> None:
    client.force_login(PersonFactory())
    status, body = _check(client, {"text": SHARED, "kind": "feedback", "review": "12"})
    assert status == 422
    assert body["errors"][0]["loc"] == ["body", "review"]


@pytest.mark.django_db
def test_the_api_refuses_a_malformed_review_reference(client: Client) -> None:
    client.force_login(PersonFactory())
    status, body = _check(client, {"text": SHARED, "kind": "review", "review": "12; drop"})
    assert status == 422
    assert body["errors"][0]["loc"] == ["body", "review"]
