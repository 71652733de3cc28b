"""HR edits tracks, levels and competencies: every change audited, bad input named,
nobody else allowed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.growth.models import Level
from tandem.growth.services import frameworks as services
from tandem.growth.services import placements
from tests.factories import PersonFactory, hr_admin
from tests.growth.factories_frameworks import ladder

pytestmark = pytest.mark.django_db


def test_hr_creates_a_track_and_it_is_audited():
    hr = hr_admin()
    track = services.create_track(by=hr, key="sales", name="Sales")
    assert AuditEvent.objects.filter(kind="growth.track.create", object_id=str(track.pk)).exists()


def test_an_employee_may_not_create_a_track():
    with pytest.raises(NotAllowed):
        services.create_track(by=PersonFactory(), key="sales", name="Sales")


def test_a_track_key_with_spaces_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as caught:
        services.create_track(by=hr_admin(), key="sales team", name="Sales")
    assert "key" in caught.value.message_dict


def test_a_level_code_twice_in_a_track_is_refused():
    track = ladder(codes=("IC1",))
    with pytest.raises(ValidationError) as caught:
        services.add_level(by=hr_admin(), track=track, code="ic1", title="Again")
    assert "already has a level" in caught.value.message_dict["code"][0]


def test_a_new_level_goes_last():
    track = ladder(codes=("IC1", "IC2"))
    services.add_level(by=hr_admin(), track=track, code="IC3", title="Senior")
    assert list(track.levels.values_list("code", flat=True)) == ["IC1", "IC2", "IC3"]


def test_moving_a_level_up_swaps_it_with_the_one_before():
    track = ladder(codes=("IC1", "IC2", "IC3"))
    services.move_level(by=hr_admin(), level=track.levels.get(code="IC3"), direction=-1)
    assert list(track.levels.values_list("code", flat=True)) == ["IC1", "IC3", "IC2"]


def test_moving_the_first_level_up_changes_nothing():
    track = ladder(codes=("IC1", "IC2"))
    assert not services.move_level(by=hr_admin(), level=track.levels.get(code="IC1"), direction=-1)
    assert list(track.levels.values_list("code", flat=True)) == ["IC1", "IC2"]


def test_an_unused_level_is_removed_with_its_expectations():
    track = ladder(codes=("IC1", "IC2"))
    services.remove_level(by=hr_admin(), level=track.levels.get(code="IC2"))
    assert list(track.levels.values_list("code", flat=True)) == ["IC1"]


def test_a_level_someone_is_placed_on_cannot_be_removed():
    hr = hr_admin()
    track = ladder(codes=("IC1", "IC2"))
    level = track.levels.get(code="IC2")
    placements.place(by=hr, person=PersonFactory(), level=level)
    with pytest.raises(ValidationError, match="in use"):
        services.remove_level(by=hr, level=level)
    assert Level.objects.filter(pk=level.pk).exists()


def test_moving_a_competency_down_reorders_it():
    track = ladder(competencies=3)
    services.move_competency(
        by=hr_admin(), competency=track.competencies.get(key="c1"), direction=1
    )
    assert list(track.competencies.values_list("key", flat=True)) == ["c2", "c1", "c3"]


def test_editing_expectations_writes_adds_and_removes_per_level():
    hr = hr_admin()
    track = ladder(codes=("IC1", "IC2"), competencies=1)
    competency = track.competencies.get()
    ic1, ic2 = track.levels.all()
    services.update_competency(
        by=hr,
        competency=competency,
        key="c1",
        name="Craft",
        group="Craft",
        expectations={ic1.pk: "", ic2.pk: "Writes **clear** code."},
    )
    texts = dict(competency.expectations.values_list("level__code", "text"))
    assert texts == {"IC2": "Writes **clear** code."}
    event = AuditEvent.objects.get(kind="growth.competency.update")
    assert event.changes["expectations"]["IC1"] == ["Competency 1 at IC1", ""]


def test_an_expectation_for_another_tracks_level_is_refused():
    track = ladder(competencies=1)
    other = ladder(codes=("X1",))
    with pytest.raises(ValidationError):
        services.update_competency(
            by=hr_admin(),
            competency=track.competencies.get(),
            key="c1",
            name="Craft",
            expectations={other.levels.get().pk: "Elsewhere."},
        )


def test_removing_a_competency_is_audited():
    hr = hr_admin()
    track = ladder(competencies=2)
    services.remove_competency(by=hr, competency=track.competencies.get(key="c1"))
    assert list(track.competencies.values_list("key", flat=True)) == ["c2"]
    assert AuditEvent.objects.filter(kind="growth.competency.remove").exists()
