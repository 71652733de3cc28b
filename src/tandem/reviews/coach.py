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
from typing import Any

from django.http import Http404

from tandem.coach.checks import Finding, Rule
from tandem.coach.registry import register_check, register_context
from tandem.reviews.models import Review
from tandem.reviews.queries.writing import review_for

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


def review_context(user: Any, ref: str) -> Mapping[str, Any] | None:
    """The context of a review being written: the reviewer's comments in their other reviews
    of the same cycle (one query). None unless the user writes this review."""
    if not ref.isdigit() or len(ref) > 18:
        return None
    try:
        review = review_for(user, int(ref))
    except Http404:
        return None
    if review.reviewer_id != getattr(user, "pk", None):
        return None
    answers = (
        Review.objects.filter(cycle_id=review.cycle_id, reviewer_id=review.reviewer_id)
        .exclude(pk=review.pk)
        .values_list("answers", flat=True)
    )
    return {"other_comments": [c for a in answers for c in _comments(a)]}


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


def register() -> None:
    register_check(rule=REPEATED, kinds=("review",), check=repeated_comment)
    register_check(rule=RATING, kinds=("review",), check=rating_evidence)
    register_context(kind="review", provider=review_context)
