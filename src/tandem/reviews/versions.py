"""Freezing templates: a launched cycle reads its questions from an immutable
`TemplateVersion`, so later edits to a template, a scale or the company values never
change it. Question keys ("q1", "q2", …) and item keys ("c1", "v1" …; goals use "g<id>")
are what answers are stored under."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Max

from tandem.org.models import CompanyValue
from tandem.reviews.models import (
    ItemsSource,
    QuestionKind,
    RatingScale,
    Template,
    TemplateQuestion,
    TemplateVersion,
)

RATED_KINDS = frozenset(
    {QuestionKind.RATING, QuestionKind.COMPETENCIES, QuestionKind.GOALS, QuestionKind.VALUES}
)


def _scale(scale: RatingScale | None) -> dict[str, Any] | None:
    if scale is None:
        return None
    points = [
        {
            "value": int(point["value"]),
            "label": str(point.get("label", "")),
            "description": str(point.get("description", "")),
        }
        for point in scale.points
    ]
    return {"name": scale.name, "points": points}


def question_settings(question: TemplateQuestion) -> dict[str, Any]:
    """What HR set on a question, as a frozen version and the API both show it."""
    return {
        "kind": question.kind,
        "prompt": question.prompt,
        "help_text": question.help_text,
        "required": question.required,
        "allow_comment": question.allow_comment,
        "is_overall": question.is_overall,
    }


def template_content(template: Template) -> dict[str, Any]:
    """The template as it stands now, in the frozen format."""
    values = None
    sections = []
    number = 0
    for section in template.sections.prefetch_related("questions__scale").order_by(
        "position", "id"
    ):
        questions = []
        for question in section.questions.all():
            number += 1
            items: list[dict[str, str]] = []
            framework = (
                question.kind == QuestionKind.COMPETENCIES
                and question.items_source == ItemsSource.FRAMEWORK
            )
            if framework:
                # Each participant's own items come from their framework snapshot at launch
                # (reviews.framework); the key is only there when set, so the content (and the
                # hash) of every other template stays as it was.
                items = []
            elif question.kind == QuestionKind.COMPETENCIES:
                items = [
                    {
                        "key": f"c{index}",
                        "name": str(item.get("name", "")),
                        "description": str(item.get("description", "")),
                    }
                    for index, item in enumerate(question.items or [], start=1)
                ]
            elif question.kind == QuestionKind.VALUES:
                if values is None:
                    values = [
                        {
                            "key": f"v{value.pk}",
                            "name": value.name,
                            "description": value.description,
                        }
                        for value in CompanyValue.objects.order_by("position", "name")
                    ]
                items = values
            frozen: dict[str, Any] = {
                "key": f"q{number}",
                **question_settings(question),
                "scale": _scale(question.scale) if question.kind in RATED_KINDS else None,
                "items": items,
            }
            if framework:
                frozen["items_source"] = ItemsSource.FRAMEWORK.value
            questions.append(frozen)
        sections.append(
            {"title": section.title, "description": section.description, "questions": questions}
        )
    return {
        "name": template.name,
        "relationship": template.relationship,
        "description": template.description,
        "sections": sections,
    }


def content_hash(content: dict[str, Any]) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def freeze(template: Template, *, by: Any = None) -> TemplateVersion:
    """The latest version when nothing changed since, else a new numbered version.
    Call inside the launching transaction."""
    content = template_content(template)
    digest = content_hash(content)
    latest = template.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    number = (template.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return TemplateVersion.objects.create(
        template=template,
        number=number,
        content=content,
        content_hash=digest,
        created_by=by if getattr(by, "pk", None) else None,
    )


def questions(content: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for section in content.get("sections", []):
        yield from section.get("questions", [])


def question_map(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {question["key"]: question for question in questions(content)}


def points_of(question: dict[str, Any]) -> int:
    """How many points the question's scale has; 0 when it has no rating."""
    scale = question.get("scale")
    return len(scale["points"]) if scale else 0
