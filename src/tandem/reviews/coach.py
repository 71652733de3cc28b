"""The review checks the feedback coach runs beside a review answer, plugged into
`tandem.coach.registry` from ReviewsConfig.ready() (the coach never imports reviews).

- **Repeated comment**: a sentence written word for word in this reviewer's other reviews
  of the same cycle says nothing about this person ("a comment that repeats the same
  sentence for several reports of the same manager").
- **Rating far from the evidence**: the top rating while every goal of the period is off
  track, or the bottom rating with recent praise — not wrong, but the answer should say
  why. The check reads a context of counts; the review page supplies the rating.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.utils import timezone

from tandem.coach.checks import Finding, Rule
from tandem.coach.panel import seen_rules
from tandem.coach.registry import register_check, register_context
from tandem.coach.services import count_submission
from tandem.feedback.queries import received
from tandem.reviews.evidence import period_goals
from tandem.reviews.models import Relationship, Review
from tandem.reviews.queries.writing import review_for
from tandem.reviews.versions import points_of, question_map

# The goals app's "off track" health and feedback's public (praise) visibility, by value:
# reviews reads other features through their queries only, never their models.
OFF_TRACK = "off_track"
PUBLIC = "public"
PRAISE_DAYS = 90

REPEATED = Rule(
    "repeated_comment",
    "Same sentence for several people",
    "A sentence you wrote word for word for other people you review says nothing about "
    "this one; say what this person did.",
    'Instead of the shared "A reliable team member who delivers": "Maya\'s rewrite of '
    'the billing export in March cut the support tickets about it to zero."',
)
RATING = Rule(
    "rating_evidence",
    "Rating far from the evidence",
    "The top rating with every goal off track, or the bottom rating with recent praise, "
    "needs its reason in the answer.",
    "\"I rate this 'exceeds' although both goals slipped: the goals were cut in May when "
    'Maya took over the on-call rota, which she rebuilt."',
)

# A sentence worth comparing: six words or more (short ones, "Well done.", repeat by nature).
MIN_WORDS = 6
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_SPACE = re.compile(r"\s+")


def _sentences(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _SENTENCE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if len(stripped.split()) < MIN_WORDS:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        yield start, start + len(stripped), _SPACE.sub(" ", stripped.rstrip(".!?")).casefold()


def repeated_comment(text: str, context: Mapping[str, Any]) -> Iterator[Finding]:
    others: Iterable[str] = context.get("other_comments") or ()
    seen: dict[str, int] = {}
    for other in others:
        for sentence in {key for _, _, key in _sentences(other)}:
            seen[sentence] = seen.get(sentence, 0) + 1
    for start, end, key in _sentences(text):
        count = seen.get(key, 0)
        if count:
            yield Finding(
                rule=REPEATED.id,
                start=start,
                end=end,
                message=f"You wrote this sentence in {count} other review"
                f"{'s' if count > 1 else ''} of this cycle.",
                suggestion=REPEATED.example,
            )


def rating_evidence(text: str, context: Mapping[str, Any]) -> Iterator[Finding]:
    rating = context.get("rating")  # "top", "bottom" or anything else
    goals = int(context.get("goals_total") or 0)
    off_track = int(context.get("goals_off_track") or 0)
    praise = int(context.get("recent_praise") or 0)
    if rating == "top" and goals and off_track == goals:
        why = f"the top rating, while all {goals} goals of the period are off track"
    elif rating == "bottom" and praise:
        why = f"the bottom rating, with {praise} recent praise for this person"
    else:
        return
    yield Finding(
        rule=RATING.id,
        start=0,
        end=len(text),
        message=f"This answer gives {why}; say why.",
        suggestion=RATING.example,
    )


def review_context(user: Any, ref: str, data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The context of a review being written, from `ref` = "<review id>:<question key>":
    the reviewer's comments in their other reviews of the same cycle, and — for a rated
    question — where the rating picked (sent by the panel, saved or not) sits on its scale,
    with the reviewee's goals of the period that are off track and the praise they received
    in the last 90 days, as the reviewer may see them. None unless the user writes this
    review. A handful of queries, whatever the cycle's size."""
    review_id, _, question_key = ref.partition(":")
    if not review_id.isdigit() or len(review_id) > 18:
        return None
    try:
        review = review_for(user, int(review_id))
    except Http404:
        return None
    if review.reviewer_id != getattr(user, "pk", None):
        return None
    answers = (
        Review.objects.filter(cycle_id=review.cycle_id, reviewer_id=review.reviewer_id)
        .exclude(pk=review.pk)
        .values_list("answers", flat=True)
    )
    context: dict[str, Any] = {"other_comments": [c for a in answers for c in _comments(a)]}
    position = _rating_position(review, question_key, data.get(f"{question_key}-rating"))
    if position:
        goals = period_goals(user, review).aggregate(
            total=Count("pk"), off_track=Count("pk", filter=Q(health=OFF_TRACK))
        )
        since = timezone.now() - timedelta(days=PRAISE_DAYS)
        context.update(
            rating=position,
            goals_total=goals["total"],
            goals_off_track=goals["off_track"],
            recent_praise=received(user, review.reviewee)
            .filter(visibility=PUBLIC, created_at__gte=since)
            .count(),
        )
    return context


def _rating_position(review: Review, question_key: str, picked: Any) -> str:
    """ "top" or "bottom" when the rating picked is the scale's highest or lowest point."""
    if not question_key or not isinstance(picked, str) or not picked:
        return ""
    question = question_map(review.template_version.content).get(question_key)
    if question is None or not points_of(question):
        return ""
    values = [str(point["value"]) for point in question["scale"]["points"]]
    if picked == values[-1]:
        return "top"
    if picked == values[0]:
        return "bottom"
    return ""


def _comments(answers: Any) -> Iterator[str]:
    if not isinstance(answers, dict):
        return
    for answer in answers.values():
        if not isinstance(answer, dict):
            continue
        if isinstance(answer.get("comment"), str):
            yield answer["comment"]
        for item in (answer.get("items") or {}).values():
            if isinstance(item, dict) and isinstance(item.get("comment"), str):
                yield item["comment"]


def count_review_submission(user: Any, review: Review, data: QueryDict) -> None:
    """On submit, the coach's text rules run once more over every comment of the review, and
    add to HR's counts (no text kept), with what the panels showed while it was written.
    An upward review is anonymous: it is counted as upward, without a department."""
    kind = "upward" if review.relationship == Relationship.UPWARD else "review"
    for field, text in _fields(review.answers):
        count_submission(author=user, kind=kind, text=text, seen=seen_rules(data, field))


def _fields(answers: Any) -> Iterator[tuple[str, str]]:
    """(form field name, comment) for every written comment of the answers."""
    if not isinstance(answers, dict):
        return
    for key, answer in answers.items():
        if not isinstance(answer, dict):
            continue
        comment = answer.get("comment")
        if isinstance(comment, str) and comment.strip():
            yield f"{key}-comment", comment
        items = answer.get("items")
        for item_key, item in items.items() if isinstance(items, dict) else ():
            comment = item.get("comment") if isinstance(item, dict) else None
            if isinstance(comment, str) and comment.strip():
                yield f"{key}-{item_key}-comment", comment


def register() -> None:
    register_check(rule=REPEATED, kinds=("review",), check=repeated_comment)
    register_check(rule=RATING, kinds=("review",), check=rating_evidence)
    register_context(kind="review", provider=review_context)
