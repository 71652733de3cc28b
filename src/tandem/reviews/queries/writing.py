"""Reads for the review page, a participant's summary and a review's history.

Every read starts from `scope(user, …)`; a review or participant the user may not see is
answered exactly like a missing one (404). The page is built from a fixed number of
queries whatever the number of questions, goals or reviews.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from tandem.access.rules import can, scope
from tandem.program.models import Program
from tandem.reviews import evidence, framework, phases, purpose, states
from tandem.reviews.answers import ITEM_KINDS, goal_key
from tandem.reviews.history import participant_history
from tandem.reviews.models import (
    CalibrationState,
    Cycle,
    Participant,
    Relationship,
    Review,
    ReviewRevision,
    ReviewState,
)
from tandem.reviews.versions import points_of

REVIEWS_PER_PARTICIPANT = 50
REVISIONS_MAX = 50


# --- One object, or 404 ----------------------------------------------------------------------


def _reviews(user: Any) -> Any:
    return scope(user, Review.objects.all()).select_related(
        "cycle",
        "participant__department",
        "participant__person",
        "participant__manager",
        "participant__framework_snapshot",
        "reviewee__manager",
        "reviewee__department",
        "reviewer",
        "template_version",
    )


def review_for(user: Any, review_id: int) -> Review:
    review = _reviews(user).filter(pk=review_id).prefetch_related("cycle__phases").first()
    if review is None or not can(user, "review.view", review):
        raise Http404("No such review.")
    return review


def participant_for(user: Any, participant_id: int) -> Participant:
    participant = (
        scope(user, Participant.objects.all())
        .select_related(
            "cycle",
            "person__manager",
            "person__department",
            "department",
            "manager",
            "framework_snapshot",
        )
        .prefetch_related("cycle__phases")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None or not can(user, "participant.view", participant):
        raise Http404("No such participant.")
    return participant


def cycle_for(user: Any, cycle_id: int) -> Cycle:
    cycle = scope(user, Cycle.objects.all()).filter(pk=cycle_id).first()
    if cycle is None or not can(user, "cycle.view", cycle):
        raise Http404("No such cycle.")
    return cycle


# --- Who reads this ---------------------------------------------------------------------------


def audience(review: Review) -> str:
    """The banner above the form: who will read this answer, and what it is used for."""
    cycle = review.cycle
    program = Program.current()
    name = review.reviewee.display_name
    hr_names = "without your name" if cycle.peer_names_hidden_from_hr else "with your name"
    relationship = review.relationship
    if relationship == Relationship.SELF:
        who = (
            "Your managers and HR read this once you submit it; your manager sees it before "
            "writing your manager review."
        )
    elif relationship == Relationship.MANAGER:
        who = (
            f"{name}'s managers above you and HR read this with your name; {name} reads it "
            "after you share it."
        )
    elif relationship == Relationship.UPWARD:
        if program.hr_reads_upward_reviews:
            hr = "HR may also read each upward review one by one, " + (
                "without your name." if cycle.peer_names_hidden_from_hr else "with your name."
            )
        else:
            hr = "HR reads them the same way and never sees who wrote what."
        who = (
            f"{name} and {name}'s managers read your answers only together with those of "
            "the others who answered — per question, in shuffled order, after the phase has "
            "closed and only if enough people answered — never as your review and never with "
            f"your name. {hr}"
        )
    else:
        reviewee = (
            f"{name} reads it after sharing "
            + ("without your name" if cycle.peers_anonymous_to_reviewee else "with your name")
            if cycle.reviewee_sees_peer_reviews
            else f"{name} does not read it"
        )
        if relationship == Relationship.SKIP_LEVEL:
            reviewee = reviewee.replace("without your name", "with your name")
        who = f"{name}'s manager reads this with your name, HR {hr_names}; {reviewee}."
    ratings = purpose.version_has_ratings(review.template_version.content)
    used_for = purpose.used_for(
        cycle, relationships=[relationship], program=program, ratings=ratings
    )
    return f"{who} {used_for}"


# --- The person as at launch ------------------------------------------------------------------


@dataclass
class Snapshot:
    title: str
    department: str
    manager: str
    changes: list[str]


def snapshot(participant: Participant) -> Snapshot:
    """Who the person was at launch, and what changed since (shown as a note)."""
    person = participant.person
    changes = []
    if person.manager_id != participant.manager_id:
        now = person.manager.display_name if person.manager else "no manager"
        changes.append(f"manager now {now}")
    if person.title != participant.title:
        changes.append(f"title now {person.title or 'none'}")
    if person.department_id != participant.department_id:
        now = person.department.name if person.department else "no department"
        changes.append(f"department now {now}")
    return Snapshot(
        title=participant.title or "No title",
        department=participant.department_name or "No department",
        manager=participant.manager_name or "No manager",
        changes=changes,
    )


def due_on(review: Review) -> date | None:
    phase = phases.phases_of(review.cycle).get(phases.phase_for_relationship(review.relationship))
    return phase.due_on if phase is not None else None


def window(review: Review) -> str:
    kind = phases.phase_for_relationship(review.relationship)
    return phases.window_state(phases.phases_of(review.cycle).get(kind))


# --- Answers as read --------------------------------------------------------------------------

LINK = re.compile(r"\[([^\[\]\n]{1,120})\]\(#(goal|feedback|action|review)-(\d{1,18})\)")
LINK_ROUTES = {"goal": "goals:detail", "feedback": "feedback:detail", "review": "reviews:review"}


def render_comment(text: str) -> SafeString:
    """Paragraphs of escaped text; "[goal: Ship v2](#goal-12)" becomes a link to the goal
    (its own page checks who may open it)."""
    html = linebreaks(escape(text or ""))

    def link(match: re.Match[str]) -> str:
        label, kind, pk = match.group(1), match.group(2), match.group(3)
        route = LINK_ROUTES.get(kind)
        href = reverse(route, args=[int(pk)]) if route else f"#{kind}-{pk}"
        return f'<a href="{href}" class="evidence-link">{label}</a>'

    return mark_safe(LINK.sub(link, html))  # noqa: S308 - built from escaped text


@dataclass
class ItemView:
    key: str
    name: str
    description: str
    rating: Any = None
    rating_label: str = ""
    comment: str = ""
    comment_html: SafeString | str = ""
    error: str = ""
    # A goal item on the writing page: where it stands, from the evidence packet the page
    # already holds (`with_goal_status`), so the row costs no query of its own.
    progress: int | None = None
    health: str = ""
    health_label: str = ""
    ref: str = ""


@dataclass
class ScaleView:
    """A rating scale as the page explains it once per section."""

    name: str
    points: list[dict[str, Any]]


@dataclass
class QuestionView:
    key: str
    kind: str
    prompt: str
    help_text: str
    required: bool
    allow_comment: bool
    points: list[dict[str, Any]]
    rating: Any = None
    rating_label: str = ""
    comment: str = ""
    comment_html: SafeString | str = ""
    items: list[ItemView] = field(default_factory=list)
    error: str = ""
    scale_name: str = ""
    # The overall rating of a manager review once calibration changed it (`with_calibration`).
    calibration_note: str = ""

    @property
    def has_items(self) -> bool:
        return self.kind in ITEM_KINDS

    @property
    def rated(self) -> bool:
        return bool(self.points)


@dataclass
class SectionView:
    title: str
    description: str
    questions: list[QuestionView]

    @property
    def scales(self) -> list[ScaleView]:
        """The scales the section's questions use, each once, in the order they come: the
        long descriptions are shown here rather than under every question."""
        seen: dict[str, ScaleView] = {}
        for question in self.questions:
            if question.points and question.scale_name not in seen:
                seen[question.scale_name] = ScaleView(question.scale_name, question.points)
        return list(seen.values())


def _label(points: list[dict[str, Any]], value: Any) -> str:
    for point in points:
        if str(point["value"]) == str(value):
            return f"{point['value']} — {point['label']}"
    return ""


def questions_view(
    content: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    goals: Mapping[str, str],
    errors: Mapping[str, Any] | None = None,
) -> list[SectionView]:
    """The template's sections with each question's answer from `values` (stored answers,
    or what the writer just sent when it could not be saved). `goals` names the goal
    items ("g12" → "Ship v2")."""
    errors = errors or {}
    sections = []
    for section in content.get("sections", []):
        rows = []
        for question in section.get("questions", []):
            scale = question.get("scale") or {}
            points = _with_short_labels(scale.get("points") or []) if points_of(question) else []
            answer = values.get(question["key"]) or {}
            if not isinstance(answer, Mapping):
                answer = {}
            view = QuestionView(
                key=question["key"],
                kind=question["kind"],
                prompt=question["prompt"],
                help_text=question.get("help_text", ""),
                required=bool(question.get("required")),
                allow_comment=bool(question.get("allow_comment", True)),
                points=points,
                rating=answer.get("rating"),
                rating_label=_label(points, answer.get("rating")),
                comment=str(answer.get("comment") or ""),
                comment_html=render_comment(str(answer.get("comment") or "")),
                error=_first(errors.get(question["key"])),
                scale_name=str(scale.get("name") or ""),
            )
            if view.has_items:
                stored = answer.get("items") or {}
                if question["kind"] == "goals":
                    frozen = [{"key": k, "name": n, "description": ""} for k, n in goals.items()]
                    # A goal rated earlier but no longer visible to this reader keeps its
                    # answer, under a neutral name.
                    frozen += [
                        {"key": k, "name": "A goal you cannot see", "description": ""}
                        for k in stored
                        if k not in goals
                    ]
                else:
                    frozen = question.get("items") or []
                for item in frozen:
                    got = stored.get(item["key"]) or {}
                    if not isinstance(got, Mapping):
                        got = {}
                    view.items.append(
                        ItemView(
                            key=item["key"],
                            name=item["name"],
                            description=item.get("description", ""),
                            rating=got.get("rating"),
                            rating_label=_label(points, got.get("rating")),
                            comment=str(got.get("comment") or ""),
                            comment_html=render_comment(str(got.get("comment") or "")),
                        )
                    )
            rows.append(view)
        sections.append(
            SectionView(
                title=section.get("title", ""),
                description=section.get("description", ""),
                questions=rows,
            )
        )
    return sections


def _with_short_labels(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each point with a `short` label for the one-row choice: a last word most labels
    repeat ("Meeting expectations", "Exceeding expectations") is left out there; the full
    label stays the choice's name and the description says the rest."""
    last = [str(p.get("label", "")).split()[-1:] for p in points]
    words = [w[0].lower() for w in last if w]
    common = max(set(words), key=words.count) if words else ""
    strip = len(points) > 2 and words.count(common) * 2 > len(points)
    shown = []
    for point in points:
        label = str(point.get("label", ""))
        parts = label.split()
        if strip and len(parts) > 1 and parts[-1].lower() == common:
            label = " ".join(parts[:-1])
        full = str(point.get("label", ""))
        shown.append({**point, "short": label, "rest": full[len(label) :]})
    return shown


