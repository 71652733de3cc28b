"""Writes of playbooks: a reader marking steps done and answering the quiz (their own
progress; each step marked done and the completion are in the audit log), HR editing and
publishing playbooks (audited), and loading the playbooks Tandem ships with (idempotent)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.access.rules import SYSTEM, require
from tandem.audit.services import record
from tandem.coach.models import (
    Playbook,
    PlaybookPath,
    PlaybookPathItem,
    PlaybookProgress,
    PlaybookQuestion,
    PlaybookStep,
)
from tandem.coach.playbook_content import NEW_MANAGER_PATH, PLAYBOOKS
from tandem.org.models import Person

MIN_STEPS, MAX_STEPS = 3, 6
MIN_QUESTIONS, MAX_QUESTIONS = 2, 4
MIN_CHOICES, MAX_CHOICES = 2, 5


def _row(person: Person, playbook: Playbook) -> PlaybookProgress:
    row, _ = PlaybookProgress.objects.select_for_update().get_or_create(
        person=person, playbook=playbook
    )
    return row


def _complete_if_done(row: PlaybookProgress, playbook: Playbook, person: Person) -> None:
    """Completed once: every current step done and the quiz passed. Never undone."""
    if row.completed_at is not None:
        return
    positions = set(playbook.steps.values_list("position", flat=True))
    has_quiz = playbook.questions.exists()
    if positions <= set(row.steps_done) and (row.quiz_passed or not has_quiz):
        row.completed_at = timezone.now()
        row.save(update_fields=["completed_at"])
        record(actor=person, kind="playbook.completed", obj=playbook, subject=person)


def mark_step_done(*, playbook: Playbook, position: int, by: Person) -> PlaybookProgress:
    """Mark step `position` of `playbook` done for `by` (audited). Marking it again changes
    nothing and records nothing."""
    require(by, "playbook.read", playbook)
    with transaction.atomic():
        if not 1 <= position <= MAX_STEPS or not playbook.steps.filter(position=position).exists():
            raise ValidationError({"step": f"This playbook has no step {position}."})
        row = _row(by, playbook)
        if position not in row.steps_done:
            row.steps_done = sorted({*row.steps_done, position})
            row.save(update_fields=["steps_done"])
            record(
                actor=by,
                kind="playbook.step_done",
                obj=playbook,
                subject=by,
                changes={"step": position, "steps_done": row.steps_done},
            )
        _complete_if_done(row, playbook, by)
    return row


@dataclass(frozen=True)
class Answer:
    question: PlaybookQuestion
    chosen: int | None

    @property
    def correct(self) -> bool:
        return self.chosen == self.question.answer


@dataclass(frozen=True)
class QuizResult:
    answers: list[Answer]

    @property
    def passed(self) -> bool:
        return bool(self.answers) and all(a.correct for a in self.answers)

    @property
    def right(self) -> int:
        return sum(1 for a in self.answers if a.correct)


def answer_quiz(*, playbook: Playbook, answers: Mapping[int, int | None], by: Person) -> QuizResult:
    """Mark the quiz: passed when every question is answered right. A pass is kept (a
    later try that fails does not undo it); the result says which were right and why."""
    require(by, "playbook.read", playbook)
    with transaction.atomic():
        questions = list(playbook.questions.order_by("position"))
        result = QuizResult([Answer(q, answers.get(q.position)) for q in questions])
        row = _row(by, playbook)
        if result.passed and not row.quiz_passed:
            row.quiz_passed = True
            row.save(update_fields=["quiz_passed"])
        _complete_if_done(row, playbook, by)
    return result


# --- HR: editing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepIn:
    title: str
    body: str


@dataclass(frozen=True)
class QuestionIn:
    prompt: str
    choices: Sequence[str]
    answer: int
    explanation: str


def _validate(
    title: str, summary: str, steps: Sequence[StepIn], questions: Sequence[QuestionIn]
) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors.setdefault("title", []).append("Write the playbook's title.")
    if not summary.strip():
        errors.setdefault("summary", []).append("Write a one-sentence summary.")
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        errors.setdefault("steps", []).append(
            f"A playbook has {MIN_STEPS} to {MAX_STEPS} steps; this one has {len(steps)}."
        )
    for n, step in enumerate(steps, 1):
        if not step.title.strip() or not step.body.strip():
            errors.setdefault("steps", []).append(f"Step {n} needs a title and a text.")
    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        errors.setdefault("questions", []).append(
            f"The quiz has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions; "
            f"this one has {len(questions)}."
        )
    for n, q in enumerate(questions, 1):
        if not q.prompt.strip() or not q.explanation.strip():
            errors.setdefault("questions", []).append(
                f"Question {n} needs a question and an explanation."
            )
        if not MIN_CHOICES <= len(q.choices) <= MAX_CHOICES:
            errors.setdefault("questions", []).append(
                f"Question {n} needs {MIN_CHOICES} to {MAX_CHOICES} choices."
            )
        elif not 0 <= q.answer < len(q.choices):
            errors.setdefault("questions", []).append(
                f"Question {n}: the right answer must be one of its {len(q.choices)} choices."
            )
    if errors:
        raise ValidationError(errors)


def update_playbook(
    *,
    playbook: Playbook,
    title: str,
    summary: str,
    steps: Sequence[StepIn],
    questions: Sequence[QuestionIn],
    by: Person,
) -> Playbook:
    """Replace a playbook's title, summary, steps and quiz (HR admins; audited). The
    version goes up; readers' completions stand."""
    require(by, "playbook.manage", playbook)
    _validate(title, summary, steps, questions)
    with transaction.atomic():
        playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
        before = {"title": playbook.title, "summary": playbook.summary}
        playbook.title, playbook.summary = title.strip(), summary.strip()
        playbook.version += 1
        playbook.updated_by = by
        playbook.save(update_fields=["title", "summary", "version", "updated_by", "updated_at"])
        playbook.steps.all().delete()
        playbook.questions.all().delete()
        _write_content(playbook, steps, questions)
        record(
            actor=by,
            kind="playbook.edited",
            obj=playbook,
            changes={
                "title": [before["title"], playbook.title],
                "summary": [before["summary"], playbook.summary],
                "version": playbook.version,
                "steps": len(steps),
                "questions": len(questions),
            },
        )
    return playbook


