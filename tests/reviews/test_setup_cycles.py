"""Cycle settings, who takes part, forms and phase dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.org.models import PersonStatus
from tandem.reviews.models import Cycle, CycleForm, Phase, PhaseKind, Relationship, ScoreMethod
from tandem.reviews.services import cycles
from tests.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories import CycleFactory, TemplateFactory
from tests.reviews.setup_helpers import draft_cycle, launch, phase_dates

pytestmark = pytest.mark.django_db


def _picked(cycle: Cycle) -> set[int]:
    return set(cycles.selected_people(cycle).values_list("pk", flat=True))


def _rules(cycle: Cycle, hr: Any, **rules: Any) -> Cycle:
    return cycles.set_participant_rules(cycle, by=hr, **rules)


def test_a_department_rule_includes_its_sub_departments(hr: Any) -> None:
    parent = DepartmentFactory()
    child = DepartmentFactory(parent=parent)
    inside = PersonFactory(department=child)
    PersonFactory(department=DepartmentFactory())
    cycle = _rules(CycleFactory(), hr, departments=[parent])
    assert _picked(cycle) == {inside.pk}


def test_people_who_started_on_or_after_the_date_are_left_out(hr: Any) -> None:
    department = DepartmentFactory()
    old = PersonFactory(department=department, start_date=date(2020, 1, 1))
    PersonFactory(department=department, start_date=date(2025, 6, 1))
    cycle = _rules(CycleFactory(), hr, departments=[department], started_before=date(2025, 6, 1))
    assert _picked(cycle) == {old.pk}


def test_people_on_leave_are_left_out_when_the_rule_says_so(hr: Any) -> None:
    department = DepartmentFactory()
    here = PersonFactory(department=department)
    away = PersonFactory(department=department, status=PersonStatus.ON_LEAVE)
    cycle = _rules(CycleFactory(), hr, departments=[department], exclude_on_leave=True)
    assert _picked(cycle) == {here.pk}
    cycle = _rules(cycle, hr, departments=[department], exclude_on_leave=False)
    assert _picked(cycle) == {here.pk, away.pk}


def test_people_who_left_are_never_included_not_even_by_hand(hr: Any) -> None:
    department = DepartmentFactory()
    gone = PersonFactory(
        department=department, status=PersonStatus.LEFT, end_date=timezone.localdate()
    )
    cycle = _rules(CycleFactory(), hr, departments=[department], additions=[gone])
    assert _picked(cycle) == set()


def test_people_added_and_left_out_by_hand(hr: Any) -> None:
    department = DepartmentFactory()
    stays = PersonFactory(department=department)
    left_out = PersonFactory(department=department)
    extra = PersonFactory(department=DepartmentFactory())
    cycle = _rules(
        CycleFactory(), hr, departments=[department], additions=[extra], removals=[left_out]
    )
    assert _picked(cycle) == {stays.pk, extra.pk}


def test_the_preview_counts_and_names_the_first_twenty(hr: Any) -> None:
    department = DepartmentFactory()
    for _ in range(22):
        PersonFactory(department=department)
    preview = cycles.preview_participants(_rules(CycleFactory(), hr, departments=[department]))
    assert preview.count == 22 and len(preview.names) == 20


def test_weights_must_add_up_to_100_and_nothing_is_saved(hr: Any) -> None:
    cycle = CycleFactory(name="Before")
    with pytest.raises(ValidationError) as error:
        cycles.update_cycle(
            cycle,
            by=hr,
            name="After",
            score_method=ScoreMethod.WEIGHTED,
            weight_goals=30,
            weight_manager=40,
            weight_self=10,
            weight_peers=10,
            weight_competencies=0,
        )
    assert error.value.message_dict == {
        "weights": ["The weights add up to 90; they must add up to 100."]
    }
    cycle.refresh_from_db()
    assert (cycle.name, cycle.score_method) == ("Before", ScoreMethod.MANAGER_RATING)


def test_the_fewest_peers_cannot_exceed_the_most(hr: Any) -> None:
    with pytest.raises(ValidationError) as error:
        cycles.update_cycle(CycleFactory(), by=hr, peers_min=6, peers_max=3)
    assert "peers_min" in error.value.message_dict


def test_a_period_that_ends_before_it_starts_is_refused(hr: Any) -> None:
    with pytest.raises(ValidationError) as error:
        cycles.create_cycle(
            by=hr, name="Backwards", period_start=date(2025, 6, 1), period_end=date(2025, 1, 1)
        )
    assert "period_end" in error.value.message_dict
    assert not Cycle.objects.exists()


def test_a_form_takes_a_template_of_its_own_relationship(hr: Any) -> None:
    manager_template = TemplateFactory(relationship=Relationship.MANAGER, name="Mgr")
    cycle = CycleFactory()
    with pytest.raises(ValidationError) as error:
        cycles.set_forms(cycle, by=hr, forms={Relationship.SELF: manager_template})
    assert error.value.message_dict["self"] == ["Self review: “Mgr” is a manager review template."]
    assert not CycleForm.objects.exists()


def test_every_phase_but_calibration_needs_dates(hr: Any) -> None:
    dates = phase_dates()
    del dates[PhaseKind.SHARING]
    with pytest.raises(ValidationError) as error:
        cycles.set_phases(CycleFactory(), by=hr, dates=dates)
    assert error.value.message_dict == {
        "sharing_opens_on": ["Sharing: give the dates of this phase."]
    }
    assert not Phase.objects.exists()


def test_a_phase_is_not_due_before_it_opens(hr: Any) -> None:
    dates = phase_dates()
    opens, _ = dates[PhaseKind.SELF]
    dates[PhaseKind.SELF] = (opens, opens - timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        cycles.set_phases(CycleFactory(), by=hr, dates=dates)
    assert "Self review" in error.value.message_dict["self_due_on"][0]


def test_a_phase_may_not_open_before_the_one_before_it(hr: Any) -> None:
    dates = phase_dates()
    self_opens, _ = dates[PhaseKind.SELF]
    dates[PhaseKind.MANAGER] = (self_opens - timedelta(days=1), self_opens + timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        cycles.set_phases(CycleFactory(), by=hr, dates=dates)
    assert "Manager review" in error.value.message_dict["manager_opens_on"][0]


@pytest.fixture
def launched(hr: Any, django_capture_on_commit_callbacks: Any) -> Cycle:
    """A cycle launched by `hr` for a department of one."""
    department = DepartmentFactory()
    PersonFactory(department=department)
    return launch(draft_cycle(hr, departments=[department]), hr, django_capture_on_commit_callbacks)


def test_extending_a_deadline_after_launch_is_audited_with_old_and_new_dates(
    hr: Any, launched: Cycle
) -> None:
    cycle = launched
    dates = phase_dates()
    opens, due = dates[PhaseKind.ACKNOWLEDGEMENT]
    dates[PhaseKind.ACKNOWLEDGEMENT] = (opens, due + timedelta(days=7))
    cycles.set_phases(cycle, by=hr, dates=dates)
    event = AuditEvent.objects.filter(kind="review.cycle_phases").latest("at")
    assert event.changes["acknowledgement"] == [
        [opens.isoformat(), due.isoformat()],
        [opens.isoformat(), (due + timedelta(days=7)).isoformat()],
    ]


def test_after_launch_the_period_no_longer_changes(hr: Any, launched: Cycle) -> None:
    cycle = launched
    with pytest.raises(ValidationError) as error:
        cycles.update_cycle(cycle, by=hr, period_start=date(2020, 1, 1))
    assert "period_start" in error.value.message_dict
    cycles.update_cycle(cycle, by=hr, name="Renamed")
    cycle.refresh_from_db()
    assert cycle.name == "Renamed"
