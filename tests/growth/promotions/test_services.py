"""Promotion windows and cases: deadlines on the server, the target level above the current
one, a decision always with a reason, and a promotion that moves the person's level with
its history and effective date, all at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.growth.models import (
    CaseComment,
    CaseStatus,
    LevelChange,
    LevelChangeSource,
    Outcome,
    Placement,
    PromotionCase,
    PromotionWindow,
)
from tandem.growth.services import promotions as services
from tandem.program.models import Program
from tests.factories import PersonFactory
from tests.growth.factories_promotions import WindowFactory, case_for
from tests.growth.promotions.helpers import team

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)


def _window(**kwargs: Any) -> PromotionWindow:
    return WindowFactory.create(
        opens_on=date(2026, 12, 1),
        cases_due_on=date(2026, 12, 20),
        decisions_due_on=date(2027, 1, 15),
        **kwargs,
    )


# --- Windows -----------------------------------------------------------------------------------


def test_hr_opens_a_window_with_its_committee():
    t = team()
    window = services.create_window(
        t.hr,
        name="Winter",
        opens_on=date(2026, 12, 1),
        cases_due_on=date(2026, 12, 20),
        decisions_due_on=date(2027, 1, 15),
        committee_ids=[t.member.pk],
    )
    assert list(window.committee.all()) == [t.member]
    assert AuditEvent.objects.filter(kind="growth.promotion_window.create").exists()


def test_window_dates_out_of_order_are_refused_naming_the_field():
    t = team()
    with pytest.raises(ValidationError) as error:
        services.create_window(
            t.hr,
            name="Winter",
            opens_on=date(2026, 12, 1),
            cases_due_on=date(2026, 12, 20),
            decisions_due_on=date(2026, 12, 10),
        )
    assert "decisions_due_on" in error.value.message_dict
    assert not PromotionWindow.objects.exists()


def test_a_manager_may_not_open_a_window():
    t = team()
    with pytest.raises(NotAllowed):
        services.create_window(
            t.manager,
            name="Winter",
            opens_on=date(2026, 12, 1),
            cases_due_on=date(2026, 12, 20),
            decisions_due_on=date(2027, 1, 15),
        )


# --- Opening a case ----------------------------------------------------------------------------


def test_a_manager_opens_a_case_for_a_report_from_their_current_level():
    t = team()
    case = services.open_case(
        t.manager, window=_window(), person=t.report, target_level=t.levels[2], today=TODAY
    )
    assert case.from_level == t.levels[1]
    assert case.status == CaseStatus.DRAFT


def test_a_skip_level_manager_may_open_a_case_too():
    t = team()
    case = services.open_case(
        t.skip, window=_window(), person=t.report, target_level=t.levels[3], today=TODAY
    )
    assert case.author == t.skip


def test_a_level_not_above_the_current_one_is_refused_naming_the_field():
    t = team()
    with pytest.raises(ValidationError) as error:
        services.open_case(
            t.manager, window=_window(), person=t.report, target_level=t.levels[0], today=TODAY
        )
    assert "not above" in error.value.message_dict["target_level"][0]
    assert not PromotionCase.objects.exists()


def test_the_same_level_is_refused_too():
    t = team()
    with pytest.raises(ValidationError) as error:
        services.open_case(
            t.manager, window=_window(), person=t.report, target_level=t.levels[1], today=TODAY
        )
    assert "target_level" in error.value.message_dict


def test_a_person_without_a_placement_gets_a_clear_message():
    t = team()
    unplaced = PersonFactory.create(manager=t.manager)
    with pytest.raises(ValidationError) as error:
        services.open_case(
            t.manager, window=_window(), person=unplaced, target_level=t.levels[2], today=TODAY
        )
    assert "no place on a career track" in error.value.message_dict["person"][0]


def test_no_new_case_after_the_cases_are_due():
    t = team()
    with pytest.raises(ValidationError) as error:
        services.open_case(
            t.manager,
            window=_window(),
            person=t.report,
            target_level=t.levels[2],
            today=date(2026, 12, 21),
        )
    assert "due on" in error.value.message_dict["window"][0]


def test_an_outsider_may_not_open_a_case():
    t = team()
    with pytest.raises(NotAllowed):
        services.open_case(
            t.outsider, window=_window(), person=t.report, target_level=t.levels[2], today=TODAY
        )


def test_the_person_opens_their_own_case_only_when_self_nomination_is_on():
    t = team()
    with pytest.raises(NotAllowed):
        services.open_case(
            t.report, window=_window(), person=t.report, target_level=t.levels[2], today=TODAY
        )
    program = Program.current()
    program.promotion_self_nomination = True
    program.save()
    case = services.open_case(
        t.report, window=_window(), person=t.report, target_level=t.levels[2], today=TODAY
    )
    assert case.author == t.report


def test_a_second_case_in_the_same_window_is_refused():
    t = team()
    window = _window()
    services.open_case(
        t.manager, window=window, person=t.report, target_level=t.levels[2], today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        services.open_case(
            t.skip, window=window, person=t.report, target_level=t.levels[3], today=TODAY
        )
    assert "already has a case" in error.value.message_dict["person"][0]


# --- Writing, submitting, commenting -----------------------------------------------------------


def test_an_empty_case_cannot_be_submitted():
    t = team()
    case = services.open_case(
        t.manager, window=_window(), person=t.report, target_level=t.levels[2], today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        services.submit_case(t.manager, case, text="  ", today=TODAY)
    assert "text" in error.value.message_dict


def test_the_author_submits_the_case_for_review():
    t = team()
    case = services.open_case(
        t.manager, window=_window(), person=t.report, target_level=t.levels[2], today=TODAY
    )
    submitted = services.submit_case(t.manager, case, text="Led the migration.", today=TODAY)
    assert submitted.status == CaseStatus.IN_REVIEW
    assert submitted.submitted_at is not None


def test_the_skip_level_manager_and_the_committee_comment():
    t = team()
    case = case_for(t.report, t.manager, window=_window(committee=[t.member]))
    services.comment(t.skip, case, text="Agreed.")
    services.comment(t.member, case, text="What about scope?")
    assert CaseComment.objects.filter(case=case).count() == 2


def test_an_outsider_may_not_comment():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    with pytest.raises(NotAllowed):
        services.comment(t.outsider, case, text="Hello")


def test_the_author_withdraws_the_case():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    assert services.withdraw_case(t.manager, case).status == CaseStatus.WITHDRAWN


# --- Deciding -------------------------------------------------------------------------------


def test_a_promotion_moves_the_level_with_history_and_effective_date():
    t = team()
    case = case_for(t.report, t.manager, window=_window(committee=[t.member]))
    services.decide(
        t.member,
        case,
        outcome=Outcome.PROMOTED,
        reason="Operates at IC3 scope.",
        effective_on=date(2027, 1, 1),
        today=TODAY,
    )
    placement = Placement.objects.get(person=t.report)
    assert placement.level == t.levels[2]
    assert placement.since == date(2027, 1, 1)
    change = LevelChange.objects.get(person=t.report)
    assert (change.from_level, change.to_level) == (t.levels[1], t.levels[2])
    assert change.source == LevelChangeSource.PROMOTION
    assert change.promotion_case == case
    assert change.effective_on == date(2027, 1, 1)
    assert AuditEvent.objects.filter(kind="growth.promotion_case.decide").exists()


def test_not_yet_keeps_the_level_and_records_the_development_actions():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    decided = services.decide(
        t.hr,
        case,
        outcome=Outcome.NOT_YET,
        reason="Scope not yet at IC3.",
        development_actions="Lead one cross-team project.",
    )
    assert decided.status == CaseStatus.DECIDED
    assert Placement.objects.get(person=t.report).level == t.levels[1]
    assert not LevelChange.objects.exists()


def test_a_decision_without_a_reason_is_refused_and_nothing_changes():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    with pytest.raises(ValidationError) as error:
        services.decide(
            t.hr, case, outcome=Outcome.PROMOTED, reason=" ", effective_on=date(2027, 1, 1)
        )
    assert "reason" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    assert Placement.objects.get(person=t.report).level == t.levels[1]


def test_not_yet_without_development_actions_is_refused():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    with pytest.raises(ValidationError) as error:
        services.decide(t.hr, case, outcome=Outcome.NOT_YET, reason="Not yet.")
    assert "development_actions" in error.value.message_dict


def test_an_effective_date_before_the_person_started_is_refused():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    with pytest.raises(ValidationError) as error:
        services.decide(
            t.hr, case, outcome=Outcome.PROMOTED, reason="Ready.", effective_on=date(2021, 1, 1)
        )
    assert "started" in error.value.message_dict["effective_on"][0]
    assert not LevelChange.objects.exists()


def test_an_effective_date_before_the_window_opened_is_refused():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    with pytest.raises(ValidationError) as error:
        services.decide(
            t.hr, case, outcome=Outcome.PROMOTED, reason="Ready.", effective_on=date(2026, 11, 1)
        )
    assert "window opened" in error.value.message_dict["effective_on"][0]


def test_a_promotion_without_an_effective_date_is_refused():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    with pytest.raises(ValidationError) as error:
        services.decide(t.hr, case, outcome=Outcome.PROMOTED, reason="Ready.")
    assert "effective_on" in error.value.message_dict


def test_no_decision_once_the_window_is_closed():
    t = team()
    window = _window()
    case = case_for(t.report, t.manager, window=window)
    services.close_window(t.hr, window)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.decide(
            t.hr, case, outcome=Outcome.PROMOTED, reason="Ready.", effective_on=date(2027, 1, 1)
        )
    assert "closed" in error.value.message_dict["window"][0]


def test_after_decisions_are_due_a_committee_member_no_longer_decides():
    t = team()
    case = case_for(t.report, t.manager, window=_window(committee=[t.member]))
    with pytest.raises(ValidationError) as error:
        services.decide(
            t.member,
            case,
            outcome=Outcome.PROMOTED,
            reason="Ready.",
            effective_on=date(2027, 1, 1),
            today=date(2027, 1, 16),
        )
    assert "15 Jan 2027" in error.value.message_dict["outcome"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


def test_after_decisions_are_due_hr_still_decides_a_late_case():
    t = team()
    case = case_for(t.report, t.manager, window=_window(committee=[t.member]))
    decided = services.decide(
        t.hr,
        case,
        outcome=Outcome.PROMOTED,
        reason="Ready.",
        effective_on=date(2027, 1, 1),
        today=date(2027, 1, 16),
    )
    assert decided.status == CaseStatus.DECIDED


def test_the_author_may_not_decide_their_own_case():
    t = team()
    case = case_for(t.report, t.manager, window=_window())
    with pytest.raises(NotAllowed):
        services.decide(
            t.manager, case, outcome=Outcome.PROMOTED, reason="Yes", effective_on=date(2027, 1, 1)
        )


def test_a_draft_is_not_decided():
    t = team()
    case = case_for(t.report, t.manager, window=_window(), status=CaseStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.decide(
            t.hr, case, outcome=Outcome.PROMOTED, reason="Ready.", effective_on=date(2027, 1, 1)
        )
    assert "status" in error.value.message_dict


def test_a_committee_member_neither_reads_nor_decides_their_own_case():
    t = team()
    window = _window(committee=[t.report, t.member])
    case = case_for(t.report, t.manager, window=window)
    with pytest.raises(NotAllowed):
        services.decide(
            t.report, case, outcome=Outcome.PROMOTED, reason="Me", effective_on=date(2027, 1, 1)
        )
    with pytest.raises(NotAllowed):
        services.comment(t.report, case, text="Looks great")
