"""Building blocks of review cycles: rating scales and templates (sections, questions).

HR admins only (`reviews.manage`), every write audited. Templates stay editable forever:
a launched cycle reads the frozen `TemplateVersion` it took at launch, so nothing here can
change a cycle already running. Bad input raises ValidationError naming the field (for a
scale, the point: "Point 3: give it a label."); nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import diff, record, snapshot
from tandem.core.validation import clean_text
from tandem.reviews.models import (
    CycleForm,
    CycleStatus,
    ItemsSource,
    QuestionKind,
    RatingScale,
    Relationship,
    Template,
    TemplateQuestion,
    TemplateSection,
)
from tandem.reviews.versions import RATED_KINDS

MIN_POINTS = 2
MAX_POINTS = 10
MAX_ITEMS = 20
NAME_MAX = 150
LABEL_MAX = 100
PROMPT_MAX = 500
TITLE_MAX = 200
TEXT_MAX = 5_000


def _ids(pk: int | None) -> list[int]:
    return [] if pk is None else [pk]


# --- Rating scales ---------------------------------------------------------------------------


def clean_points(points: Any) -> list[dict[str, Any]]:
    """Points numbered 1..n in order, each with a label and what it means."""
    if not isinstance(points, list | tuple):
        raise ValidationError({"points": "Give the scale's points as a list."})
    if not MIN_POINTS <= len(points) <= MAX_POINTS:
        raise ValidationError(
            {
                "points": f"A scale has {MIN_POINTS} to {MAX_POINTS} points; "
                f"this one has {len(points)}."
            }
        )
    cleaned = []
    for number, point in enumerate(points, start=1):
        if not isinstance(point, Mapping):
            raise ValidationError({"points": f"Point {number}: give a label and a description."})
        value = point.get("value", number)
        if value != number or isinstance(value, bool):
            raise ValidationError(
                {"points": f"Point {number}: values run 1, 2, 3… in order; this one is {value}."}
            )
        label = point.get("label")
        description = point.get("description")
        if not isinstance(label, str) or not label.strip():
            raise ValidationError({"points": f"Point {number}: give it a label."})
        if not isinstance(description, str) or not description.strip():
            raise ValidationError({"points": f"Point {number}: say what it means."})
        if len(label.strip()) > LABEL_MAX:
            raise ValidationError(
                {"points": f"Point {number}: the label is longer than {LABEL_MAX} characters."}
            )
        if len(description.strip()) > TEXT_MAX or "\x00" in label + description:
            raise ValidationError({"points": f"Point {number}: the description is too long."})
        cleaned.append(
            {"value": number, "label": label.strip(), "description": description.strip()}
        )
    return cleaned


def _scale_name(name: Any, *, exclude: int | None = None) -> str:
    name = clean_text(name, field="name", label="The scale's name", limit=NAME_MAX)
    taken = RatingScale.objects.filter(name__iexact=name).exclude(pk__in=_ids(exclude))
    if taken.exists():
        raise ValidationError({"name": f"There is already a scale called “{name}”."})
    return name


@transaction.atomic
def create_scale(*, by: Any, name: str, points: Any, description: str = "") -> RatingScale:
    require(by, "reviews.manage")
    scale = RatingScale.objects.create(
        name=_scale_name(name),
        description=clean_text(
            description,
            field="description",
            label="The description",
            limit=TEXT_MAX,
            required=False,
        ),
        points=clean_points(points),
    )
    record(actor=by, kind="review.scale_create", obj=scale, changes={"points": len(scale.points)})
    return scale


@transaction.atomic
def update_scale(
    scale: RatingScale, *, by: Any, name: str, points: Any, description: str = ""
) -> RatingScale:
    """Launched cycles keep the scale as it was (it is frozen into their versions)."""
    require(by, "reviews.manage")
    scale = RatingScale.objects.select_for_update().get(pk=scale.pk)
    before = snapshot(scale, ["name", "description", "points"])
    scale.name = _scale_name(name, exclude=scale.pk)
    scale.description = clean_text(
        description, field="description", label="The description", limit=TEXT_MAX, required=False
    )
    scale.points = clean_points(points)
    changes = diff(before, snapshot(scale, ["name", "description", "points"]))
    if changes:
        scale.save(update_fields=["name", "description", "points", "updated_at"])
        record(actor=by, kind="review.scale_update", obj=scale, changes=changes)
    return scale


def _archive(obj: RatingScale | Template, *, by: Any, kind: str) -> None:
    require(by, "reviews.manage")
    if obj.archived_at is None:
        obj.archived_at = timezone.now()
        obj.save(update_fields=["archived_at", "updated_at"])
        record(actor=by, kind=kind, obj=obj)


@transaction.atomic
def archive_scale(scale: RatingScale, *, by: Any) -> RatingScale:
    """Archived scales cannot be picked for new questions; questions using them keep them."""
    _archive(scale, by=by, kind="review.scale_archive")
    return scale


# --- Templates -------------------------------------------------------------------------------


def _template_fields(
    *, name: Any, relationship: Any, description: Any, exclude: int | None = None
) -> dict[str, Any]:
    name = clean_text(name, field="name", label="The template's name", limit=NAME_MAX)
    if relationship not in Relationship.values:
        raise ValidationError(
            {"relationship": "Choose who writes it: self, manager, peer, upward or skip-level."}
        )
    if (
        Template.objects.filter(name__iexact=name, relationship=relationship)
        .exclude(pk__in=_ids(exclude))
        .exists()
    ):
        label = Relationship(relationship).label.lower()
        raise ValidationError({"name": f"There is already a {label} template called “{name}”."})
    description = clean_text(
        description, field="description", label="The description", limit=TEXT_MAX, required=False
    )
    return {"name": name, "relationship": relationship, "description": description}


@transaction.atomic
def create_template(*, by: Any, name: str, relationship: str, description: str = "") -> Template:
    require(by, "reviews.manage")
    template = Template.objects.create(
        **_template_fields(name=name, relationship=relationship, description=description)
    )
    record(
        actor=by,
        kind="review.template_create",
        obj=template,
        changes={"relationship": template.relationship},
    )
    return template


def _in_draft_cycles(template: Template) -> bool:
    return CycleForm.objects.filter(template=template, cycle__status=CycleStatus.DRAFT).exists()


@transaction.atomic
def update_template(
    template: Template, *, by: Any, name: str, relationship: str, description: str = ""
) -> Template:
    require(by, "reviews.manage")
    template = Template.objects.select_for_update().get(pk=template.pk)
    fields = _template_fields(
        name=name, relationship=relationship, description=description, exclude=template.pk
    )
    if fields["relationship"] != template.relationship and (
        _in_draft_cycles(template) or template.versions.exists()
    ):
        raise ValidationError(
            {
                "relationship": "This template is already used by a cycle, so who writes it "
                "cannot change; duplicate it and change the copy."
            }
        )
    before = snapshot(template, fields)
    for key, value in fields.items():
        setattr(template, key, value)
    changes = diff(before, fields)
    if changes:
        template.save(update_fields=[*fields, "updated_at"])
        record(actor=by, kind="review.template_update", obj=template, changes=changes)
    return template


@transaction.atomic
def archive_template(template: Template, *, by: Any) -> Template:
    """Archived templates cannot be picked for new cycles; cycles using them keep them."""
    _archive(template, by=by, kind="review.template_archive")
    return template


def _copy_name(template: Template) -> str:
    base = f"{template.name} (copy)"[:NAME_MAX]
    name, number = base, 1
    while Template.objects.filter(name__iexact=name, relationship=template.relationship).exists():
        number += 1
        name = f"{template.name} (copy {number})"[:NAME_MAX]
    return name


@transaction.atomic
def duplicate_template(template: Template, *, by: Any, name: str | None = None) -> Template:
    """A new, unarchived template with the same sections and questions."""
    require(by, "reviews.manage")
    copy = Template.objects.create(
        **_template_fields(
            name=name if name is not None else _copy_name(template),
            relationship=template.relationship,
            description=template.description,
        )
    )
    sections = list(template.sections.prefetch_related("questions").order_by("position", "id"))
    new_sections = TemplateSection.objects.bulk_create(
        [
            TemplateSection(
                template=copy, position=s.position, title=s.title, description=s.description
            )
            for s in sections
        ]
    )
    questions = []
    for old, new in zip(sections, new_sections, strict=True):
        for q in old.questions.all():
            questions.append(
                TemplateQuestion(
                    section=new,
                    position=q.position,
                    kind=q.kind,
                    prompt=q.prompt,
                    help_text=q.help_text,
                    required=q.required,
                    scale_id=q.scale_id,
                    allow_comment=q.allow_comment,
                    items=q.items,
                    items_source=q.items_source,
                    is_overall=q.is_overall,
                )
            )
    TemplateQuestion.objects.bulk_create(questions)
    record(
        actor=by,
        kind="review.template_create",
        obj=copy,
        changes={"copied_from": template.pk},
        note=f"Copy of “{template.name}”",
    )
    return copy


def _touch(template: Template, *, by: Any, what: str) -> None:
    Template.objects.filter(pk=template.pk).update(updated_at=timezone.now())
    record(actor=by, kind="review.template_update", obj=template, note=what[:500])


# --- Sections --------------------------------------------------------------------------------


def _section_fields(title: Any, description: Any) -> dict[str, str]:
    return {
        "title": clean_text(title, field="title", label="The section's title", limit=TITLE_MAX),
        "description": clean_text(
            description,
            field="description",
            label="The section's description",
            limit=TEXT_MAX,
            required=False,
        ),
    }


@transaction.atomic
def add_section(
    template: Template, *, by: Any, title: str, description: str = ""
) -> TemplateSection:
    require(by, "reviews.manage")
    fields = _section_fields(title, description)
    top = template.sections.aggregate(top=Max("position"))["top"]
    section = TemplateSection.objects.create(
        template=template, position=0 if top is None else top + 1, **fields
    )
    _touch(template, by=by, what=f"Section added: {section.title}")
    return section


@transaction.atomic
def update_section(
    section: TemplateSection, *, by: Any, title: str, description: str = ""
) -> TemplateSection:
    require(by, "reviews.manage")
    fields = _section_fields(title, description)
    if snapshot(section, fields) != fields:
        for key, value in fields.items():
            setattr(section, key, value)
        section.save(update_fields=list(fields))
        _touch(section.template, by=by, what=f"Section changed: {section.title}")
    return section


@transaction.atomic
def delete_section(section: TemplateSection, *, by: Any) -> None:
    """Deletes its questions too; launched cycles keep their frozen copy."""
    require(by, "reviews.manage")
    template = section.template
    title = section.title
    section.delete()
    _touch(template, by=by, what=f"Section deleted: {title}")


def _swap(rows: Sequence[Any], index: int, direction: str) -> Any | None:
    """The neighbour to swap with, after renumbering so positions are distinct."""
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move it up or down."})
    if not 0 <= other < len(rows):
        return None
    for position, row in enumerate(rows):
        row.position = position
    rows[index].position, rows[other].position = other, index
    return rows[other]


@transaction.atomic
def move_section(section: TemplateSection, *, by: Any, direction: str) -> TemplateSection:
    require(by, "reviews.manage")
    rows = list(
        TemplateSection.objects.filter(template_id=section.template_id).order_by("position", "id")
    )
    index = next(i for i, row in enumerate(rows) if row.pk == section.pk)
    if _swap(rows, index, direction) is not None:
        TemplateSection.objects.bulk_update(rows, ["position"])
        _touch(section.template, by=by, what=f"Section moved {direction}: {section.title}")
    return rows[index]


# --- Questions -------------------------------------------------------------------------------


def clean_items(items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list | tuple):
        raise ValidationError({"items": "Give the competencies as a list."})
    if not 1 <= len(items) <= MAX_ITEMS:
        raise ValidationError(
            {"items": f"List 1 to {MAX_ITEMS} competencies to rate; this has {len(items)}."}
        )
    cleaned = []
    for number, item in enumerate(items, start=1):
        name = item.get("name") if isinstance(item, Mapping) else None
        description = item.get("description", "") if isinstance(item, Mapping) else ""
        if not isinstance(name, str) or not name.strip():
            raise ValidationError({"items": f"Competency {number}: give it a name."})
        if not isinstance(description, str) or not description.strip():
            raise ValidationError({"items": f"Competency {number}: say what it means."})
        if len(name.strip()) > LABEL_MAX or len(description) > TEXT_MAX:
            raise ValidationError({"items": f"Competency {number}: the text is too long."})
        if "\x00" in name + description:
            raise ValidationError({"items": f"Competency {number}: a character cannot be stored."})
        cleaned.append({"name": name.strip(), "description": description.strip()})
    return cleaned


class QuestionArgs(TypedDict, total=False):
    """What HR says about a question, as `add_question` and `update_question` take it (the
    defaults are `_question_fields`'s)."""

    kind: Required[str]
    prompt: Required[str]
    help_text: str
    required: bool
    scale: RatingScale | None
    allow_comment: bool
    items: Any
    items_source: str
    is_overall: bool


def _question_fields(
    *,
    template: Template,
    kind: Any,
    prompt: Any,
    help_text: Any = "",
    required: Any = True,
    scale: RatingScale | None = None,
    allow_comment: Any = True,
    items: Any = (),
    items_source: Any = "",
    is_overall: Any = False,
    exclude: int | None = None,
    old_scale_id: int | None = None,
) -> dict[str, Any]:
    items = list(items)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": "Choose the type of question."})
    fields: dict[str, Any] = {
        "kind": kind,
        "prompt": clean_text(prompt, field="prompt", label="The question", limit=PROMPT_MAX),
        "help_text": clean_text(
            help_text, field="help_text", label="The help text", limit=TEXT_MAX, required=False
        ),
        "required": bool(required),
        "allow_comment": bool(allow_comment),
        "items": [],
        "items_source": ItemsSource.LISTED,
        "is_overall": bool(is_overall),
        "scale": None,
    }
    if kind in RATED_KINDS:
        if scale is not None and scale.archived_at is not None and scale.pk != old_scale_id:
            raise ValidationError({"scale": f"The scale “{scale.name}” is archived; pick another."})
        fields["scale"] = scale
        if scale is None and kind == QuestionKind.RATING:
            # A rating without a scale would quietly become a comment box; say so instead.
            raise ValidationError(
                {
                    "scale": "A rating question needs a rating scale: choose one. For written "
                    "answers only, make it a free-text question."
                }
            )
        if scale is None and not fields["allow_comment"]:
            raise ValidationError(
                {"allow_comment": "Without a rating scale the question needs a comment box."}
            )
    else:
        if scale is not None:
            raise ValidationError({"scale": "A free-text question has no rating scale."})
        fields["allow_comment"] = True
    source = items_source or ItemsSource.LISTED
    if source not in ItemsSource.values:
        raise ValidationError({"items_source": "Choose where the competencies come from."})
    if source == ItemsSource.FRAMEWORK and kind != QuestionKind.COMPETENCIES:
        raise ValidationError(
            {"items_source": "Only a competency question can draw from the career framework."}
        )
    if kind == QuestionKind.COMPETENCIES and source == ItemsSource.FRAMEWORK:
        # Each person's competencies come from their track and level at launch.
        fields["items_source"] = ItemsSource.FRAMEWORK
    elif kind == QuestionKind.COMPETENCIES:
        fields["items"] = clean_items(items)
    if fields["is_overall"]:
        if kind != QuestionKind.RATING or fields["scale"] is None:
            raise ValidationError(
                {"is_overall": "Only a rating question with a scale can be the overall rating."}
            )
        other = (
            TemplateQuestion.objects.filter(section__template=template, is_overall=True)
            .exclude(pk__in=_ids(exclude))
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "is_overall": f"“{other.prompt}” is already the overall rating; "
                    "untick it there first."
                }
            )
    return fields


