"""Freezing a track: a frozen version never changes; the same content gives the same
version, an edit a new one on the next freeze."""

from __future__ import annotations

import pytest

from tandem.growth.models import Expectation, FrameworkVersion
from tandem.growth.services import frameworks as services
from tests.factories import hr_admin
from tests.growth.factories_frameworks import ladder

pytestmark = pytest.mark.django_db


def test_freezing_copies_levels_competencies_and_expectations():
    track = ladder(codes=("IC1", "IC2"), competencies=1, key="eng")
    version = services.freeze(track)
    assert version.number == 1
    assert version.content["key"] == "eng"
    assert [level["code"] for level in version.content["levels"]] == ["IC1", "IC2"]
    assert version.content["competencies"][0]["expectations"] == {
        "IC1": "Competency 1 at IC1",
        "IC2": "Competency 1 at IC2",
    }


def test_freezing_an_unchanged_track_reuses_its_latest_version():
    track = ladder()
    first = services.freeze(track)
    assert services.freeze(track) == first
    assert FrameworkVersion.objects.filter(track=track).count() == 1


def test_an_edit_after_freezing_leaves_the_frozen_version_as_it_was():
    track = ladder(codes=("IC1", "IC2"), competencies=1)
    frozen = services.freeze(track)
    competency = track.competencies.get()
    services.update_competency(
        by=hr_admin(),
        competency=competency,
        key=competency.key,
        name=competency.name,
        expectations={track.levels.get(code="IC2").pk: "Leads the design of a service."},
    )
    frozen.refresh_from_db()
    assert frozen.content["competencies"][0]["expectations"]["IC2"] == "Competency 1 at IC2"


def test_the_next_freeze_after_an_edit_is_a_new_version():
    track = ladder(codes=("IC1", "IC2"), competencies=1)
    first = services.freeze(track)
    Expectation.objects.filter(level__code="IC2").update(text="Leads the design of a service.")
    second = services.freeze(track)
    assert second.number == 2
    assert second.content["competencies"][0]["expectations"]["IC2"] == (
        "Leads the design of a service."
    )
    assert second.content_hash != first.content_hash
