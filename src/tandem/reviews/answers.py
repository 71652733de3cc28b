"""Checking a review's answers against the frozen template version it is written on.

Answers come from a form, an autosave or the API as {question_key: {"rating", "comment",
"items": {item_key: {"rating", "comment"}}}}. Anything wrong is answered with a message
that names the question (by its prompt) under the question's key, never a server error;
the caller saves nothing. Goal items are the reviewee's goals of the review period that the
reviewer may see ("g<goal id>"), passed in as `goal_keys`, because they are not frozen.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from tandem.core.validation import NOT_TEXT, unstorable
from tandem.reviews import versions
from tandem.reviews.models import QuestionKind

COMMENT_MAX = 10_000
ITEM_KINDS = frozenset({QuestionKind.COMPETENCIES, QuestionKind.GOALS, QuestionKind.VALUES})
Answers = dict[str, dict[str, Any]]


def goal_key(goal_id: int) -> str:
    return f"g{goal_id}"


def item_keys(question: Mapping[str, Any], goal_keys: Collection[str]) -> list[str]:
    """The items a question asks about: frozen competencies and values, or the goals."""
    if question["kind"] == QuestionKind.GOALS:
        return sorted(goal_keys, key=lambda key: int(key[1:]) if key[1:].isdigit() else 0)
    return [item["key"] for item in question.get("items") or []]


def _prompt(question: Mapping[str, Any]) -> str:
    return f"“{question['prompt']}”"


def _rating(question: Mapping[str, Any], raw: Any, where: str = "") -> int | None:
    if raw is None or raw == "":
        return None
    points = versions.points_of(dict(question))
    if points == 0:
        raise ValueError(f"{_prompt(question)}{where}: this question takes no rating.")
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) < 4:
        value = int(raw.strip())
    if value is None or not 1 <= value <= points:
        raise ValueError(f"{_prompt(question)}{where}: choose a rating from 1 to {points}.")
    return value


def _comment(question: Mapping[str, Any], raw: Any, where: str = "") -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValueError(f"{_prompt(question)}{where}: the comment must be text.")
    if unstorable(raw):
        raise ValueError(f"{_prompt(question)}{where}: the comment {NOT_TEXT}.")
    text = raw.replace("\r\n", "\n")
    if len(text) > COMMENT_MAX:
        raise ValueError(
            f"{_prompt(question)}{where}: keep the comment under {COMMENT_MAX:,} characters "
            f"(it has {len(text):,})."
        )
    return text


def _clean_one(question: Mapping[str, Any], raw: Any, goal_keys: Collection[str]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise ValueError(
            f"{_prompt(question)}: send the answer as an object with a rating/comment."
        )
    unknown = set(raw) - {"rating", "comment", "items"}
    if unknown:
        raise ValueError(
            f"{_prompt(question)}: an answer has only a rating, a comment and items, "
            f"not “{sorted(unknown)[0]}”."
        )
    answer: dict[str, Any] = {
        "rating": None
        if question["kind"] in ITEM_KINDS or question["kind"] == QuestionKind.TEXT
        else _rating(question, raw.get("rating")),
        "comment": _comment(question, raw.get("comment")),
    }
    if question["kind"] == QuestionKind.TEXT and raw.get("rating") not in (None, ""):
        raise ValueError(f"{_prompt(question)}: this question takes no rating.")
    if question["kind"] in ITEM_KINDS:
        if raw.get("rating") not in (None, ""):
            raise ValueError(f"{_prompt(question)}: rate each item, not the question.")
        items_raw = raw.get("items") or {}
        if not isinstance(items_raw, Mapping):
            raise ValueError(f"{_prompt(question)}: send the items as an object by item key.")
        allowed = set(item_keys(question, goal_keys))
        items: dict[str, dict[str, Any]] = {}
        for key, item_raw in items_raw.items():
            if key not in allowed:
                what = "goal" if question["kind"] == QuestionKind.GOALS else "item"
                raise ValueError(f"{_prompt(question)}: there is no {what} “{str(key)[:40]}” here.")
            if not isinstance(item_raw, Mapping):
                raise ValueError(f"{_prompt(question)}: send each item as a rating/comment object.")
            where = f" ({_item_name(question, key)})"
            items[key] = {
                "rating": _rating(question, item_raw.get("rating"), where),
                "comment": _comment(question, item_raw.get("comment"), where),
            }
        answer["items"] = items
    elif raw.get("items"):
        raise ValueError(f"{_prompt(question)}: this question has no items.")
    return answer


def _item_name(question: Mapping[str, Any], key: str) -> str:
    for item in question.get("items") or []:
        if item["key"] == key:
            return str(item["name"])
    return key


def clean(content: Mapping[str, Any], raw: Any, *, goal_keys: Collection[str] = ()) -> Answers:
    """The answers in `raw`, checked and normalised, or a ValidationError naming each
    question that is wrong (keyed by question key; "answers" for the payload itself)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValidationError({"answers": "Send the answers as an object keyed by question."})
    questions = versions.question_map(dict(content))
    errors: dict[str, str] = {}
    cleaned: Answers = {}
    for key, value in raw.items():
        question = questions.get(key) if isinstance(key, str) else None
        if question is None:
            errors.setdefault("answers", f"There is no question “{str(key)[:40]}” in this review.")
            continue
        try:
            cleaned[key] = _clean_one(question, value, goal_keys)
        except ValueError as problem:
            errors[key] = str(problem)
    if errors:
        raise ValidationError(errors)
    return cleaned