@transaction.atomic
def add_question(
    section: TemplateSection, *, by: Any, **given: Unpack[QuestionArgs]
) -> TemplateQuestion:
    require(by, "reviews.manage")
    fields = _question_fields(template=section.template, **given)
    top = section.questions.aggregate(top=Max("position"))["top"]
    question = TemplateQuestion.objects.create(
        section=section, position=0 if top is None else top + 1, **fields
    )
    _touch(section.template, by=by, what=f"Question added: {question.prompt}")
    return question


@transaction.atomic
def update_question(
    question: TemplateQuestion, *, by: Any, **given: Unpack[QuestionArgs]
) -> TemplateQuestion:
    require(by, "reviews.manage")
    template = question.section.template
    fields = _question_fields(
        template=template, exclude=question.pk, old_scale_id=question.scale_id, **given
    )
    for key, value in fields.items():
        setattr(question, key, value)
    question.save(update_fields=list(fields))
    _touch(template, by=by, what=f"Question changed: {question.prompt}")
    return question


@transaction.atomic
def delete_question(question: TemplateQuestion, *, by: Any) -> None:
    require(by, "reviews.manage")
    template = question.section.template
    prompt = question.prompt
    question.delete()
    _touch(template, by=by, what=f"Question deleted: {prompt}")


@transaction.atomic
def move_question(question: TemplateQuestion, *, by: Any, direction: str) -> TemplateQuestion:
    """Up or down within its section."""
    require(by, "reviews.manage")
    rows = list(
        TemplateQuestion.objects.filter(section_id=question.section_id).order_by("position", "id")
    )
    index = next(i for i, row in enumerate(rows) if row.pk == question.pk)
    if _swap(rows, index, direction) is not None:
        TemplateQuestion.objects.bulk_update(rows, ["position"])
        _touch(question.section.template, by=by, what=f"Question moved {direction}")
    return rows[index]