def with_goal_status(sections: list[SectionView], goals: list[evidence.Item]) -> None:
    """Give each goal item its progress and health from the evidence packet's goal rows
    (already read for the side panel; a goal beyond the packet's cap just shows none)."""
    found = {goal_key(item.obj.pk): item for item in goals if item.obj is not None}
    for section in sections:
        for question in section.questions:
            if question.kind != "goals":
                continue
            for row in question.items:
                item = found.get(row.key)
                if item is None:
                    continue
                goal = item.obj
                row.ref = item.ref
                row.progress = (
                    round(float(goal.progress) * 100) if goal.progress is not None else None
                )
                row.health = str(goal.health or "")
                row.health_label = goal.get_health_display() if goal.health else ""


def _first(error: Any) -> str:
    if not error:
        return ""
    if isinstance(error, list | tuple):
        return str(error[0]) if error else ""
    return str(error)


def goal_names(reader: Any, review: Review) -> dict[str, str]:
    """The goal items of the review, as the reader may see them (none without a goals
    question)."""
    if not evidence.has_goal_question(review):
        return {}
    rows = evidence.period_goals(reader, review).values_list("pk", "title")[
        : evidence.GOAL_KEYS_MAX
    ]
    return {goal_key(pk): title for pk, title in rows}


@dataclass
class ReadView:
    review: Review
    author: str
    state_label: str
    sections: list[SectionView]


