"""The evidence packet: what Tandem already knows about the review period, for the person
writing the review, so nobody has to go back over a year of memory.

Everything is read through the other apps' query functions and the access scopes, as the
READER (the reviewer): a peer sees the reviewee's public goals and public praise, not the
private feedback their manager may read; a 1:1's action items only reach the two people
in it. For the manager review it also holds the self review and the submitted peer and
skip-level reviews about the person that the reader may read as rows (always with their
authors); upward reviews never reach the packet as rows — the page shows them as an
anonymous group (`queries.anonymous`).

Each list is capped (`LIMIT`) with "and N more" and a link to the full page, so the
packet costs the same number of queries for a new joiner and for a ten-year veteran.
Every item has a stable anchor ("goal-12", "feedback-88", "action-5", "review-7") that
answers may link to as "[goal: Ship v2](#goal-12)".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import can, scope
from tandem.feedback.queries import received
from tandem.goals.queries.goals import goals_for
from tandem.reviews.answers import goal_key
from tandem.reviews.models import QuestionKind, Relationship, Review, ReviewState
from tandem.reviews.versions import questions

LIMIT = 50
CHECKINS_PER_GOAL = 2
GOAL_KEYS_MAX = 200
DONE = (ReviewState.SUBMITTED, ReviewState.SHARED, ReviewState.ACKNOWLEDGED)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _end(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())


def period_goals(reader: Any, review: Review) -> QuerySet[Any]:
    """The reviewee's goals in periods that overlap the review period, as `reader` sees them."""
    cycle = review.cycle
    return goals_for(reader, person=review.reviewee).filter(
        period__start_date__lte=cycle.period_end, period__end_date__gte=cycle.period_start
    )


def has_goal_question(review: Review) -> bool:
    return any(q["kind"] == QuestionKind.GOALS for q in questions(review.template_version.content))


def goal_keys(reader: Any, review: Review) -> list[str]:
    """The item keys a goals question of this review accepts ("g<id>"): one query, none
    when the template asks about no goals."""
    if not has_goal_question(review):
        return []
    ids = period_goals(reader, review).values_list("pk", flat=True)[:GOAL_KEYS_MAX]
    return [goal_key(pk) for pk in ids]


@dataclass
class Item:
    ref: str  # the anchor, e.g. "goal-12"
    kind: str  # "goal", "feedback", "action", "review"
    title: str
    url: str = ""
    when: datetime | date | None = None
    detail: str = ""
    lines: list[str] = field(default_factory=list)
    obj: Any = None

    @property
    def link_text(self) -> str:
        """What "Link in my answer" inserts."""
        title = self.title.replace("[", "(").replace("]", ")")[:80]
        return f"[{self.kind}: {title}](#{self.ref})"


@dataclass
class Section:
    items: list[Item]
    more: int = 0  # how many beyond the cap
    more_url: str = ""


@dataclass
class Packet:
    goals: Section
    feedback: Section
    actions: Section
    reviews: Section | None = None  # the manager review only

    @property
    def is_empty(self) -> bool:
        parts = [self.goals, self.feedback, self.actions, self.reviews]
        return not any(part.items for part in parts if part is not None)


def _capped(queryset: QuerySet[Any]) -> tuple[list[Any], int]:
    rows = list(queryset[: LIMIT + 1])
    if len(rows) <= LIMIT:
        return rows, 0
    return rows[:LIMIT], queryset.count() - LIMIT


def _percent(value: Any) -> str:
    return f"{round(float(value) * 100)}%" if value is not None else ""


def goals_section(reader: Any, review: Review) -> Section:
    goals, more = _capped(period_goals(reader, review).select_related("period"))
    checkins: dict[int, list[Any]] = {goal.pk: [] for goal in goals}
    if goals:
        check_in = apps.get_model("goals", "CheckIn")
        ranked = check_in.objects.filter(goal_id__in=list(checkins)).annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("goal_id"),
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        for row in ranked.filter(rank__lte=CHECKINS_PER_GOAL).order_by("goal_id", "rank"):
            checkins[row.goal_id].append(row)
    items = []
    for goal in goals:
        parts = [f"progress {_percent(goal.progress)}"]
        if goal.health:
            parts.append(goal.get_health_display().lower())
        if goal.score is not None:
            parts.append(f"score {_percent(goal.score)}")
        lines = [
            f"{timezone.localtime(c.created_at):%d %b}: {c.get_health_display().lower()}"
            + (f" — {c.note[:200]}" if c.note else "")
            for c in checkins[goal.pk]
        ]
        items.append(
            Item(
                ref=f"goal-{goal.pk}",
                kind="goal",
                title=goal.title,
                url=reverse("goals:detail", args=[goal.pk]),
                when=goal.last_checkin_at,
                detail=f"{goal.period.name} · " + ", ".join(parts),
                lines=lines,
                obj=goal,
            )
        )
    return Section(items, more, reverse("org:person", args=[review.reviewee_id]))


