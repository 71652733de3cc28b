"""The starter kit (issue 16, item 7): a described 1 to 5 scale and the program's
templates, made only where missing, in one audited step."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.program.models import Program
from tandem.reviews.models import QuestionKind, RatingScale, Template, TemplateQuestion
from tandem.reviews.services import starter
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _program(**values: Any) -> None:
    program = Program.load()
    for name, value in values.items():
        setattr(program, name, value)
    program.save()


def test_the_kit_makes_a_five_point_scale_whose_every_point_says_what_it_means(hr: Any) -> None:
    kit = starter.create_starter_kit(by=hr)
    assert [p["value"] for p in kit.scale.points] == [1, 2, 3, 4, 5]
    assert all(p["description"] for p in kit.scale.points)


def test_the_kit_makes_a_template_for_each_kind_of_review_the_program_has(hr: Any) -> None:
    _program(review_peers_enabled=True, review_upward_enabled=True)
    kit = starter.create_starter_kit(by=hr)
    assert set(kit.templates) == {"self", "manager", "peer", "upward"}


def test_the_kit_leaves_out_peer_templates_when_the_program_has_no_peers(hr: Any) -> None:
    _program(review_peers_enabled=False, review_upward_enabled=False)
    kit = starter.create_starter_kit(by=hr)
    assert set(kit.templates) == {"self", "manager"}


def test_the_manager_template_has_an_overall_rating_on_the_kits_scale(hr: Any) -> None:
    kit = starter.create_starter_kit(by=hr)
    overall = TemplateQuestion.objects.get(
        section__template=kit.templates["manager"], is_overall=True
    )
    assert overall.kind == QuestionKind.RATING and overall.scale == kit.scale


def test_without_ratings_the_templates_ask_for_written_answers_only(hr: Any) -> None:
    _program(review_ratings_enabled=False)
    kit = starter.create_starter_kit(by=hr)
    kinds = set(
        TemplateQuestion.objects.filter(section__template__in=kit.templates.values()).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {QuestionKind.TEXT}


def test_pressing_it_twice_changes_nothing(hr: Any) -> None:
    starter.create_starter_kit(by=hr)
    again = starter.create_starter_kit(by=hr)
    assert again.created == []
    assert RatingScale.objects.count() == 1 and Template.objects.count() == 2


def test_it_keeps_a_template_hr_already_has_of_the_kits_name(hr: Any) -> None:
    starter.create_starter_kit(by=hr)
    Template.objects.filter(name="Self review").update(description="Ours")
    starter.create_starter_kit(by=hr)
    assert Template.objects.get(name="Self review").description == "Ours"


def test_the_kit_is_one_audit_record_naming_what_it_made(hr: Any) -> None:
    starter.create_starter_kit(by=hr)
    event = AuditEvent.objects.get(kind="review.starter_kit")
    assert "1 to 5" in str(event.changes)


def test_only_hr_admins_may_make_it() -> None:
    with pytest.raises(Exception):  # noqa: B017 — the access machinery's denial
        starter.create_starter_kit(by=PersonFactory())
    assert not RatingScale.objects.exists()


def test_the_new_cycle_page_offers_the_kit_while_something_is_missing(
    hr: Any, client_for: Any
) -> None:
    client = client_for(hr)
    page = client.get(reverse("reviews:cycle_new")).content.decode()
    assert "Create the starter kit" in page
    response = client.post(reverse("reviews:starter_kit"))
    assert response.status_code == 302
    assert "Create the starter kit" not in client.get(reverse("reviews:cycle_new")).content.decode()


def test_a_new_question_shows_the_only_scale_chosen(hr: Any, client_for: Any) -> None:
    kit = starter.create_starter_kit(by=hr)
    section = kit.templates["self"].sections.get()
    page = client_for(hr).get(reverse("reviews:template_question_add", args=[section.pk]))
    assert f'<option value="{kit.scale.pk}" selected>' in page.content.decode()
