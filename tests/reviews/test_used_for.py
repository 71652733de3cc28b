"""The "used for" sentence: built from what the cycle and the program actually do, and the
same on the review form, in the API and on the cycle's set-up page. Calibration is never
claimed without a calibration step; pay or promotion as the program names them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.program.models import Program, Purpose
from tandem.reviews import purpose
from tandem.reviews.models import Phase, PhaseKind, QuestionKind, Relationship, UseFor
from tandem.reviews.purpose import Facts, sentence
from tandem.reviews.queries.writing import audience
from tests.reviews.api_helpers import BASE, bearer
from tests.reviews.factories import add_review
from tests.reviews.setup_helpers import draft_cycle
from tests.reviews.writing_helpers import make_team

pytestmark = pytest.mark.django_db

DEVELOPMENT_ONLY = "Used for development only: not for pay or promotion decisions."


def facts(**overrides: Any) -> Facts:
    fields: dict[str, Any] = {
        "use_for": UseFor.DEVELOPMENT,
        "ratings": True,
        "calibration_step": False,
        "purposes": (Purpose.GROWTH,),
        **overrides,
    }
    return Facts(**fields)


# --- The sentence, fact by fact ----------------------------------------------------------------


def test_a_development_cycle_is_used_for_development_only() -> None:
    assert sentence(facts()) == DEVELOPMENT_ONLY


def test_a_calibration_cycle_without_a_calibration_step_claims_no_calibration() -> None:
    assert sentence(facts(use_for=UseFor.CALIBRATION)) == DEVELOPMENT_ONLY


def test_a_calibration_cycle_with_a_calibration_step_says_calibration() -> None:
    assert sentence(facts(use_for=UseFor.CALIBRATION, calibration_step=True)) == (
        "Used for development and in calibration (managers and HR compare ratings across teams)."
    )


def test_calibration_needs_ratings_to_compare() -> None:
    text = sentence(facts(use_for=UseFor.CALIBRATION, calibration_step=True, ratings=False))
    assert text == DEVELOPMENT_ONLY


def test_a_pay_and_promotion_cycle_without_calibration_says_only_the_decisions() -> None:
    text = sentence(facts(use_for=UseFor.PAY_PROMOTION))
    assert text == "Used for development and as one input in pay and promotion decisions."
    assert "calibration" not in text


def test_a_pay_and_promotion_cycle_with_a_calibration_step_says_all_three() -> None:
    assert sentence(facts(use_for=UseFor.PAY_PROMOTION, calibration_step=True)) == (
        "Used for development, in calibration (managers and HR compare ratings across teams) "
        "and as one input in pay and promotion decisions."
    )


@pytest.mark.parametrize(
    ("purposes", "decisions"),
    [
        ((Purpose.GROWTH, Purpose.PAY), "pay decisions"),
        ((Purpose.PROMOTION,), "promotion decisions"),
        ((Purpose.PAY, Purpose.PROMOTION), "pay and promotion decisions"),
        ((Purpose.GROWTH,), "pay and promotion decisions"),
    ],
)
def test_the_decisions_are_those_the_program_names(
    purposes: tuple[str, ...], decisions: str
) -> None:
    text = sentence(facts(use_for=UseFor.PAY_PROMOTION, purposes=purposes))
    assert text == f"Used for development and as one input in {decisions}."


def test_a_pay_cycle_without_ratings_says_only_what_is_written_counts() -> None:
    text = sentence(facts(use_for=UseFor.PAY_PROMOTION, ratings=False))
    assert text.endswith("This cycle has no ratings: only what is written counts.")


# --- The facts, read from the cycle ----------------------------------------------------------


def test_a_dated_calibration_phase_is_a_calibration_step(hr: Any) -> None:
    cycle = draft_cycle(hr)
    assert not purpose.has_calibration_step(cycle)
    today = timezone.localdate()
    Phase.objects.create(
        cycle=cycle, kind=PhaseKind.CALIBRATION, opens_on=today, due_on=today + timedelta(days=3)
    )
    assert purpose.has_calibration_step(cycle)


def test_a_draft_has_ratings_when_a_template_asks_and_the_program_allows(hr: Any) -> None:
    cycle = draft_cycle(hr)
    assert purpose.has_ratings(cycle)
    program = Program.load()
    program.review_ratings_enabled = False
    program.save()
    assert not purpose.has_ratings(cycle)


def test_a_draft_with_written_questions_only_has_no_ratings(hr: Any) -> None:
    assert not purpose.has_ratings(draft_cycle(hr, kinds=[QuestionKind.TEXT]))


def test_a_launched_cycle_has_ratings_as_its_frozen_forms_say() -> None:
    assert purpose.has_ratings(make_team().cycle)
    assert not purpose.has_ratings(make_team(kinds=[QuestionKind.TEXT]).cycle)


# --- One sentence on the form, in the API and on the set-up page ---------------------------


def _main_content(html: str) -> str:
    """The page without its navigation: a manager's sidebar links to calibration pages."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _calibration_cycle() -> Any:
    return make_team(use_for=UseFor.CALIBRATION)