def read_views(reader: Any, reviews: list[Review], goals: Mapping[str, str]) -> list[ReadView]:
    labels = evidence.author_labels(reader, reviews)
    return [
        ReadView(
            review=review,
            author=labels[review.pk],
            state_label=states.label(review.state),
            sections=questions_view(framework.content_of(review), review.answers, goals=goals),
        )
        for review in reviews
    ]


# --- A participant's summary ------------------------------------------------------------------


def reviews_of_participant(user: Any, participant: Participant) -> list[Review]:
    """The reviews about the participant the user may read, in the order pages show them."""
    order = {r.value: i for i, r in enumerate(Relationship)}
    rows = list(
        _reviews(user).filter(participant=participant).order_by("pk")[:REVIEWS_PER_PARTICIPANT]
    )
    rows.sort(key=lambda r: (order.get(r.relationship, 9), r.pk))
    return rows


def manager_reviews(participant: Participant) -> list[Review]:
    """The participant's manager reviews (for the share and acknowledge buttons: only
    their states are used, never their text)."""
    return list(
        Review.objects.filter(participant=participant, relationship=Relationship.MANAGER).order_by(
            "pk"
        )
    )


def share_refusal(user: Any, participant: Participant, managers: list[Review]) -> str:
    """Why the user, who may share this participant's submitted manager review, cannot share
    it now (the phase rules, an open calibration session); empty when they can, or when
    there is nothing of theirs to share (the page then offers nothing and says nothing)."""
    if not can(user, "participant.share", participant) or participant.removed_at is not None:
        return ""
    if not any(r.state == ReviewState.SUBMITTED for r in managers):
        return ""
    return (
        phases.refusal(participant.cycle, "review.share")
        or phases.calibration_refusal(participant)
        or ""
    )


