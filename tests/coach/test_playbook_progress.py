"""A reader's progress on a playbook: steps marked done, the quiz passed or not, the
playbook completed once (every step and the quiz), in the audit log once."""

from __future__ import annotations

import pytest

from tandem.audit.models import AuditEvent
from tandem.coach.models import Playbook, PlaybookProgress
from tandem.coach.services import playbooks as services
from tests.coach.playbook_helpers import FIRST, SBI, client_of, complete, shipped
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def books() -> dict[str, Playbook]:
    return shipped()


def right_answers(playbook: Playbook) -> dict[int, int | None]:
    return {q.position: q.answer for q in playbook.questions.all()}


def test_the_shipped_playbooks_have_three_to_six_steps_and_two_to_four_questions(books) -> None:  # type: ignore[no-untyped-def]
    assert len(books) == 5
    for playbook in books.values():
        assert 3 <= playbook.steps.count() <= 6
        assert 2 <= playbook.questions.count() <= 4
        for q in playbook.questions.all():
            assert 0 <= q.answer < len(q.choices) and q.explanation


def test_loading_the_shipped_playbooks_again_keeps_hr_edits(books) -> None:  # type: ignore[no-untyped-def]
    Playbook.objects.filter(slug=SBI).update(title="Our own SBI")
    assert services.load_shipped() == 0
    assert Playbook.objects.get(slug=SBI).title == "Our own SBI"
    assert Playbook.objects.count() == 5


def test_marking_a_step_done_records_it_once(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    services.mark_step_done(playbook=books[SBI], position=2, by=person)
    services.mark_step_done(playbook=books[SBI], position=2, by=person)
    row = PlaybookProgress.objects.get(person=person, playbook=books[SBI])
    assert row.steps_done == [2] and row.completed_at is None


def test_marking_a_step_done_is_audited_once(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    services.mark_step_done(playbook=books[SBI], position=2, by=person)
    services.mark_step_done(playbook=books[SBI], position=2, by=person)
    event = AuditEvent.objects.get(kind="playbook.step_done")
    assert event.actor == person and event.subject == person
    assert event.object_id == str(books[SBI].pk) and event.changes["step"] == 2


def test_marking_a_step_done_from_the_page_is_audited(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    client_of(person).post(f"/coach/playbooks/{SBI}/steps/1/done/")
    assert AuditEvent.objects.filter(kind="playbook.step_done", actor=person).count() == 1


def test_a_step_that_does_not_exist_is_refused_naming_the_step(books) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.mark_step_done(playbook=books[SBI], position=99, by=PersonFactory())
    assert "step" in error.value.message_dict
    assert not PlaybookProgress.objects.exists()


def test_a_wrong_answer_fails_the_quiz_and_says_which(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    answers = right_answers(books[SBI])
    answers[1] = (answers[1] + 1) % 3  # type: ignore[operator]
    result = services.answer_quiz(playbook=books[SBI], answers=answers, by=person)
    assert not result.passed
    assert [a.correct for a in result.answers] == [False, True, True]
    assert not PlaybookProgress.objects.get(person=person).quiz_passed


def test_an_unanswered_question_fails_the_quiz(books) -> None:  # type: ignore[no-untyped-def]
    answers = right_answers(books[SBI])
    answers[2] = None
    result = services.answer_quiz(playbook=books[SBI], answers=answers, by=PersonFactory())
    assert not result.passed


def test_a_pass_is_kept_after_a_later_failed_try(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    services.answer_quiz(playbook=books[SBI], answers=right_answers(books[SBI]), by=person)
    services.answer_quiz(playbook=books[SBI], answers={}, by=person)
    assert PlaybookProgress.objects.get(person=person).quiz_passed


def test_the_playbook_completes_when_every_step_is_done_and_the_quiz_passed(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    playbook = books[FIRST]
    services.answer_quiz(playbook=playbook, answers=right_answers(playbook), by=person)
    positions = list(playbook.steps.values_list("position", flat=True))
    for position in positions[:-1]:
        services.mark_step_done(playbook=playbook, position=position, by=person)
    assert PlaybookProgress.objects.get(person=person).completed_at is None
    services.mark_step_done(playbook=playbook, position=positions[-1], by=person)
    assert PlaybookProgress.objects.get(person=person).completed_at is not None


def test_completion_happens_once_and_is_audited_once(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    complete(person, books[FIRST])
    first = PlaybookProgress.objects.get(person=person).completed_at
    complete(person, books[FIRST])
    assert PlaybookProgress.objects.get(person=person).completed_at == first
    assert AuditEvent.objects.filter(kind="playbook.completed").count() == 1


def test_an_edit_after_completion_does_not_undo_it(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    complete(person, books[FIRST])
    playbook = books[FIRST]
    steps = [services.StepIn(s.title, s.body) for s in playbook.steps.all()]
    steps.append(services.StepIn("A new step", "Read this too."))
    questions = [
        services.QuestionIn(q.prompt, q.choices, q.answer, q.explanation)
        for q in playbook.questions.all()
    ]
    from tests.factories import hr_admin

    services.update_playbook(
        playbook=playbook, title=playbook.title, summary=playbook.summary,
        steps=steps, questions=questions, by=hr_admin(),
    )  # fmt: skip
    assert PlaybookProgress.objects.get(person=person).completed_at is not None


def test_the_page_marks_a_step_done_and_shows_it(books) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    c = client_of(person)
    response = c.post(f"/coach/playbooks/{SBI}/steps/1/done/")
    assert response.status_code == 302 and response["Location"].endswith("#step-1")
    html = c.get(f"/coach/playbooks/{SBI}/").content.decode()
    assert "1 of 5 steps done" in html


def test_the_quiz_page_shows_each_explanation_after_answering(books) -> None:  # type: ignore[no-untyped-def]
    c = client_of(PersonFactory())
    playbook = books[SBI]
    data = {f"q{q.position}": str(q.answer) for q in playbook.questions.all()}
    data["q1"] = "7"  # not a choice: counts as wrong, never an error
    html = c.post(f"/coach/playbooks/{SBI}/quiz/", data).content.decode()
    assert "2 of 3 right" in html
    for q in playbook.questions.all():
        assert q.explanation.replace("“", "&ldquo;")[:20] in html or q.explanation[:20] in html


def test_passing_the_quiz_on_the_page_says_so(books) -> None:  # type: ignore[no-untyped-def]
    c = client_of(PersonFactory())
    data = {f"q{q.position}": str(q.answer) for q in books[SBI].questions.all()}
    html = c.post(f"/coach/playbooks/{SBI}/quiz/", data).content.decode()
    assert "quiz passed" in html
