"""The one state machine every review follows.

not started → in progress → submitted → shared → acknowledged, and HR may reopen a
submitted, shared or acknowledged review (with a reason; the previous version is kept),
after which it is submitted again. Nothing else moves a review: in particular nothing
leaves "acknowledged" except a reopen by HR.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tandem.reviews.models import ReviewState

S = ReviewState

# event → (states it may start from, state it ends in). "save" keeps a reopened review
# reopened until it is submitted again.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "save": (frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.REOPENED}), None),
    "submit": (frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.REOPENED}), S.SUBMITTED),
    "share": (frozenset({S.SUBMITTED}), S.SHARED),
    "acknowledge": (frozenset({S.SHARED}), S.ACKNOWLEDGED),
    "reopen": (frozenset({S.SUBMITTED, S.SHARED, S.ACKNOWLEDGED}), S.REOPENED),
}

EVENTS = tuple(TRANSITIONS)

WHY_NOT = {
    "save": "This review was already submitted; ask HR to reopen it to change it.",
    "submit": "This review was already submitted.",
    "share": "Only a submitted manager review can be shared.",
    "acknowledge": "Only a review that was shared with you can be acknowledged.",
    "reopen": "Only a submitted, shared or acknowledged review can be reopened.",
}


def can_happen(state: str, event: str) -> bool:
    sources, _ = TRANSITIONS[event]
    return state in sources


def next_state(state: str, event: str) -> str:
    """The state after `event`, or a ValidationError that says why it cannot happen."""
    sources, target = TRANSITIONS[event]
    if state not in sources:
        raise ValidationError({"state": WHY_NOT[event]})
    if target is None:  # a save
        return S.IN_PROGRESS if state == S.NOT_STARTED else state
    return target


def label(state: str) -> str:
    return ReviewState(state).label