def can_share_now(user: Any, participant: Participant, managers: list[Review]) -> bool:
    if not can(user, "participant.share", participant):
        return False
    if not any(r.state == ReviewState.SUBMITTED for r in managers):
        return False
    return (
        phases.refusal(participant.cycle, "review.share") is None
        and phases.calibration_refusal(participant) is None
    )


def can_acknowledge_now(user: Any, participant: Participant, managers: list[Review]) -> bool:
    return (
        can(user, "participant.acknowledge", participant)
        and any(r.state == ReviewState.SHARED for r in managers)
        and phases.refusal(participant.cycle, "review.acknowledge") is None
    )


def locked_note(review: Review) -> str:
    """The one true sentence a review page says when the review can no longer change: the
    cycle closed (and when), the person left it, the anonymous answers were released, or
    its writing phase is not open (then, and only then, HR can extend it). Empty when it
    can still change, or when it was submitted in a running cycle (its state says so)."""
    stopped = phases.not_running(review.cycle, "answers can no longer change")
    if stopped:
        return stopped
    if not review.is_open:
        return ""
    return phases.writing_refusal(review) or ""


def may_reopen(user: Any, review: Review) -> bool:
    return (
        can(user, "review.reopen", review)
        and states.can_happen(review.state, "reopen")
        and phases.refusal(review.cycle, "review.reopen") is None
    )


# --- The rating of record ---------------------------------------------------------------------


@dataclass(frozen=True)
class RatingOfRecord:
    """A participant's rating as a reader may see it: `final_rating` once a calibration
    session locked, else the manager's overall rating. `changed_from` and `reason` are set
    only when calibration changed it and the reader may know: HR and the managers always,
    the person reviewed only when the program shows calibration to employees."""

    value: int
    label: str
    calibrated: bool
    in_open_session: bool
    changed_from: int | None = None
    changed_from_label: str = ""
    reason: str = ""
    question_key: str = ""

    @property
    def change_sentence(self) -> str:
        if self.changed_from is None:
            return ""
        text = f"Calibrated from {self.changed_from_label} to {self.label}."
        return f"{text} {self.reason}" if self.reason else text


