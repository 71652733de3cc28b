"""Shapes of review cycles over the API: what goes in (validated, each error naming its
field) and what comes out (only what the caller may see; hidden authors come back null
with a label such as "Peer 1")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from tandem.core.api import MAX_ID, ErrorOut, InSchema
from tandem.org.schemas import PersonRef

MAX_TEXT = 20_000


# --- Frozen questions ------------------------------------------------------------------------


class ScalePointOut(Schema):
    value: int
    label: str
    description: str


class ScaleOut(Schema):
    name: str
    points: list[ScalePointOut]


class QuestionItemOut(Schema):
    key: str = Field(description='"c1".. for competencies, "v<id>" for values, "g<id>" for goals')
    name: str
    description: str


class QuestionOut(Schema):
    """A question as the review's frozen template version has it. Answers are keyed by `key`."""

    key: str
    kind: str
    prompt: str
    help_text: str
    required: bool
    allow_comment: bool
    is_overall: bool
    scale: ScaleOut | None = Field(description="null: written answer only, no rating")
    items: list[QuestionItemOut]
    items_source: str = Field(
        "listed",
        description="Competency questions: 'listed' (the template's own list) or 'framework' "
        "(the person's career framework at launch: item keys are its competency keys)",
    )


class SectionOut(Schema):
    title: str
    description: str
    questions: list[QuestionOut]


class FormOut(Schema):
    name: str
    relationship: str
    description: str
    sections: list[SectionOut]


# --- Templates -------------------------------------------------------------------------------


class TemplateVersionOut(Schema):
    id: int
    number: int
    created_at: datetime


class TemplateOut(Schema):
    id: int
    name: str
    relationship: str
    description: str
    archived_at: datetime | None
    updated_at: datetime
    versions: list[TemplateVersionOut] = Field(description="Frozen versions, newest first")


class TemplatePageOut(Schema):
    items: list[TemplateOut]
    next_cursor: str | None


class EditableScaleOut(Schema):
    id: int
    name: str
    points: list[ScalePointOut]


class EditableQuestionOut(Schema):
    id: int
    position: int
    kind: str
    prompt: str
    help_text: str
    required: bool
    allow_comment: bool
    is_overall: bool
    scale: EditableScaleOut | None
    items: list[dict[str, Any]] = Field(description="Competencies: name and description")
    items_source: str = Field(
        description="'listed' (the items above) or 'framework' (each person's career framework)"
    )


class EditableSectionOut(Schema):
    id: int
    position: int
    title: str
    description: str
    questions: list[EditableQuestionOut]


class TemplateDetailOut(TemplateOut):
    sections: list[EditableSectionOut]