def feedback_section(reader: Any, review: Review) -> Section:
    cycle = review.cycle
    feedback = (
        received(reader, review.reviewee)
        .filter(created_at__gte=_start(cycle.period_start), created_at__lte=_end(cycle.period_end))
        .select_related("giver")
        .order_by("-created_at", "-pk")
    )
    rows, more = _capped(feedback)
    items = [
        Item(
            ref=f"feedback-{row.pk}",
            kind="praise" if row.is_praise else "feedback",
            title=f"{'Praise' if row.is_praise else 'Feedback'} from {row.giver.display_name}",
            url=reverse("feedback:detail", args=[row.pk]),
            when=row.created_at,
            detail=row.text[:600],
            obj=row,
        )
        for row in rows
    ]
    return Section(items, more, reverse("feedback:person_timeline", args=[review.reviewee_id]))


def actions_section(reader: Any, review: Review) -> Section:
    """Action items of the reviewee's 1:1s in the period, for a reader who is in that 1:1
    (the content rule of meetings: nobody else, not HR, not a peer)."""
    series_model = apps.get_model("meetings", "Series")
    action_model = apps.get_model("meetings", "ActionItem")
    person = review.reviewee_id
    series = scope(
        reader,
        series_model.objects.filter(Q(report_id=person) | Q(manager_id=person)),
        purpose="content",
    )
    cycle = review.cycle
    actions = (
        action_model.objects.filter(
            series__in=series.values("pk"),
            origin_starts_at__gte=_start(cycle.period_start),
            origin_starts_at__lte=_end(cycle.period_end),
        )
        .select_related("owner")
        .order_by("-origin_starts_at", "-pk")
    )
    rows, more = _capped(actions)
    items = [
        Item(
            ref=f"action-{row.pk}",
            kind="action",
            title=row.text[:200],
            url=reverse("meetings:meeting", args=[row.origin_id]),
            when=row.origin_starts_at,
            detail=f"{row.owner.display_name} · " + ("done" if row.done_at else "open"),
            obj=row,
        )
        for row in rows
    ]
    return Section(items, more, "")


AUTHOR_WORD = {
    Relationship.PEER: "Peer",
    Relationship.UPWARD: "Report",
    Relationship.SKIP_LEVEL: "Skip-level manager",
}


def author_labels(reader: Any, reviews: list[Review]) -> dict[int, str]:
    """The name to show for each review's author. A reader who may not know a writer never
    gets that review as a row (`reviews.rules`), so the stand-in word is only a safety net
    and carries no number: a number would follow some order, and orders can be matched."""
    return {
        review.pk: review.reviewer.display_name
        if can(reader, "review.see_author", review)
        else AUTHOR_WORD.get(Relationship(review.relationship), "Reviewer")
        for review in reviews
    }


def reviews_about(reader: Any, review: Review) -> list[Review]:
    """The other reviews about the same participant that the reader may read as rows: the
    self review and submitted peer and skip-level reviews (one query; never upward ones)."""
    return list(
        scope(reader, Review.objects.filter(participant_id=review.participant_id))
        .exclude(pk=review.pk)
        .exclude(relationship=Relationship.MANAGER)
        .filter(state__in=DONE)
        .select_related(
            "reviewer",
            "cycle",
            "template_version",
            "participant__department",
            "participant__person",
            "participant__framework_snapshot",
        )
        .order_by("relationship", "submitted_at", "pk")[:LIMIT]
    )


def reviews_section(reader: Any, review: Review) -> Section:
    rows = reviews_about(reader, review)
    labels = author_labels(reader, rows)
    items = [
        Item(
            ref=f"review-{row.pk}",
            kind="review",
            title=f"{row.get_relationship_display()} by {labels[row.pk]}",
            url=reverse("reviews:review", args=[row.pk]),
            when=row.submitted_at,
            obj=row,
        )
        for row in rows
    ]
    return Section(items, 0, "")


def packet(reader: Any, review: Review) -> Packet:
    """The whole packet for `review` as `reader` may see it."""
    return Packet(
        goals=goals_section(reader, review),
        feedback=feedback_section(reader, review),
        actions=actions_section(reader, review),
        reviews=reviews_section(reader, review)
        if review.relationship == Relationship.MANAGER
        else None,
    )
