"""Every change to the program is one recorded change; applying a preset and undoing a change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.program import presets, services
from tandem.program.models import Program, ProgramChange
from tests.factories import PersonFactory, hr_admin

pytestmark = pytest.mark.django_db


def _values() -> dict[str, object]:
    return presets.program_values(Program.current())


def test_applying_a_preset_sets_every_switch_to_its_value():
    services.apply_preset(by=hr_admin(), key="growth-first")
    assert _values() == dict(presets.GROWTH_FIRST.values)


def test_applying_a_preset_is_one_change_with_its_source_and_reason():
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="enterprise", reason="We are 3,000 now")
    assert ProgramChange.objects.count() == 1
    assert change.source == "preset:enterprise"
    assert change.by == admin and change.reason == "We are 3,000 now"


def test_applying_a_preset_is_audited_once():
    services.apply_preset(by=hr_admin(), key="enterprise")
    event = AuditEvent.objects.get(kind="program.preset.apply")
    assert event.changes["anonymity_minimum"] == [5, 7]


def test_the_change_records_exactly_the_switches_that_differ():
    before = _values()
    change = services.apply_preset(by=hr_admin(), key="scale-up")
    differ = {k for k, v in presets.SCALE_UP.values.items() if before[k] != v}
    assert set(change.changes) == differ


def test_the_diff_lists_exactly_the_changed_switches():
    program = Program.load()
    program.review_ratings_enabled = False
    program.save()
    current = _values()
    listed = presets.changes_between(current, presets.SCALE_UP.values)
    assert {c.key for c in listed} == {
        k for k, v in presets.SCALE_UP.values.items() if current[k] != v
    }


def test_the_diff_says_each_change_in_plain_words():
    listed = presets.changes_between(_values(), presets.GROWTH_FIRST.values)
    assert "Reviews use rating scales: on → off" in [c.sentence for c in listed]


def test_working_out_the_diff_saves_nothing():
    presets.changes_between(_values(), presets.ENTERPRISE.values)
    assert not Program.objects.exists() and not ProgramChange.objects.exists()


@pytest.mark.parametrize("key", [p.key for p in presets.BUILT_IN])
def test_apply_then_revert_gives_back_the_original_program_exactly(key):
    program = Program.load()
    program.anonymity_minimum = 9
    program.goal_period_length = "year"
    program.purposes = ["accountability", "growth"]
    program.save()
    original = _values()
    admin = hr_admin()
    change = services.apply_preset(by=admin, key=key)
    services.revert_change(by=admin, change=change)
    assert _values() == original


def test_a_revert_is_a_change_of_its_own_pointing_at_what_it_undid():
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="growth-first")
    undo = services.revert_change(by=admin, change=change, reason="Too soon")
    assert undo.source == "revert" and undo.reverts == change and undo.reason == "Too soon"
    assert undo.changes == {k: [after, before] for k, (before, after) in change.changes.items()}


def test_reverting_is_refused_when_a_later_change_set_the_same_switch():
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="growth-first")
    services.update_program(by=admin, review_ratings_enabled=True)
    after_edit = _values()
    with pytest.raises(ValidationError, match="Reviews use rating scales"):
        services.revert_change(by=admin, change=change)
    assert _values() == after_edit
    assert ProgramChange.objects.count() == 2


def test_reverting_twice_is_refused():
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="growth-first")
    services.revert_change(by=admin, change=change)
    with pytest.raises(ValidationError, match="cannot be undone"):
        services.revert_change(by=admin, change=change)


def test_a_later_change_of_other_switches_does_not_block_a_revert():
    admin = hr_admin()
    first = services.update_program(by=admin, anonymity_minimum=8)
    assert first.anonymity_minimum == 8
    change = ProgramChange.objects.get()
    services.update_program(by=admin, one_on_one_cadence="monthly")
    services.revert_change(by=admin, change=change)
    program = Program.current()
    assert program.anonymity_minimum == 5 and program.one_on_one_cadence == "monthly"


def test_applying_a_preset_the_program_already_matches_is_refused():
    admin = hr_admin()
    services.apply_preset(by=admin, key="startup-okrs")
    with pytest.raises(ValidationError, match="already matches"):
        services.apply_preset(by=admin, key="startup-okrs")
    assert ProgramChange.objects.count() == 1


def test_people_who_are_not_hr_admins_may_not_apply_a_preset():
    with pytest.raises(NotAllowed):
        services.apply_preset(by=PersonFactory(), key="growth-first")
    assert not ProgramChange.objects.exists()


def test_people_who_are_not_hr_admins_may_not_revert():
    change = services.apply_preset(by=hr_admin(), key="growth-first")
    with pytest.raises(NotAllowed):
        services.revert_change(by=PersonFactory(), change=change)


def test_an_editor_save_is_recorded_as_a_change_with_its_reason():
    admin = hr_admin()
    services.update_program(by=admin, reason="Fewer meetings", one_on_one_cadence="monthly")
    change = ProgramChange.objects.get()
    assert change.source == "edit" and change.reason == "Fewer meetings"
    assert change.changes == {"one_on_one_cadence": ["fortnightly", "monthly"]}


def test_an_editor_save_that_changes_nothing_records_no_change():
    services.update_program(by=hr_admin(), one_on_one_cadence="fortnightly")
    assert not ProgramChange.objects.exists()


def test_a_too_long_reason_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as caught:
        services.apply_preset(by=hr_admin(), key="growth-first", reason="x" * 2001)
    assert "reason" in caught.value.message_dict
    assert not ProgramChange.objects.exists()