class TemplateFilters(Schema):
    relationship: str | None = Field(
        None, pattern="^(self|manager|peer|upward|skip_level)$", description="Only this kind"
    )
    archived: bool = Field(False, description="Include archived templates")
    cursor: str | None = Field(None, max_length=40, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


# --- Cycles ----------------------------------------------------------------------------------


class CycleRef(Schema):
    id: int
    name: str


class PhaseOut(Schema):
    kind: str
    label: str
    opens_on: date
    due_on: date
    window: str = Field(description="open, not_yet or closed (company time zone)")


class CycleFormOut(Schema):
    relationship: str
    label: str
    template: CycleRef
    version: int | None = Field(description="Frozen version number; null before launch")


class CycleSettingsOut(Schema):
    peers_anonymous_to_reviewee: bool
    peer_names_hidden_from_hr: bool
    reviewee_sees_peer_reviews: bool
    peers_min: int
    peers_max: int
    peer_review_cap: int
    release_on: date | None
    released_at: datetime | None


class ScoreWeightsOut(Schema):
    goals: int
    competencies: int
    manager: int
    self: int
    peers: int


class CycleScoresOut(Schema):
    method: str
    label: str
    weights: ScoreWeightsOut = Field(description="Percentages summing to 100 (weighted mix)")


class LaunchOut(Schema):
    total: int
    done: int
    error: str


class CycleOut(Schema):
    id: int
    name: str
    description: str
    period_start: date
    period_end: date
    status: str
    status_label: str
    use_for: str = Field(
        description="HR's choice for the cycle: development, calibration or pay_promotion. "
        "What the results are actually used for (calibration only with a calibration step) "
        "is the first sentence of the cycle's who_reads"
    )
    use_for_label: str
    launched_at: datetime | None
    closed_at: datetime | None


class CyclePageOut(Schema):
    items: list[CycleOut]
    next_cursor: str | None


class CycleDetailOut(CycleOut):
    forms: list[CycleFormOut]
    phases: list[PhaseOut]
    current_phase: str | None = Field(description="The latest phase open today")
    settings: CycleSettingsOut
    scores: CycleScoresOut
    who_reads: list[str] = Field(
        description="In plain words: first what the results are used for (the sentence every "
        "review form shows), then who reads each kind of review"
    )
    launch: LaunchOut | None = Field(description="Background launch progress (HR admins)")


class CycleFilters(Schema):
    status: str | None = Field(None, pattern="^(draft|launching|active|closed)$")
    cursor: str | None = Field(None, max_length=40, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


# --- Participants ----------------------------------------------------------------------------


class SnapshotDepartmentOut(Schema):
    id: int | None
    name: str


class SnapshotManagerOut(Schema):
    id: int | None
    display_name: str


class ReviewCountOut(Schema):
    relationship: str
    state: str
    count: int


class AnonymousStatusOut(Schema):
    relationship: str
    label: str
    status: str = Field(
        description="not_yet / enough (phase open, counted to the start of today), closed "
        "(released by the next daily run), released (answers readable), withheld (fewer "
        "than the minimum answered)"
    )
    status_text: str
    minimum: int = Field(description="The fewest answers that are ever shown")
    answered: int | None = Field(description="How many answered; null while the phase is open")


class AnonymousItemOut(Schema):
    key: str
    name: str
    rating: int | None
    rating_label: str
    comment: str


class AnonymousAnswerOut(Schema):
    rating: int | None
    rating_label: str
    comment: str
    items: list[AnonymousItemOut]


class AnonymousQuestionOut(Schema):
    key: str
    kind: str
    prompt: str
    answers: list[AnonymousAnswerOut] = Field(
        description="One per person who answered, in an order that says nothing about who"
    )


class AnonymousSectionOut(Schema):
    title: str
    questions: list[AnonymousQuestionOut]


class AnonymousGroupOut(AnonymousStatusOut):
    sections: list[AnonymousSectionOut] = Field(description="Empty until released")


class ParticipantOut(Schema):
    """A person reviewed in a cycle, as they were at launch (or when added late)."""

    id: int
    cycle_id: int
    person: PersonRef
    title: str
    level: str
    department: SnapshotDepartmentOut | None
    manager: SnapshotManagerOut | None
    added_late: bool
    removed_at: datetime | None
    removed_reason: str | None = Field(description="HR admins only")
    shared_at: datetime | None
    acknowledged_at: datetime | None
    acknowledgement_comment: str
    overall_score: Decimal | None = Field(
        description="For the person themselves only once their reviews are shared"
    )
    score_parts: dict[str, Any] | None
    calibration_state: str = Field(
        description='"" (not calibrated), "open" (an open calibration session discusses the '
        'person: the manager review cannot be shared yet) or "locked" (calibrated); for the '
        "person themselves only where `calibrated_from` is shown"
    )
    final_rating: int | None = Field(
        description="The rating of record once a calibration session locked (points of the "
        "manager review's overall question); null before. For the person themselves only "
        "once their review is shared"
    )
    final_rating_points: int | None = Field(description="The size of that rating's scale")
    calibrated_from: int | None = Field(
        description="The manager's rating before calibration changed it (null when "
        "unchanged). HR and the managers; the person themselves only when the program shows "
        "calibration to employees"
    )
    calibration_reason: str | None = Field(
        description="The one-sentence reason for the change, where `calibrated_from` is shown"
    )
    reviews: list[ReviewCountOut] = Field(
        description="How many reviews are in each state, for the kinds of review whose writers "
        "you may know; the others are in `anonymous`"
    )
    anonymous: list[AnonymousStatusOut] = Field(
        description="Kinds of review whose writers are anonymous to you and that you may read "
        "as a group: never per-writer states or counts while the phase is open"
    )


class ParticipantPageOut(Schema):
    items: list[ParticipantOut]
    next_cursor: str | None


class ParticipantFilters(Schema):
    manager: int | None = Field(None, ge=1, le=MAX_ID, description="Manager at launch (id)")
    department: int | None = Field(None, ge=1, le=MAX_ID, description="Department at launch")
    removed: bool = Field(False, description="Include people removed from the cycle")
    cursor: str | None = Field(None, max_length=400, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


# --- Nominations -----------------------------------------------------------------------------


class NominationOut(Schema):
    id: int
    cycle_id: int
    participant_id: int
    reviewee: PersonRef
    peer: PersonRef
    status: str
    status_label: str
    peer_load: int = Field(description="Peer reviews the peer is asked to write in this cycle")
    nominated_by: PersonRef | None
    decided_by: PersonRef | None
    decided_at: datetime | None
    decline_reason: str | None = Field(description="The peer, managers and HR only")
    created_at: datetime


class NominationPageOut(Schema):
    items: list[NominationOut]
    next_cursor: str | None


class NominationFilters(Schema):
    status: str | None = Field(None, pattern="^(proposed|approved|rejected|declined)$")
    peer: int | None = Field(None, ge=1, le=MAX_ID, description="Only this peer's nominations")
    cursor: str | None = Field(None, max_length=40, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


# --- Reviews ---------------------------------------------------------------------------------


class ReviewOut(Schema):
    id: int
    cycle: CycleRef
    participant_id: int
    reviewee: PersonRef
    reviewer: PersonRef | None = Field(
        description="Always set: a review whose writer you may not know is never listed"
    )
    reviewer_label: str = Field(description="The reviewer's name")
    relationship: str
    relationship_label: str
    state: str
    state_label: str
    version: int = Field(description="Send it back when saving; a newer one means a conflict")
    due_on: date | None = Field(description="When the phase this review is written in closes")
    saved_at: datetime | None
    submitted_at: datetime | None
    shared_at: datetime | None
    acknowledged_at: datetime | None


class ReviewPageOut(Schema):
    items: list[ReviewOut]
    next_cursor: str | None


class ReviewDetailOut(ReviewOut):
    answers: dict[str, Any] = Field(
        description='{question_key: {"rating": int|null, "comment": str, "items": '
        '{item_key: {"rating", "comment"}}}}'
    )
    form: FormOut = Field(description="The frozen questions this review is written against")
    who_reads: list[str] = Field(
        description="For the writer: who will read this review and what it is used for"
    )
    active_seconds: int | None = Field(description="Time spent writing; the reviewer and HR")
    started_at: datetime | None
    writable: bool = Field(
        description="Whether you can save and submit this review now (you write it, it is "
        "not submitted, the cycle runs and its writing phase is open)"
    )
    read_only_reason: str = Field(
        description="Why the answers can no longer change (the cycle closed, the writing "
        "phase closed or has not opened, …); empty when they can"
    )


class ReviewFilters(Schema):
    role: Literal["writer", "reviewee", "all"] = Field(
        "writer",
        description="writer: reviews you write; reviewee: reviews about you that you may "
        "read; all: every review you may read",
    )
    cycle: int | None = Field(None, ge=1, le=MAX_ID, description="Cycle id")
    participant: int | None = Field(None, ge=1, le=MAX_ID, description="Participant id")
    state: str | None = Field(
        None, pattern="^(not_started|in_progress|submitted|shared|acknowledged|reopened|open)$"
    )
    work: Literal["to_do", "history"] | None = Field(
        None,
        description="to_do: reviews that can be written now (cycle running, writing phase "
        "open, not submitted); history: all the others, which can no longer change",
    )
    cursor: str | None = Field(None, max_length=40, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


# --- Writes ----------------------------------------------------------------------------------

# Review.version is a PositiveIntegerField; anything beyond it cannot be a version we wrote.
MAX_VERSION = 2**31 - 1


class ReviewDraftIn(InSchema):
    answers: dict[str, Any] = Field(
        description="Only the questions that changed; each replaces its stored answer"
    )
    version: int = Field(ge=0, le=MAX_VERSION, description="The version you read")
    active_seconds: int = Field(
        0, ge=0, le=86_400, description="Seconds spent writing since the last save"
    )


class ReviewSubmitIn(InSchema):
    answers: dict[str, Any] | None = Field(None, description="Last changes, saved before submit")
    version: int = Field(ge=0, le=MAX_VERSION, description="The version you read")
    active_seconds: int = Field(0, ge=0, le=86_400)


class ConflictOut(ErrorOut):
    """409: someone saved the review since the version you sent; nothing was changed. The
    one error shape, plus the version to reload."""

    current_version: int = Field(description="Reload the review at this version, then merge")


PersonId = Annotated[int, Field(ge=1, le=MAX_ID)]


class PeersIn(InSchema):
    peers: list[PersonId] = Field(max_length=50, description="Person ids, in the order you prefer")


class ApprovePeersIn(InSchema):
    peers: list[PersonId] | None = Field(
        None,
        max_length=50,
        description="The final list of peers; leave out to approve every proposed peer",
    )


class ReasonIn(InSchema):
    reason: str = Field(max_length=500)


class ReplacePeerIn(InSchema):
    peer: int = Field(ge=1, le=MAX_ID, description="The person who reviews instead")


class AcknowledgeIn(InSchema):
    comment: str = Field("", max_length=5_000, description="Optional, read by your manager")


# --- Progress --------------------------------------------------------------------------------


class PhaseFigureOut(Schema):
    key: str = Field(description='A relationship, or "nomination", "sharing", "acknowledgement"')
    label: str
    phase: str | None = Field(description="The phase this is done in")
    window: str = Field(description="open, not_yet, closed or none")
    due_on: date | None
    total: int
    done: int | None = Field(description="null while counts_hidden")
    in_progress: int | None = Field(description="null while counts_hidden")
    not_started: int | None = Field(description="null while counts_hidden")
    overdue: int | None = Field(description="Still open after the phase closed")
    waiting: int
    waiting_label: str
    percent: int | None = Field(description="done / total, 0..100; null when there are none")
    counts_hidden: bool = Field(
        description="Upward reviews while their phase is open, for callers who may not follow "
        "their writers: only the total is given (docs/anonymity.md)"
    )


class GroupFigureOut(Schema):
    id: int | None = Field(description="Department or manager id at launch; null for none")
    name: str
    people: int
    shared: int
    total: int = Field(description="Reviews about these people")
    done: int
    manager_total: int
    manager_done: int
    percent: int | None


class ProgressOut(Schema):
    """Figures over the people you follow in the cycle: HR admins everyone, HR partners their
    departments, managers everyone under them (not themselves)."""

    cycle: CycleRef
    current_phase: str | None
    participants: int
    reviews_total: int
    reviews_done: int
    overdue: int
    phases: list[PhaseFigureOut]
    departments: list[GroupFigureOut] = Field(description="By department at launch")


class ManagerProgressPageOut(Schema):
    items: list[GroupFigureOut]
    next_cursor: str | None


class ManagerProgressFilters(Schema):
    cursor: str | None = Field(None, max_length=400, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)
