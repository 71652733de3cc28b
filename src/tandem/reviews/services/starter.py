"""The starter kit: what an empty installation needs before its first cycle, in one action.

A 1 to 5 rating scale whose every point says what it means, and one template for each kind
of review the program's cycles have (self and manager always; peer and upward as the
program says), with a few plain questions: rated on the scale when the program uses
ratings, written answers only when it does not. The manager template's rating is marked
as the overall rating, so a cycle scored on the manager's rating launches as it is.

Everything is made through the same services HR's own clicks use (so the same checks and
audit records), in one transaction, and only what is missing: a scale or template of the
kit's name that already exists is kept as it is, so pressing the button twice changes
nothing. HR admins only (`reviews.manage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.program.models import Program
from tandem.reviews import defaults
from tandem.reviews.models import QuestionKind, RatingScale, Relationship, Template
from tandem.reviews.services import setup

SCALE_NAME = "1 to 5"
SCALE_DESCRIPTION = "How far the person met what their role asked of them in the period."
SCALE_POINTS = [
    {
        "label": "Well below expectations",
        "description": "Often missed what the role asks, even with help; a clear plan to "
        "improve is needed.",
    },
    {
        "label": "Below expectations",
        "description": "Met some of what the role asks but not all; needs support in "
        "specific areas.",
    },
    {
        "label": "Meets expectations",
        "description": "Reliably did what the role asks, with good quality. Most people "
        "are here most of the time.",
    },
    {
        "label": "Above expectations",
        "description": "Often did more than the role asks, and others benefited from it.",
    },
    {
        "label": "Well above expectations",
        "description": "Consistently and visibly beyond the role, with a lasting effect "
        "on the team or the company.",
    },
]

# (relationship, template name, section title, [(prompt, rated, is_overall)]).
Q = tuple[str, bool, bool]
TEMPLATES: dict[str, tuple[str, str, list[Q]]] = {
    Relationship.SELF: (
        "Self review",
        "Looking back on the period",
        [
            ("What went well, and what are you proudest of?", False, False),
            ("What would you do differently, and what got in your way?", False, False),
            ("How well did you meet what your role asks?", True, False),
            ("What do you want to learn or do next?", False, False),
        ],
    ),
    Relationship.MANAGER: (
        "Manager review",
        "The period as their manager saw it",
        [
            ("What did they do well? Give examples.", False, False),
            ("What should they do more of, or differently?", False, False),
            ("Overall, how well did they meet what their role asks?", True, True),
            ("What support will you give them next?", False, False),
        ],
    ),
    Relationship.PEER: (
        "Peer review",
        "Working together",
        [
            ("What do they do that helps you and the team most?", False, False),
            ("What could they do differently to be even more effective?", False, False),
        ],
    ),
    Relationship.UPWARD: (
        "Upward review",
        "Your manager",
        [
            ("What does your manager do that helps you do your best work?", False, False),
            ("What could your manager do differently?", False, False),
            ("How well does your manager support you?", True, False),
        ],
    ),
}


@dataclass(frozen=True)
class StarterKit:
    """What the starter kit made now (`created`) and what it found already there."""

    scale: RatingScale
    templates: dict[str, Template]
    created: list[str]


def missing(program: Program | None = None) -> list[str]:
    """What the kit would create now, by name ("the 1 to 5 scale", "Peer review"); empty
    when everything is there."""
    program = program or Program.current()
    names = []
    if not RatingScale.objects.filter(name__iexact=SCALE_NAME).exists():
        names.append(f"the “{SCALE_NAME}” rating scale")
    for relationship in defaults.relationships(program):
        name = TEMPLATES[relationship][0]
        if not Template.objects.filter(name=name, relationship=relationship).exists():
            names.append(f"the “{name}” template")
    return names


@transaction.atomic
def create_starter_kit(*, by: Any) -> StarterKit:
    """The scale and the program's templates, each only if missing; audited as one step."""
    require(by, "reviews.manage")
    program = Program.current()
    created: list[str] = []
    scale = RatingScale.objects.filter(name__iexact=SCALE_NAME).first()
    if scale is None:
        scale = setup.create_scale(
            by=by, name=SCALE_NAME, description=SCALE_DESCRIPTION, points=SCALE_POINTS
        )
        created.append(scale.name)
    ratings = program.review_ratings_enabled
    templates: dict[str, Template] = {}
    for relationship in defaults.relationships(program):
        name, title, questions = TEMPLATES[relationship]
        template = Template.objects.filter(name=name, relationship=relationship).first()
        if template is None:
            template = _template(by, relationship, name, title, questions, scale, ratings)
            created.append(template.name)
        templates[relationship] = template
    if created:
        record(
            actor=by,
            kind="review.starter_kit",
            obj=scale,
            changes={"created": [None, created]},
        )
    return StarterKit(scale=scale, templates=templates, created=created)


def _template(
    by: Any,
    relationship: str,
    name: str,
    title: str,
    questions: list[Q],
    scale: RatingScale,
    ratings: bool,
) -> Template:
    template = setup.create_template(
        by=by,
        name=name,
        relationship=relationship,
        description="From the starter kit: change its questions freely before launching.",
    )
    section = setup.add_section(template, by=by, title=title)
    for prompt, rated, overall in questions:
        if rated and not ratings:
            continue  # the program has no ratings: written answers only
        setup.add_question(
            section,
            by=by,
            kind=QuestionKind.RATING if rated else QuestionKind.TEXT,
            prompt=prompt,
            required=True,
            scale=scale if rated else None,
            allow_comment=True,
            is_overall=overall,
        )
    return template
