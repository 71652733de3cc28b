"""Review templates and reviews say their kind once: a template named after its kind
("Manager review") is not headed "Manager review · Manager review"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tandem.reviews.models import Relationship
from tandem.reviews.services import cycles
from tandem.reviews.services.writing import submit
from tests.factories import hr_admin
from tests.reviews.factories import template_with_questions
from tests.reviews.setup_helpers import draft_cycle
from tests.reviews.writing_helpers import full_answers, make_team

pytestmark = pytest.mark.django_db


def heading(page: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page, flags=re.S)
    assert match
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_a_template_named_after_its_kind_is_headed_once(hr: Any, client_for: Any) -> None:
    template = template_with_questions(Relationship.MANAGER, name="Manager review")
    page = client_for(hr).get(reverse("reviews:template_edit", args=[template.pk]))
    assert heading(page.content.decode()) == "Manager review"


def test_a_template_with_its_own_name_also_shows_its_kind(hr: Any, client_for: Any) -> None:
    template = template_with_questions(Relationship.MANAGER, name="Leadership review")
    page = client_for(hr).get(reverse("reviews:template_edit", args=[template.pk]))
    assert heading(page.content.decode()) == "Leadership review · Manager review"


def test_the_cycle_page_lists_a_template_named_after_its_kind_once(
    hr: Any, client_for: Any
) -> None:
    cycle = draft_cycle(hr, relationships=[Relationship.SELF])
    named = template_with_questions(Relationship.MANAGER, name="Manager review")
    cycles.set_forms(cycle, by=hr, forms={Relationship.MANAGER: named})
    page = client_for(hr).get(reverse("reviews:cycle_setup", args=[cycle.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "Manager review" in text
    assert "Manager review: Manager review" not in text


def test_reopening_a_self_review_names_its_author_once(client_for: Any) -> None:
    team = make_team()
    review = team.self_review
    submit(review, answers=full_answers(review), version=0, by=team.owner)
    page = client_for(hr_admin()).get(reverse("reviews:review_reopen", args=[review.pk]))
    name = team.owner.display_name
    assert heading(page.content.decode()) == f"Reopen the self review of {name}"