def _overall_question(review: Review) -> Mapping[str, Any] | None:
    for section in review.template_version.content.get("sections", []):
        for question in section.get("questions", []):
            if question.get("is_overall") and question.get("scale"):
                return question
    return None


def rating_of_record(
    user: Any, participant: Participant, reviews: list[Review]
) -> RatingOfRecord | None:
    """The rating of record of `participant` for `user`, from the submitted manager review
    among `reviews` (those `user` may read: the person reviewed reads it once shared), or
    None when there is none to show. No query, except the program's switch when the person
    reviewed reads a rating that calibration changed."""
    done = [r for r in reviews if r.relationship == Relationship.MANAGER and not r.is_open]
    if not done:
        return None
    review = max(done, key=lambda r: (r.submitted_at is not None, r.submitted_at, r.pk))
    question = _overall_question(review)
    if question is None:
        return None
    points = _with_short_labels(question["scale"].get("points") or [])
    answer = (review.answers or {}).get(question["key"]) or {}
    raw = answer.get("rating") if isinstance(answer, Mapping) else None
    calibrated = (
        participant.calibration_state == CalibrationState.LOCKED
        and participant.final_rating is not None
    )
    value = participant.final_rating if calibrated else raw
    if not isinstance(value, int):
        return None
    changed_from = participant.calibrated_from if calibrated else None
    own = participant.person_id == getattr(user, "pk", None)
    if changed_from is not None and own and not Program.current().calibration_shown_to_employee:
        changed_from = None
    return RatingOfRecord(
        value=value,
        label=_label(points, value) or str(value),
        calibrated=calibrated,
        in_open_session=participant.calibration_state == CalibrationState.OPEN and not own,
        changed_from=changed_from,
        changed_from_label=(_label(points, changed_from) or str(changed_from))
        if changed_from is not None
        else "",
        reason=participant.calibration_reason if changed_from is not None else "",
        question_key=str(question["key"]),
    )


def with_calibration(
    user: Any, reads: list[ReadView], participant: Participant, record: RatingOfRecord | None
) -> None:
    """The manager review's overall question as its reader may see it once calibrated: the
    person reviewed reads the final rating in its place (and, when the program says so,
    from what it was changed and why); HR and managers read what the manager wrote, with a
    note of the final rating and the reason."""
    if record is None or not record.calibrated:
        return
    own = participant.person_id == getattr(user, "pk", None)
    for read in reads:
        if read.review.relationship != Relationship.MANAGER or read.review.is_open:
            continue
        for section in read.sections:
            for question in section.questions:
                if question.key != record.question_key:
                    continue
                if own:
                    question.rating = record.value
                    question.rating_label = record.label
                    question.calibration_note = record.change_sentence
                elif record.changed_from is not None:
                    note = f"Calibrated to {record.label}."
                    question.calibration_note = f"{note} {record.reason}" if record.reason else note


# --- History ----------------------------------------------------------------------------------


def may_see_history(user: Any, review: Review) -> bool:
    return review.reviewer_id == getattr(user, "pk", None) or can(user, "review.reopen", review)


def revisions(review: Review) -> list[ReviewRevision]:
    return list(
        ReviewRevision.objects.filter(review=review)
        .select_related("reopened_by")
        .order_by("-created_at", "-pk")[:REVISIONS_MAX]
    )


def history_events(user: Any, review: Review) -> list[tuple[datetime, str]]:
    """What other features recorded about the person's rating (calibration's adjustments
    and the lock that made a rating final), oldest first: on a manager review's history,
    for HR only (those who may reopen it)."""
    if review.relationship != Relationship.MANAGER or not can(user, "review.reopen", review):
        return []
    return participant_history(review.participant_id)
