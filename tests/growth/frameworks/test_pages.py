"""The framework pages: everyone reads tracks, a track at a level and two levels side by
side; HR edits, imports, exports, maps labels and places people. Query budgets pinned."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.growth.models import Competency, Level, LevelAlias, Placement, Track
from tandem.growth.services import placements
from tests.factories import PersonFactory, hr_admin
from tests.growth.factories_frameworks import ladder

pytestmark = pytest.mark.django_db

GOOD = b"""tracks:
  - key: sales
    name: Sales
    levels: [{code: S1, title: Rep}]
    competencies:
      - {key: deals, name: Deals, expectations: {S1: Closes deals.}}
"""


def test_the_tracks_page_lists_every_track_within_its_query_budget(
    client_for, django_assert_max_num_queries
):
    for index in range(3):
        ladder(codes=("A1", "A2", "A3"), competencies=4, name=f"Track {index}")
    client = client_for(PersonFactory())
    with django_assert_max_num_queries(12):
        response = client.get(reverse("growth:frameworks"))
    text = response.content.decode()
    assert all(f"Track {index}" in text for index in range(3))


def test_the_tracks_page_has_a_helpful_empty_state(client_for):
    response = client_for(PersonFactory()).get(reverse("growth:frameworks"))
    assert "HR has not published any career track yet" in response.content.decode()


def test_a_track_shows_the_viewers_level_by_default(client_for, django_assert_max_num_queries):
    track = ladder(codes=("IC1", "IC2", "IC3"), competencies=6)
    person = PersonFactory()
    placements.place(by=hr_admin(), person=person, level=track.levels.get(code="IC2"))
    client = client_for(person)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("growth:track", args=[track.pk]))
    text = response.content.decode()
    assert "Competency 6 at IC2" in text
    assert "Competency 1 at IC1" not in text
    assert "What changes at IC3" in text


def test_a_track_shows_the_level_picked(client_for):
    track = ladder(codes=("IC1", "IC2", "IC3"))
    level = track.levels.get(code="IC3")
    response = client_for(PersonFactory()).get(
        reverse("growth:track", args=[track.pk]) + f"?level={level.pk}"
    )
    assert "Competency 1 at IC3" in response.content.decode()


def test_expectations_are_rendered_as_safe_markdown(client_for):
    track = ladder(codes=("IC1",), competencies=1)
    Competency.objects.get(track=track).expectations.update(
        text="Writes **clear** code <script>alert(1)</script> [x](javascript:alert(1))"
    )
    text = (
        client_for(PersonFactory()).get(reverse("growth:track", args=[track.pk])).content.decode()
    )
    assert "<strong>clear</strong>" in text
    assert "<script>alert(1)" not in text
    assert 'href="javascript' not in text


def test_compare_defaults_to_the_viewers_level_and_the_next(
    client_for, django_assert_max_num_queries
):
    track = ladder(codes=("IC1", "IC2", "IC3"), competencies=5)
    Competency.objects.get(key="c1").expectations.filter(level__code="IC3").update(
        text="Competency 1 at IC2"
    )
    person = PersonFactory()
    placements.place(by=hr_admin(), person=person, level=track.levels.get(code="IC2"))
    client = client_for(person)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("growth:compare", args=[track.pk]))
    text = response.content.decode()
    assert "IC2 beside IC3" in text
    assert "4 of 5 competencies ask for more at IC3" in text


def test_compare_at_the_last_level_says_there_is_no_next(client_for):
    track = ladder(codes=("IC1", "IC2"))
    last = track.levels.get(code="IC2")
    response = client_for(PersonFactory()).get(
        reverse("growth:compare", args=[track.pk]) + f"?from={last.pk}"
    )
    assert "is the last level" in response.content.decode()


def test_an_archived_track_is_hidden_from_employees(client_for):
    track = ladder()
    Track.objects.filter(pk=track.pk).update(archived_at="2025-01-01T00:00:00Z")
    response = client_for(PersonFactory()).get(reverse("growth:track", args=[track.pk]))
    assert response.status_code == 404


def test_the_editor_lists_levels_and_competencies_with_move_buttons(
    client_for, django_assert_max_num_queries
):
    track = ladder(codes=("IC1", "IC2", "IC3"), competencies=8)
    client = client_for(hr_admin())
    with django_assert_max_num_queries(14):
        response = client.get(reverse("growth:track_edit", args=[track.pk]))
    text = response.content.decode()
    assert "Move up" in text and "Move down" in text
    assert "Competency 8" in text


def test_hr_moves_a_level_from_the_editor(client_for):
    track = ladder(codes=("IC1", "IC2"))
    level = track.levels.get(code="IC2")
    response = client_for(hr_admin()).post(
        reverse("growth:level_move", args=[level.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert list(track.levels.values_list("code", flat=True)) == ["IC2", "IC1"]


def test_hr_adds_a_level_and_a_duplicate_code_is_named(client_for):
    track = ladder(codes=("IC1",))
    client = client_for(hr_admin())
    url = reverse("growth:level_new", args=[track.pk])
    assert client.post(url, {"code": "IC2", "title": "Engineer II"}).status_code == 302
    response = client.post(url, {"code": "IC2", "title": "Again"})
    assert response.status_code == 400
    assert "already has a level IC2" in response.content.decode()


def test_hr_writes_the_expectation_at_each_level(client_for):
    track = ladder(codes=("IC1", "IC2"), competencies=1)
    competency = Competency.objects.get(track=track)
    ic1, ic2 = track.levels.all()
    response = client_for(hr_admin()).post(
        reverse("growth:competency_edit", args=[competency.pk]),
        {
            "key": "c1",
            "name": "Craft",
            "group": "",
            "description": "",
            f"level_{ic1.pk}": "Writes code.",
            f"level_{ic2.pk}": "Writes clear code.",
        },
    )
    assert response.status_code == 302
    assert dict(competency.expectations.values_list("level__code", "text")) == {
        "IC1": "Writes code.",
        "IC2": "Writes clear code.",
    }


def test_a_level_in_use_is_not_removed_and_the_editor_says_why(client_for):
    hr = hr_admin()
    track = ladder(codes=("IC1",))
    level = track.levels.get()
    placements.place(by=hr, person=PersonFactory(), level=level)
    client = client_for(hr)
    response = client.post(reverse("growth:level_remove", args=[level.pk]), follow=True)
    assert "is in use" in response.content.decode()
    assert Level.objects.filter(pk=level.pk).exists()


def test_hr_imports_a_file_from_the_page(client_for):
    response = client_for(hr_admin()).post(
        reverse("growth:framework_import"), {"file": SimpleUploadedFile("sales.yaml", GOOD)}
    )
    assert response.status_code == 302
    assert Track.objects.filter(key="sales").exists()


def test_a_bad_file_on_the_page_names_the_problem_and_imports_nothing(client_for):
    bad = GOOD.replace(b"{S1: Closes deals.}", b"{}")
    response = client_for(hr_admin()).post(
        reverse("growth:framework_import"), {"file": SimpleUploadedFile("sales.yaml", bad)}
    )
    assert response.status_code == 400
    assert "competency Deals has no description for level S1" in response.content.decode()
    assert not Track.objects.exists()


def test_hr_downloads_a_track_as_json(client_for):
    track = ladder(key="eng")
    response = client_for(hr_admin()).get(
        reverse("growth:framework_export") + f"?track={track.pk}&format=json"
    )
    assert response["Content-Disposition"] == 'attachment; filename="eng.json"'
    assert b'"key": "eng"' in response.content


def test_the_labels_page_lists_unmapped_labels_with_counts(
    client_for, django_assert_max_num_queries
):
    ladder(codes=("IC1",))
    for _ in range(3):
        PersonFactory(level="Ninja III")
    client = client_for(hr_admin(level=""))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("growth:level_labels"))
    text = response.content.decode()
    assert "Ninja III" in text
    assert "<td>3</td>" in text


def test_mapping_a_label_on_the_page_places_its_people(client_for):
    track = ladder(codes=("IC1",))
    person = PersonFactory(level="Ninja III")
    response = client_for(hr_admin(level="")).post(
        reverse("growth:level_labels"),
        {"label": "Ninja III", "level": track.levels.get().pk},
        follow=True,
    )
    assert "1 people placed" in response.content.decode()
    assert Placement.objects.get(person=person).level.code == "IC1"
    assert LevelAlias.objects.filter(label="Ninja III").exists()


def test_hr_places_one_person_by_hand(client_for):
    track = ladder(codes=("IC1", "IC2"))
    person = PersonFactory(start_date="2020-01-01")
    response = client_for(hr_admin()).post(
        reverse("growth:placement", args=[person.pk]),
        {"level": track.levels.get(code="IC2").pk, "since": "2024-02-01", "reason": "Hired"},
    )
    assert response.status_code == 302
    assert Placement.objects.get(person=person).level.code == "IC2"


def test_an_hr_admin_reaches_a_persons_placement_from_their_hr_record(client_for):
    person = PersonFactory()
    page = client_for(hr_admin()).get(reverse("org:hr_person_edit", args=[person.pk]))
    assert reverse("growth:placement", args=[person.pk]) in page.content.decode()
