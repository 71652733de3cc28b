"""Promotion pages: the case page's evidence as its reader may see it (never another's
private feedback), the person seeing only the decision, the committee view's constant query
count, and the pages' forms answering bad input with a message and nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.feedback.models import Visibility
from tandem.growth.models import CaseStatus, LevelChange, Outcome, PromotionCase
from tandem.growth.queries import profile
from tandem.org.models import Person
from tests.factories import PersonFactory
from tests.feedback.factories import FeedbackFactory
from tests.growth.factories_promotions import WindowFactory, case_for, place
from tests.growth.promotions.helpers import Team, team

pytestmark = pytest.mark.django_db

PRIVATE = "Private words only Ravi may read"
WITH_MANAGER = "Words for Ravi and his manager"
PRAISE = "Public praise for the migration"


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture(autouse=True)
def _no_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """The profile is written by another part of growth; here it has one row."""
    row = profile.CompetencyRow(
        competency_id=1,
        key="craft",
        group="Craft",
        name="Technical craft",
        expected="Designs systems across teams",
        manager=3.0,
        self_rating=4.0,
        peers=None,
        scale_points=5,
        gap=1.0,
    )
    monkeypatch.setattr(profile, "competency_profile", lambda viewer, person, level=None: [row])


def _feedback(t: Team) -> None:
    giver = PersonFactory.create()
    FeedbackFactory.create(
        giver=giver, recipient=t.report, visibility=Visibility.PRIVATE, text=PRIVATE
    )
    FeedbackFactory.create(
        giver=giver, recipient=t.report, visibility=Visibility.WITH_MANAGER, text=WITH_MANAGER
    )
    FeedbackFactory.create(
        giver=giver, recipient=t.report, visibility=Visibility.PUBLIC, text=PRAISE
    )


def test_the_case_page_shows_the_evidence_the_author_may_read():
    t = team()
    _feedback(t)
    case = case_for(t.report, t.manager)
    page = _client(t.manager).get(reverse("growth:promotion_case", args=[case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert WITH_MANAGER in text
    assert PRAISE in text
    assert "Technical craft" in text
    assert "IC2 Engineer 2 since" in text


def test_the_evidence_never_shows_private_feedback_its_reader_could_not_read():
    t = team()
    _feedback(t)
    case = case_for(t.report, t.manager, window=WindowFactory.create(committee=[t.member]))
    for reader in (t.manager, t.skip, t.member, t.hr):
        text = _client(reader).get(reverse("growth:promotion_case", args=[case.pk])).content
        assert PRIVATE.encode() not in text, reader
    # The committee member is not the recipient's manager: the manager's feedback is theirs.
    member_page = _client(t.member).get(reverse("growth:promotion_case", args=[case.pk]))
    assert WITH_MANAGER.encode() not in member_page.content
    assert PRAISE.encode() in member_page.content


def test_the_evidence_api_answer_holds_no_private_feedback_either():
    t = team()
    _feedback(t)
    case = case_for(t.report, t.manager, window=WindowFactory.create(committee=[t.member]))
    answer = _client(t.member).get(f"/api/v1/growth/promotion-cases/{case.pk}")
    assert answer.status_code == 200
    assert PRIVATE.encode() not in answer.content


def test_the_person_does_not_see_their_case_before_it_is_decided():
    t = team()
    case = case_for(t.report, t.manager)
    page = _client(t.report).get(reverse("growth:promotion_case", args=[case.pk]))
    assert page.status_code == 404


def test_the_person_sees_the_decision_and_reason_but_not_the_case():
    t = team()
    case = case_for(
        t.report,
        t.manager,
        status=CaseStatus.DECIDED,
        outcome=Outcome.NOT_YET,
        decision_reason="Scope not yet at IC3.",
        development_actions="Lead one cross-team project.",
        text="Secret case text",
    )
    page = _client(t.report).get(reverse("growth:promotion_case", args=[case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Scope not yet at IC3." in text
    assert "Lead one cross-team project." in text
    assert "Secret case text" not in text


def test_an_outsider_gets_404_for_a_case():
    t = team()
    case = case_for(t.report, t.manager)
    page = _client(t.outsider).get(reverse("growth:promotion_case", args=[case.pk]))
    assert page.status_code == 404


def test_the_case_page_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    t = team()
    _feedback(t)
    case = case_for(t.report, t.manager)
    client = _client(t.manager)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("growth:promotion_case", args=[case.pk])).status_code == 200


def test_the_committee_view_groups_cases_by_track_and_level():
    t = team()
    window = WindowFactory.create(committee=[t.member])
    case_for(t.report, t.manager, window=window)
    page = _client(t.member).get(reverse("growth:promotion_window", args=[window.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "to IC3 Engineer 3" in text
    assert "Ravi Report" in text


def test_the_committee_view_costs_the_same_for_three_cases_and_thirty(
    django_assert_max_num_queries,
):
    t = team()
    window = WindowFactory.create(committee=[t.member])
    for _ in range(30):
        person = PersonFactory.create(manager=t.manager)
        place(person, t.levels[0])
        case_for(person, t.manager, window=window)
    client = _client(t.member)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("growth:promotion_window", args=[window.pk]))
    assert page.content.decode().count("data-case=") == 30


def test_the_committee_view_filters_by_status():
    t = team()
    window = WindowFactory.create(committee=[t.member])
    case_for(t.report, t.manager, window=window, status=CaseStatus.DRAFT)
    page = _client(t.member).get(
        reverse("growth:promotion_window", args=[window.pk]) + "?status=in_review"
    )
    assert "data-case=" not in page.content.decode()


def test_a_manager_outside_the_committee_gets_404_for_the_committee_view():
    t = team()
    window = WindowFactory.create(committee=[t.member])
    page = _client(t.manager).get(reverse("growth:promotion_window", args=[window.pk]))
    assert page.status_code == 404


def test_opening_a_case_to_a_lower_level_shows_the_message_and_saves_nothing():
    t = team()
    window = WindowFactory.create()
    page = _client(t.manager).post(
        reverse("growth:promotion_case_new", args=[window.pk]),
        {"person": t.report.email, "target_level": t.levels[0].pk, "text": ""},
    )
    assert page.status_code == 400
    assert "not above the person" in page.content.decode()
    assert not PromotionCase.objects.exists()


def test_opening_a_case_by_the_page_goes_to_the_case():
    t = team()
    window = WindowFactory.create()
    page = _client(t.manager).post(
        reverse("growth:promotion_case_new", args=[window.pk]),
        {"person": t.report.email, "target_level": t.levels[2].pk, "text": "Ready"},
    )
    case = PromotionCase.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("growth:promotion_case", args=[case.pk])


def test_deciding_by_the_page_without_a_reason_saves_nothing():
    t = team()
    case = case_for(t.report, t.manager)
    _client(t.hr).post(
        reverse("growth:promotion_case_decide", args=[case.pk]),
        {"outcome": "promoted", "reason": "", "effective_on": "2027-01-01"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


def test_deciding_by_the_page_promotes_the_person():
    t = team()
    case = case_for(t.report, t.manager)
    _client(t.hr).post(
        reverse("growth:promotion_case_decide", args=[case.pk]),
        {
            "outcome": "promoted",
            "reason": "Ready.",
            "effective_on": timezone.localdate().isoformat(),
        },
    )
    assert LevelChange.objects.filter(promotion_case=case).exists()


def test_hr_opens_a_window_with_dates_out_of_order_and_sees_the_field_named():
    t = team()
    page = _client(t.hr).post(
        reverse("growth:promotions"),
        {
            "name": "Winter",
            "opens_on": "2027-01-10",
            "cases_due_on": "2027-01-01",
            "decisions_due_on": "2027-02-01",
            "committee": "",
        },
    )
    assert page.status_code == 400
    assert "Cases cannot be due before the window opens" in page.content.decode()


def test_the_promotions_list_costs_the_same_for_one_window_and_ten(
    django_assert_max_num_queries,
):
    t = team()
    for _ in range(10):
        case_for(
            t.report if _ == 0 else place_new(t),
            t.manager,
            window=WindowFactory.create(committee=[t.member]),
        )
    client = _client(t.member)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("growth:promotions"))
    assert page.content.decode().count("data-window=") == 10


def place_new(t: Team) -> Person:
    person = PersonFactory.create(manager=t.manager)
    place(person, t.levels[0])
    return person


def test_the_evidence_endpoint_gives_the_author_what_the_case_page_shows(
    django_assert_max_num_queries: Any,
):
    t = team()
    _feedback(t)
    case = case_for(t.report, t.manager)
    client = _client(t.manager)
    with django_assert_max_num_queries(30):
        answer = client.get(f"/api/v1/growth/promotion-cases/{case.pk}/evidence")
    assert answer.status_code == 200
    body = answer.json()
    texts = {item["text"] for item in body["feedback"]}
    assert {WITH_MANAGER, PRAISE} <= texts
    assert PRIVATE not in texts
    assert body["praise"] == 1
    assert body["current_level"]["code"] == "IC2"
    assert body["competencies"][0]["name"] == "Technical craft"


def test_the_evidence_endpoint_gives_a_committee_member_no_private_feedback():
    t = team()
    _feedback(t)
    case = case_for(t.report, t.manager, window=WindowFactory.create(committee=[t.member]))
    answer = _client(t.member).get(f"/api/v1/growth/promotion-cases/{case.pk}/evidence")
    assert answer.status_code == 200
    assert PRIVATE.encode() not in answer.content
    assert WITH_MANAGER.encode() not in answer.content


def test_the_person_and_outsiders_get_404_for_the_evidence():
    t = team()
    case = case_for(t.report, t.manager)
    for reader in (t.report, t.outsider):
        answer = _client(reader).get(f"/api/v1/growth/promotion-cases/{case.pk}/evidence")
        assert answer.status_code == 404, reader
