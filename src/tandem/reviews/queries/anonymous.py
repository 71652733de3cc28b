"""Anonymous answers about a person in a cycle, read as groups (docs/anonymity.md).

Upward reviews (reports about their manager) are anonymous to everyone but their writers —
and to HR unless the program lets HR read them; peer reviews are anonymous to the person
reviewed when the cycle hides peer names, and to HR when it hides them from HR. A reader
to whom a review's writer is anonymous never gets it as a row (`reviews.rules`); they get
the channel's answers here, as one group per channel, following the shared model of
`tandem.core.anonymity`:

- **Nothing before release.** The group's answers are shown only once the daily run has
  released them (`services.anonymous.release_groups`, the day after the peer-and-upward
  phase closed) and only when at least the channel's minimum answered: the program's
  anonymity minimum for upward reviews (never below 3), two for anonymous peers (the
  person reviewed chose the peers; what they must not learn is which answer is whose).
- **Per question, shuffled.** No per-writer rows: each question lists the answers given to
  it, in the order of a permutation seeded from the anonymity key with the channel, the
  person reviewed and the question — the same on every page and call, unrelated to ids,
  names, or when anyone wrote.
- **No per-writer states or times.** While the phase is open a reader learns only
  "enough answers so far" or "not yet enough", counted up to the start of today (so it
  changes at midnight, never when someone submits); counts only once the phase closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tandem.access.rules import actor_for, can
from tandem.core import anonymity
from tandem.program.models import Program
from tandem.reviews import framework, phases, rules
from tandem.reviews.models import (
    DONE_STATES,
    Participant,
    PhaseKind,
    Relationship,
    Review,
)
from tandem.reviews.queries.writing import QuestionView, goal_names, questions_view

# The channels that can be anonymous, in the order pages show them.
CHANNELS = (Relationship.PEER, Relationship.UPWARD)
PEER_MINIMUM = 2
LABELS = {
    Relationship.PEER: "Peer reviews",
    Relationship.UPWARD: "Upward reviews (from their reports)",
}
SHUFFLE = "review-group"


def channel_minimum(relationship: str, program: Program) -> int:
    if relationship == Relationship.UPWARD:
        return anonymity.group_minimum(program.anonymity_minimum)
    return PEER_MINIMUM


# --- What a reader may read as a group -----------------------------------------------------------


def readable_channels(user: Any, participant: Participant) -> list[str]:
    """The channels about `participant` that reach `user` as an anonymous group: those
    whose writers are anonymous to them and that they may read at all — the person (upward
    always, peers when the cycle shows them peer reviews, once shared), their managers
    (upward), and HR reading the department (each channel anonymous to HR)."""
    actor = actor_for(user)
    if actor is None or not can(user, "participant.anonymous_group", participant):
        return []
    hidden = rules.hidden_channels(actor, participant)
    own = participant.person_id == actor.person.pk
    cycle = participant.cycle
    readable: list[str] = []
    for channel in CHANNELS:
        if channel not in hidden:
            continue
        if own:
            shown = participant.shared_at is not None and (
                channel == Relationship.UPWARD or cycle.reviewee_sees_peer_reviews
            )
            if not shown:
                continue
        readable.append(channel)
    return readable


# --- Status -------------------------------------------------------------------------------------

RELEASED = "released"  # answers shown
WITHHELD = "withheld"  # released, but fewer than the minimum answered: nothing is shown
CLOSED = "closed"  # the phase closed; the next daily run releases
ENOUGH = "enough"  # open; at least the minimum answered before today
NOT_YET = "not_yet"  # open; fewer than the minimum answered before today


@dataclass
class Counts:
    """What a group's status is computed from: answers submitted in all, and those
    submitted before the start of today."""

    done: int = 0
    before_today: int = 0


@dataclass
class GroupView:
    relationship: str
    label: str
    status: str
    minimum: int
    answered: int | None  # only once the phase closed
    sections: list[GroupSection] = field(default_factory=list)

    @property
    def text(self) -> str:
        minimum, answered = self.minimum, self.answered
        if self.status == RELEASED:
            return (
                f"{answered} people answered. Each question shows the answers in an order "
                "that says nothing about who wrote them."
            )
        if self.status == WITHHELD:
            return f"{answered} answered: fewer than {minimum}, so no answer is shown, to anyone."
        if self.status == CLOSED:
            return (
                f"The phase has closed and {answered} answered. The answers are released by "
                f"the next daily run if at least {minimum} answered."
            )
        if self.status == ENOUGH:
            return (
                f"Enough answers so far (at least {minimum}, counted to the start of today). "
                "They are shown once the phase has closed."
            )
        return (
            f"Not yet enough answers ({minimum} needed, counted to the start of today). "
            "Answers are shown once the phase has closed, and only if enough people answered."
        )


@dataclass
class GroupQuestion:
    key: str
    kind: str
    prompt: str
    answers: list[QuestionView]


@dataclass
class GroupSection:
    title: str
    questions: list[GroupQuestion]


def status_of(
    relationship: str,
    participant: Participant,
    counts: Counts,
    program: Program,
    *,
    today: date | None = None,
) -> tuple[str, int, int | None]:
    """(status, minimum, answered or None while the phase is open) of one channel."""
    minimum = channel_minimum(relationship, program)
    if participant.anonymous_released_on is not None:
        return (RELEASED if counts.done >= minimum else WITHHELD), minimum, counts.done
    phase = phases.phases_of(participant.cycle).get(PhaseKind.PEER)
    if phases.window_state(phase, today or anonymity.company_today()) == "closed":
        return CLOSED, minimum, counts.done
    return (ENOUGH if counts.before_today >= minimum else NOT_YET), minimum, None


def counts_of(reviews: Iterable[Review], *, today: date | None = None) -> Counts:
    cutoff = anonymity.counted_before(today)
    counts = Counts()
    for review in reviews:
        if review.state in DONE_STATES:
            counts.done += 1
            if review.submitted_at is not None and review.submitted_at < cutoff:
                counts.before_today += 1
    return counts


# --- The groups ---------------------------------------------------------------------------------


def _answered(view: QuestionView) -> bool:
    if view.rating not in (None, "") or view.comment.strip():
        return True
    return any(item.rating not in (None, "") or item.comment.strip() for item in view.items)


def _grouped(
    relationship: str, participant: Participant, reviews: list[Review], goals: Mapping[str, str]
) -> list[GroupSection]:
    """The answers per question, each question's answers in the order of its permutation.
    `reviews` come in id order: the permutation alone decides what a reader sees."""
    content = framework.effective_content(
        reviews[0].template_version.content, participant.framework
    )
    per_review = [questions_view(content, review.answers, goals=goals) for review in reviews]
    sections = []
    for index, section in enumerate(content.get("sections", [])):
        questions = []
        for position, question in enumerate(section.get("questions", [])):
            views = [
                sections_of_review[index].questions[position]
                for sections_of_review in per_review
                if index < len(sections_of_review)
                and position < len(sections_of_review[index].questions)
            ]
            answers = [view for view in views if _answered(view)]
            questions.append(
                GroupQuestion(
                    key=question["key"],
                    kind=question["kind"],
                    prompt=question["prompt"],
                    answers=anonymity.shuffled(
                        answers, SHUFFLE, relationship, participant.pk, question["key"]
                    ),
                )
            )
        sections.append(GroupSection(title=section.get("title", ""), questions=questions))
    return sections


def groups_for(
    user: Any, participant: Participant, *, today: date | None = None
) -> list[GroupView]:
    """The anonymous groups about `participant` that `user` reads: two queries (the program,
    the channel's reviews), a third for goal names when a question asks about goals."""
    # The participant's progress counters say which channels have reviews at all: a person
    # nobody writes upward reviews about costs no query here.
    channels = [
        channel
        for channel in readable_channels(user, participant)
        if getattr(participant, f"{channel}_total", 0)
    ]
    if not channels:
        return []
    program = rules.program_for(actor_for(user))
    reviews = list(
        Review.objects.filter(participant=participant, relationship__in=channels)
        .select_related("template_version")
        .order_by("pk")
    )
    for review in reviews:
        # Known already: spares a query per review when goal names are looked up.
        review.cycle, review.participant = participant.cycle, participant
        review.reviewee = participant.person
    groups = []
    for channel in channels:
        rows = [r for r in reviews if r.relationship == channel]
        if not rows:
            continue
        status, minimum, answered = status_of(
            channel, participant, counts_of(rows, today=today), program, today=today
        )
        group = GroupView(
            relationship=channel,
            label=LABELS[Relationship(channel)],
            status=status,
            minimum=minimum,
            answered=answered,
        )
        if status == RELEASED:
            done = [r for r in rows if r.state in DONE_STATES]
            group.sections = _grouped(channel, participant, done, goal_names(user, done[0]))
        groups.append(group)
    return groups