def test_the_review_form_claims_no_calibration_the_cycle_does_not_have(client_for: Any) -> None:
    team = _calibration_cycle()
    page = client_for(team.manager).get(reverse("reviews:review", args=[team.manager_review.pk]))
    text = _main_content(page.content.decode())
    assert DEVELOPMENT_ONLY in text
    assert "calibration" not in text.lower()


def test_the_review_form_says_calibration_once_the_cycle_has_the_step(client_for: Any) -> None:
    team = _calibration_cycle()
    today = timezone.localdate()
    Phase.objects.create(cycle=team.cycle, kind=PhaseKind.CALIBRATION, opens_on=today, due_on=today)
    page = client_for(team.manager).get(reverse("reviews:review", args=[team.manager_review.pk]))
    assert "in calibration (managers and HR compare ratings across teams)" in (
        page.content.decode()
    )


def test_the_api_says_what_the_form_says(client_for: Any) -> None:
    team = make_team(use_for=UseFor.PAY_PROMOTION)
    program = Program.load()
    program.purposes = [Purpose.GROWTH, Purpose.PROMOTION]
    program.save()
    expected = "Used for development and as one input in promotion decisions."
    body = bearer(team.owner).get(f"{BASE}/cycles/{team.cycle.pk}").json()
    assert body["who_reads"][0] == expected
    review = bearer(team.manager).get(f"{BASE}/reviews/{team.manager_review.pk}")
    assert review.json()["who_reads"][0].endswith(expected)
    assert audience(team.manager_review).endswith(expected)


def test_the_setup_page_previews_the_sentence_every_form_shows(hr: Any, client_for: Any) -> None:
    cycle = draft_cycle(hr, use_for=UseFor.CALIBRATION)
    page = client_for(hr).get(reverse("reviews:cycle_setup", args=[cycle.pk])).content.decode()
    assert f"Every review form in this cycle says: “{DEVELOPMENT_ONLY}”" in page
    assert "the cycle has no calibration dates" in page


# --- Who reads an upward review follows the program's switch -------------------------------


def _upward_review() -> Any:
    team = make_team(
        relationships=(
            Relationship.SELF,
            Relationship.MANAGER,
            Relationship.PEER,
            Relationship.UPWARD,
        )
    )
    return add_review(team.participant, team.peer, Relationship.UPWARD)


def test_an_upward_form_says_hr_reads_it_like_the_managers_when_the_switch_is_off() -> None:
    text = audience(_upward_review())
    assert "HR reads them the same way and never sees who wrote what." in text
    assert "only if the company" not in text


def test_an_upward_form_says_hr_reads_it_one_by_one_when_the_switch_is_on() -> None:
    program = Program.load()
    program.hr_reads_upward_reviews = True
    program.save()
    text = audience(_upward_review())
    assert "HR may also read each upward review one by one, with your name." in text
