"""Phase windows, enforced on the server: a review is written, a peer nominated or a review
shared only while its phase is open (dates inclusive, in the company's time zone).
Sharing also waits for a dated calibration phase to close, and for any open calibration
session that discusses the person (`calibration_refusal`).

Every action that changes a review or a nomination asks one question before it writes
anything: `refusal(cycle, action)` — None when the action may happen now, else the plain
sentence that says why not. `ACTIONS` says which phase windows each action runs in; pages
ask the same question to decide whether to offer a form at all, so a page never shows a
form the server would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from tandem.reviews.models import (
    PHASE_FOR_RELATIONSHIP,
    CalibrationState,
    Cycle,
    CycleStatus,
    Participant,
    Phase,
    PhaseKind,
    Relationship,
    Review,
)


def phases_of(cycle: Cycle) -> dict[str, Phase]:
    """The cycle's phases by kind; uses prefetched `phases` when present."""
    return {phase.kind: phase for phase in cycle.phases.all()}


def window_state(phase: Phase | None, today: date | None = None) -> str:
    """ "open", "not_yet", "closed" or "none" (the cycle has no such phase)."""
    if phase is None:
        return "none"
    today = today or timezone.localdate()
    if today < phase.opens_on:
        return "not_yet"
    if today > phase.due_on:
        return "closed"
    return "open"


def current_phase(cycle: Cycle, today: date | None = None) -> Phase | None:
    """The latest phase that is open today, or None between or outside phases."""
    open_now = [p for p in phases_of(cycle).values() if window_state(p, today) == "open"]
    return max(open_now, key=lambda p: (p.opens_on, p.id), default=None)


def closed_on(cycle: Cycle) -> date | None:
    """The day HR finished the cycle, in the company's time zone."""
    return timezone.localdate(cycle.closed_at) if cycle.closed_at else None


def not_running(cycle: Cycle, what: str = "nothing in it can change") -> str | None:
    """Why nothing may change in a cycle that is not running (None while it runs): a
    finished cycle says when it closed, an imported one where it came from; no one, not
    even HR, reopens either."""
    if cycle.status == CycleStatus.ACTIVE:
        return None
    if cycle.imported_at is not None:
        # Imported history is a record of another tool's cycle: closed from the start.
        imported_on = date_format(timezone.localdate(cycle.imported_at), "j F Y")
        source = f" from {cycle.import_source}" if cycle.import_source else ""
        return f"The cycle “{cycle.name}” was imported{source} on {imported_on}; {what}."
    if cycle.status == CycleStatus.CLOSED:
        day = closed_on(cycle)
        when = f" on {date_format(day, 'j F Y')}" if day else ""
        return f"The cycle “{cycle.name}” closed{when}; {what}."
    return f"The cycle “{cycle.name}” has not started yet."


@dataclass(frozen=True)
class Action:
    """When an action may happen: while the cycle runs and one of `phases` is open — or,
    with `early`, from launch until the last of them closes (the state of the review or
    nomination says whether there is anything to act on yet). `what` ends the sentence
    said once the cycle closed. A cycle without any of the phases allows the action while
    it runs only when `optional`."""

    phases: tuple[str, ...]
    what: str
    early: bool = False
    optional: bool = False
    # Phases that must have closed first, when the cycle dates them: sharing waits for a
    # dated calibration phase to end, even where the sharing phase's dates overlap it.
    after: tuple[str, ...] = ()


K = PhaseKind
ACTIONS: dict[str, Action] = {
    # The reviewee proposes; the manager (or HR) approves, rejects, adds or removes peers.
    "nomination.propose": Action((K.NOMINATION,), "peers can no longer change"),
    "nomination.approve": Action((K.NOMINATION,), "peers can no longer change"),
    # A declined peer is replaced while peer reviews are still written.
    "nomination.replace": Action((K.NOMINATION, K.PEER), "peers can no longer change"),
    # A peer declines a review they were asked to write until peer reviews are due.
    "nomination.decline": Action((K.NOMINATION, K.PEER), "peers can no longer change", early=True),
    # Writing (save a draft, autosave, submit): the phase of the review's relationship.
    "review.write.self": Action((K.SELF,), "answers can no longer change"),
    "review.write.peer": Action((K.PEER,), "answers can no longer change"),
    "review.write.manager": Action((K.MANAGER,), "answers can no longer change"),
    # The manager shares; HR releases every submitted manager review at once (also on the
    # cycle's release date, which may come before the sharing phase).
    # Both wait for a dated calibration phase to close (ratings may still change in it).
    "review.share": Action((K.SHARING,), "nothing more can be shared", after=(K.CALIBRATION,)),
    "review.release": Action(
        (), "nothing more can be shared", optional=True, after=(K.CALIBRATION,)
    ),
    # The person reviewed acknowledges from the day it is shared until the phase closes.
    "review.acknowledge": Action(
        (K.ACKNOWLEDGEMENT,), "reviews can no longer be acknowledged", early=True, optional=True
    ),
    # HR reopens while the cycle runs (then extends the writing phase if it closed).
    "review.reopen": Action((), "reviews can no longer be reopened", optional=True),
    # HR adds, removes or hands on while the cycle runs.
    "cycle.participants": Action((), "who takes part can no longer change", optional=True),
}


