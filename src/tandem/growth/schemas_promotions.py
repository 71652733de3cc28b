"""The API shapes of promotion windows and cases."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from tandem.core.api import Choice, DateIn, IdIn, InSchema
from tandem.growth.models import Outcome
from tandem.growth.schemas_profile import ProfileCompetencyOut


class PromotionWindowOut(Schema):
    id: int
    name: str
    opens_on: date
    cases_due_on: date = Field(description="No new case is opened after this day")
    decisions_due_on: date
    closed_at: datetime | None = Field(description="Once closed, no case changes")


class PromotionWindowIn(InSchema):
    name: str = Field(max_length=150)
    opens_on: DateIn
    cases_due_on: DateIn
    decisions_due_on: DateIn
    committee_ids: list[IdIn] = Field(default_factory=list, max_length=50)


class PromotionPersonOut(Schema):
    id: int
    name: str


class PromotionLevelOut(Schema):
    id: int
    code: str
    title: str
    track: str


class PromotionCommentOut(Schema):
    id: int
    author: PromotionPersonOut
    text: str
    created_at: datetime


class PromotionCaseOut(Schema):
    id: int
    window_id: int
    person: PromotionPersonOut
    author: PromotionPersonOut
    from_level: PromotionLevelOut | None
    target_level: PromotionLevelOut
    status: str = Field(description="draft, in_review, decided or withdrawn")
    submitted_at: datetime | None
    outcome: str = Field(description='promoted, not_yet, or "" until decided')
    decision_reason: str
    development_actions: str
    effective_on: date | None
    decided_at: datetime | None


class PromotionCaseDetailOut(PromotionCaseOut):
    text: str = Field(description="The case as its author wrote it; empty for the person alone")
    comments: list[PromotionCommentOut] = Field(
        description="Empty for the person the case is about"
    )


class PromotionCaseIn(InSchema):
    window_id: IdIn
    person_id: IdIn
    target_level_id: IdIn
    text: str = Field("", max_length=20000)


class PromotionSubmitIn(InSchema):
    text: str | None = Field(None, max_length=20000, description="Replaces the text when given")


class PromotionCommentIn(InSchema):
    text: str = Field(max_length=5000)


class PromotionDecideIn(InSchema):
    outcome: Choice[Outcome]
    reason: str = Field(max_length=5000, description="Required; the person reads it")
    effective_on: DateIn | None = Field(None, description="Required for promoted")
    development_actions: str = Field(
        "", max_length=5000, description='Required for "not_yet": what would make the case'
    )


class PromotionRateGroupOut(Schema):
    group: str = Field(description='The value, or "Not given" for people without one.')
    n: int | None = Field(description="Decided cases in the group; null when suppressed.")
    promotion_rate: float | None = Field(description="Share promoted, 0 to 1.")
    impact_ratio: float | None = Field(
        description="promotion_rate over the highest rate among the groups shown; below 0.8 "
        "fails the four-fifths rule."
    )
    suppressed: bool = Field(
        description="True when the group has fewer people than min_group_size (its figures "
        "are null and it is left out of the ratios and the test)."
    )


class PromotionRateTestOut(Schema):
    method: str = Field(description='"chi-square": test of independence of group and outcome.')
    statistic: float | None
    dof: int | None
    p_value: float | None = Field(description="Null when fewer than two groups are shown.")


class PromotionFairnessOut(Schema):
    attribute: str
    min_group_size: int
    groups: list[PromotionRateGroupOut]
    test: PromotionRateTestOut


class EvidenceGoalOut(Schema):
    id: int
    title: str
    period: str
    progress: int = Field(description="Percent done")
    score: int | None = Field(description="Percent scored once the goal was closed and scored")


class EvidenceFeedbackOut(Schema):
    id: int
    giver: PromotionPersonOut
    text: str
    visibility: str
    created_at: datetime


class EvidenceReviewOut(Schema):
    review_id: int
    cycle_name: str
    period_end: date
    shared_at: datetime | None
    overall_score: float | None = Field(description="0-100")
    final_rating: int | None = Field(description="The rating of record once calibrated")
    final_rating_points: int | None


class EvidenceLevelStepOut(Schema):
    from_level: PromotionLevelOut | None
    to_level: PromotionLevelOut
    effective_on: date
    source: str


class PromotionEvidenceOut(Schema):
    """What the case rests on, as the caller may read it (never more than elsewhere)."""

    case_id: int
    competencies: list[ProfileCompetencyOut] = Field(
        description="Ratings against the target level's expectations"
    )
    competencies_note: str = Field(description="Why the list is empty, in plain words")
    goals: list[EvidenceGoalOut] = Field(description="Goals of the last periods (at most 20)")
    feedback: list[EvidenceFeedbackOut] = Field(description="The latest the caller may read")
    feedback_total: int
    praise: int = Field(description="How many of feedback_total are public praise")
    reviews: list[EvidenceReviewOut] = Field(description="Reviews shared with the person")
    current_level: PromotionLevelOut | None
    at_level_since: date | None
    days_at_level: int | None
    history: list[EvidenceLevelStepOut]