def merge(stored: Mapping[str, Any], cleaned: Answers) -> Answers:
    """Each question answered in `cleaned` replaces its stored answer; the rest stay."""
    merged: Answers = {key: value for key, value in stored.items() if isinstance(value, dict)}
    merged.update(cleaned)
    return merged


def _blank(text: Any) -> bool:
    return not isinstance(text, str) or not text.strip()


def missing_required(
    content: Mapping[str, Any], answers: Mapping[str, Any], *, goal_keys: Collection[str] = ()
) -> dict[str, str]:
    """The required questions still unanswered, by key, with a message naming each."""
    missing: dict[str, str] = {}
    for question in versions.questions(dict(content)):
        if not question.get("required"):
            continue
        answer = answers.get(question["key"]) or {}
        rated = versions.points_of(question) > 0
        kind = question["kind"]
        if kind in ITEM_KINDS:
            keys = item_keys(question, goal_keys)
            items = answer.get("items") or {}
            if rated:
                done = all((items.get(key) or {}).get("rating") for key in keys)
            else:
                done = (
                    not keys
                    or not _blank(answer.get("comment"))
                    or any(not _blank((items.get(key) or {}).get("comment")) for key in keys)
                )
        elif kind == QuestionKind.TEXT or not rated:
            done = not _blank(answer.get("comment"))
        else:
            done = bool(answer.get("rating"))
        if not done:
            missing[question["key"]] = (
                f"{_prompt(question)}: this question needs an answer before you submit."
            )
    return missing


@dataclass(frozen=True)
class Rating:
    question_key: str
    question_kind: str
    item_key: str
    value: int
    points: int

    @property
    def normalised(self) -> Decimal:
        if self.points <= 1:
            return Decimal(0)
        return (Decimal(self.value - 1) / Decimal(self.points - 1)).quantize(Decimal("0.0001"))


def ratings(content: Mapping[str, Any], answers: Mapping[str, Any]) -> Iterator[Rating]:
    """Every rating given, for the SubmittedRating rows written on submit."""
    for question in versions.questions(dict(content)):
        points = versions.points_of(question)
        answer = answers.get(question["key"]) or {}
        if not points or not isinstance(answer, dict):
            continue
        key, kind = question["key"], question["kind"]
        if kind in ITEM_KINDS:
            for item_key, item in sorted((answer.get("items") or {}).items()):
                if isinstance(item, dict) and isinstance(item.get("rating"), int):
                    yield Rating(key, kind, item_key, item["rating"], points)
        elif isinstance(answer.get("rating"), int):
            yield Rating(key, kind, "", answer["rating"], points)