def write_action(relationship: str) -> str:
    return f"review.write.{phase_for_relationship(relationship)}"


def refusal(cycle: Cycle, action: str, *, today: date | None = None) -> str | None:
    """None when `action` may happen in `cycle` today; else why not, in one plain sentence
    that is true: "ask HR to extend it" only while the cycle runs (HR extends a phase)."""
    rule = ACTIONS[action]
    stopped = not_running(cycle, rule.what)
    if stopped:
        return stopped
    found = phases_of(cycle)
    for kind in rule.after:
        before = found.get(kind)
        if before is not None and window_state(before, today) != "closed":
            label = PhaseKind(kind).label.lower()
            return (
                f"The {label} phase runs until {date_format(before.due_on, 'j F Y')}; "
                "reviews can be shared from the day after."
            )
    windows = [(found[k], window_state(found[k], today)) for k in rule.phases if k in found]
    if not windows:
        if rule.optional or not rule.phases:
            return None
        label = PhaseKind(rule.phases[0]).label.lower()
        return f"This cycle has no {label} phase."
    states = [state for _, state in windows]
    if "open" in states or (rule.early and "closed" not in states[-1:]):
        return None
    if all(state == "not_yet" for state in states):
        first = windows[0][0]
        label = PhaseKind(first.kind).label.lower()
        return f"The {label} phase opens on {date_format(first.opens_on, 'j F Y')}."
    last = max((phase for phase, state in windows if state == "closed"), key=lambda p: p.due_on)
    label = PhaseKind(last.kind).label.lower()
    due = date_format(last.due_on, "j F Y")
    return f"The {label} phase closed on {due}; ask HR to extend it to make changes."


def require_action(
    cycle: Cycle, action: str, *, field: str = "phase", today: date | None = None
) -> None:
    """A ValidationError naming `field` when `refusal` says no; nothing is written before."""
    why = refusal(cycle, action, today=today)
    if why:
        raise ValidationError({field: why})


def calibration_refusal(participant: Participant) -> str | None:
    """Why the participant's manager review cannot be shared yet because of calibration
    (None when it can): a session that discusses them is open, so their rating may still
    change. Locking the session lifts it."""
    if participant.calibration_state == CalibrationState.OPEN:
        return (
            f"{participant.person.display_name}'s rating is being calibrated in an open "
            "session; it can be shared once the session is locked."
        )
    return None


def writing_refusal(review: Review, *, today: date | None = None) -> str | None:
    """Why the answers of `review` can no longer change whatever its state (None: they can
    while it is open): the cycle is not running, the person left the cycle, the anonymous
    answers about them were released, or the review's writing phase is not open."""
    stopped = not_running(review.cycle, ACTIONS[write_action(review.relationship)].what)
    if stopped:
        return stopped
    participant = review.participant
    if participant.removed_at is not None:
        return "This person was removed from the cycle; the review can no longer change."
    released = participant.anonymous_released_on
    if released is not None and review.relationship in (Relationship.PEER, Relationship.UPWARD):
        return (
            f"The peer and upward answers about {review.reviewee.display_name} were released "
            f"on {date_format(released, 'j F Y')}; a late answer would stand out among them, "
            "so this review can no longer change."
        )
    return refusal(review.cycle, write_action(review.relationship), today=today)


def phase_for_relationship(relationship: str) -> str:
    return PHASE_FOR_RELATIONSHIP[relationship]  # type: ignore[index]