def set_published(*, playbook: Playbook, published: bool, by: Person) -> Playbook:
    """Publish or unpublish a playbook (HR admins; audited). Unpublished ones are hidden
    from readers; their progress is kept."""
    require(by, "playbook.manage", playbook)
    with transaction.atomic():
        if playbook.published != published:
            playbook.published = published
            playbook.updated_by = by
            playbook.save(update_fields=["published", "updated_by", "updated_at"])
            kind = "playbook.published" if published else "playbook.unpublished"
            record(actor=by, kind=kind, obj=playbook)
    return playbook


def _write_content(
    playbook: Playbook, steps: Sequence[StepIn], questions: Sequence[QuestionIn]
) -> None:
    PlaybookStep.objects.bulk_create(
        PlaybookStep(playbook=playbook, position=n, title=s.title.strip(), body=s.body.strip())
        for n, s in enumerate(steps, 1)
    )
    PlaybookQuestion.objects.bulk_create(
        PlaybookQuestion(
            playbook=playbook,
            position=n,
            prompt=q.prompt.strip(),
            choices=[c.strip() for c in q.choices],
            answer=q.answer,
            explanation=q.explanation.strip(),
        )
        for n, q in enumerate(questions, 1)
    )


# --- The shipped playbooks ---------------------------------------------------------------


def load_shipped(by: Any = SYSTEM) -> int:
    """Create the shipped playbooks and the new-manager path where missing; leave the
    existing ones as HR edited them. Returns how many playbooks were created."""
    created = 0
    with transaction.atomic():
        for data in PLAYBOOKS:
            if Playbook.objects.filter(slug=data["slug"]).exists():
                continue
            playbook = Playbook.objects.create(
                slug=data["slug"],
                title=data["title"],
                summary=data["summary"],
                ordering=data["ordering"],
            )
            _write_content(
                playbook,
                [StepIn(title, body) for title, body in data["steps"]],
                [QuestionIn(*q) for q in data["questions"]],
            )
            created += 1
        path, _ = PlaybookPath.objects.get_or_create(
            slug=NEW_MANAGER_PATH["slug"],
            defaults={"title": NEW_MANAGER_PATH["title"], "summary": NEW_MANAGER_PATH["summary"]},
        )
        if not path.items.exists():
            found = {
                p.slug: p for p in Playbook.objects.filter(slug__in=NEW_MANAGER_PATH["playbooks"])
            }
            PlaybookPathItem.objects.bulk_create(
                PlaybookPathItem(path=path, playbook=found[slug], position=n)
                for n, slug in enumerate(NEW_MANAGER_PATH["playbooks"], 1)
                if slug in found
            )
    return created
