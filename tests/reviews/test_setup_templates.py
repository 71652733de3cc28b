"""Templates: sections and questions, the overall rating, duplicating, and versions that
keep launched cycles exactly as they were."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.reviews.models import (
    CycleForm,
    QuestionKind,
    Relationship,
    Template,
    TemplateQuestion,
)
from tandem.reviews.services import cycles, setup
from tests.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories import RatingScaleFactory, TemplateFactory
from tests.reviews.setup_helpers import draft_cycle, launch

pytestmark = pytest.mark.django_db


def _section(hr: Any) -> Any:
    template = setup.create_template(by=hr, name="Self", relationship=Relationship.SELF)
    return setup.add_section(template, by=hr, title="The year")


def test_hr_builds_a_template_with_sections_and_questions(hr: Any) -> None:
    section = _section(hr)
    scale = RatingScaleFactory()
    setup.add_question(
        section, by=hr, kind=QuestionKind.RATING, prompt="Overall?", scale=scale, is_overall=True
    )
    setup.add_question(section, by=hr, kind=QuestionKind.TEXT, prompt="What went well?")
    prompts = list(section.questions.order_by("position").values_list("prompt", flat=True))
    assert prompts == ["Overall?", "What went well?"]


def test_a_rating_question_without_a_scale_is_refused_and_says_what_to_do(hr: Any) -> None:
    with pytest.raises(ValidationError) as error:
        setup.add_question(
            _section(hr), by=hr, kind=QuestionKind.RATING, prompt="How was it?", scale=None
        )
    assert error.value.message_dict["scale"] == [
        "A rating question needs a rating scale: choose one. For written answers only, make "
        "it a free-text question."
    ]
    assert not TemplateQuestion.objects.exists()


def test_a_values_question_may_take_written_comments_only(hr: Any) -> None:
    question = setup.add_question(
        _section(hr), by=hr, kind=QuestionKind.VALUES, prompt="Our values?", scale=None
    )
    assert question.scale is None and question.allow_comment


def test_a_free_text_question_cannot_have_a_scale(hr: Any) -> None:
    with pytest.raises(ValidationError) as error:
        setup.add_question(
            _section(hr), by=hr, kind=QuestionKind.TEXT, prompt="Why?", scale=RatingScaleFactory()
        )
    assert "scale" in error.value.message_dict
    assert not TemplateQuestion.objects.exists()


def test_competencies_need_one_to_twenty_named_items(hr: Any) -> None:
    with pytest.raises(ValidationError) as error:
        setup.add_question(
            _section(hr),
            by=hr,
            kind=QuestionKind.COMPETENCIES,
            prompt="Skills",
            scale=RatingScaleFactory(),
            items=[
                {"name": "Craft", "description": "Quality."},
                {"name": "", "description": "Clear."},
            ],
        )
    assert error.value.message_dict == {"items": ["Competency 2: give it a name."]}


def test_only_one_question_per_template_is_the_overall_rating(hr: Any) -> None:
    section = _section(hr)
    scale = RatingScaleFactory()
    setup.add_question(
        section, by=hr, kind=QuestionKind.RATING, prompt="A", scale=scale, is_overall=True
    )
    with pytest.raises(ValidationError) as error:
        setup.add_question(
            section, by=hr, kind=QuestionKind.RATING, prompt="B", scale=scale, is_overall=True
        )
    assert "is_overall" in error.value.message_dict


def test_moving_a_question_up_swaps_it_with_the_one_above(hr: Any) -> None:
    section = _section(hr)
    setup.add_question(section, by=hr, kind=QuestionKind.TEXT, prompt="First")
    second = setup.add_question(section, by=hr, kind=QuestionKind.TEXT, prompt="Second")
    setup.move_question(second, by=hr, direction="up")
    prompts = list(section.questions.order_by("position").values_list("prompt", flat=True))
    assert prompts == ["Second", "First"]


def test_moving_a_section_down(hr: Any) -> None:
    first = _section(hr)
    setup.add_section(first.template, by=hr, title="Next year")
    setup.move_section(first, by=hr, direction="down")
    titles = list(first.template.sections.order_by("position").values_list("title", flat=True))
    assert titles == ["Next year", "The year"]


def test_deleting_a_section_deletes_its_questions(hr: Any) -> None:
    section = _section(hr)
    setup.add_question(section, by=hr, kind=QuestionKind.TEXT, prompt="Why?")
    setup.delete_section(section, by=hr)
    assert not TemplateQuestion.objects.exists()


def test_duplicating_copies_sections_and_questions_under_a_new_name(hr: Any) -> None:
    section = _section(hr)
    setup.add_question(section, by=hr, kind=QuestionKind.TEXT, prompt="Why?")
    copy = setup.duplicate_template(section.template, by=hr)
    assert copy.name == "Self (copy)"
    assert TemplateQuestion.objects.filter(section__template=copy).count() == 1


def test_a_template_name_is_unique_per_relationship(hr: Any) -> None:
    TemplateFactory(name="Annual", relationship=Relationship.SELF)
    with pytest.raises(ValidationError) as error:
        setup.create_template(by=hr, name="Annual", relationship=Relationship.SELF)
    assert "name" in error.value.message_dict


def test_only_hr_admins_edit_templates() -> None:
    with pytest.raises(NotAllowed):
        setup.create_template(by=PersonFactory(), name="X", relationship=Relationship.SELF)
    assert not Template.objects.exists()


def test_editing_a_template_never_changes_a_launched_cycle(
    hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    department = DepartmentFactory()
    PersonFactory(department=department)
    first = launch(
        draft_cycle(hr, departments=[department], relationships=[Relationship.SELF]),
        hr,
        django_capture_on_commit_callbacks,
    )
    form = CycleForm.objects.select_related("version").get(cycle=first)
    frozen = form.version.content
    section = form.template.sections.get()
    setup.add_question(section, by=hr, kind=QuestionKind.TEXT, prompt="A new question?")
    setup.update_section(section, by=hr, title="Renamed")
    form.refresh_from_db()
    assert form.version.content == frozen and form.version.number == 1

    second = draft_cycle(hr, departments=[department], relationships=[Relationship.SELF])
    cycles.set_forms(second, by=hr, forms={Relationship.SELF: form.template})
    second = launch(second, hr, django_capture_on_commit_callbacks)
    version = CycleForm.objects.select_related("version").get(cycle=second).version
    assert version.number == 2
    assert version.content["sections"][0]["title"] == "Renamed"
