"""The coach's API shapes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from ninja import Schema
from pydantic import Field

from tandem.core.api import Choice, InSchema

# The most text one check reads; the longest answer any form takes is shorter.
MAX_TEXT = 100_000


class CoachKind(StrEnum):
    FEEDBACK = "feedback"
    PRAISE = "praise"
    REVIEW = "review"
    UPWARD = "upward"
    REQUEST = "request"


class CheckIn(InSchema):
    text: str = Field(max_length=MAX_TEXT, description="The text to check; nothing is stored.")
    kind: Choice[CoachKind] = Field(
        CoachKind.FEEDBACK, description="What the text is: the checks differ a little by kind."
    )
    review: str = Field(
        "",
        pattern=r"^(\d{1,18}(:[\w-]{1,40})?)?$",
        description="For kind review: the review being written and its question, as "
        '"<review id>:<question key>" (e.g. "812:q3"). The review checks then also run: '
        "a sentence repeated from the writer's other reviews of the cycle and, with "
        "`rating`, a rating far from the evidence. Only the review's writer may name it.",
    )
    rating: str = Field(
        "",
        max_length=40,
        description="For kind review with `review`: the rating value picked for that "
        "question, saved or not.",
    )


class FindingOut(Schema):
    rule: str = Field(description="The rule's stable id, e.g. personality, vague, hedge")
    span: list[int] = Field(
        description="[start, end): offsets into the text in Unicode code points (an emoji "
        "is one, a letter with a combining accent two), as Python's str and JavaScript's "
        "Array.from(text) count them — not UTF-16 units, not bytes"
    )
    message: str = Field(description="Why this was flagged, in one sentence")
    suggestion: str = Field(description="An example of a better phrasing")


class StructureOut(Schema):
    situation: bool
    behaviour: bool
    impact: bool


class CheckOut(Schema):
    findings: list[FindingOut]
    structure: StructureOut = Field(
        description="Which parts of Situation–Behaviour–Impact the text names"
    )


class PlaybookOut(Schema):
    """A playbook with the caller's own progress."""

    slug: str
    title: str
    summary: str
    version: int
    steps_total: int
    steps_done: list[int] = Field(description="The positions (from 1) of the steps marked done")
    quiz_passed: bool
    completed: bool
    completed_at: datetime | None


class PlaybookListOut(Schema):
    playbooks: list[PlaybookOut]
    new_manager: bool = Field(
        description="True when the caller's first report arrived within the last 90 days"
    )
    new_manager_path: list[str] = Field(
        description="The slugs of the “Your first weeks as a manager” path, in order"
    )


class PlaybookQuizIn(InSchema):
    answers: list[int | None] = Field(
        max_length=10,
        description="For each question in order, the index (from 0) of the choice picked; "
        "null or a missing one counts as wrong",
    )


class PlaybookAnswerOut(Schema):
    position: int
    correct: bool
    explanation: str = Field(description="Why the right answer is right")


class PlaybookQuizOut(Schema):
    passed: bool
    right: int
    answers: list[PlaybookAnswerOut]
    playbook: PlaybookOut = Field(description="The caller's progress after this try")
