"""The access matrix for career frameworks: the tracks, a track, comparing levels, HR's
editor (tracks, levels, competencies), import and export, level labels and placing people;
pages and API.

Everyone signed in reads the frameworks in use; the archived track only HR admins see.
Everything that writes is HR admins' alone: others get 404, as for a missing object. A
placement is as visible as the person: the owner's to every colleague, the leaver's to HR
admins and the partner covering their department."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import timezone

from tandem.growth.models import (
    Competency,
    Expectation,
    FrameworkVersion,
    Level,
    LevelAlias,
    LevelChange,
    LevelChangeSource,
    Placement,
    Track,
)
from tests.access.matrix import (
    HR_ADMIN,
    HR_PARTNER,
    LEAVER_SURNAME,
    OWNER_LEVEL,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    assert_unseen,
    body,
    case_ids,
    cases,
    check_api_case,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)
from tests.growth.factories_frameworks import ladder

COVERING_HR = (HR_ADMIN, HR_PARTNER)
# The import's level labels (the owner's is a private field) are on HR's pages only.
READERS = {OWNER_LEVEL: (HR_ADMIN,), LEAVER_SURNAME: (HR_ADMIN,)}


def _level_body(o: Org) -> dict[str, object]:
    return {"level_id": pk(o, "level"), "since": timezone.localdate().isoformat()}


MATRIX: tuple[Row, ...] = (
    Row("growth:frameworks", "the tracks", lambda o: url("growth:frameworks"), expect()),
    Row("growth:track", "a track", lambda o: url("growth:track", pk(o, "track")), expect()),
    Row(
        "growth:track",
        "an archived track",
        lambda o: url("growth:track", pk(o, "archived")),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:compare",
        "my level and the next",
        lambda o: url("growth:compare", pk(o, "track")),
        expect(),
    ),
    Row(
        "growth:compare",
        "an archived track",
        lambda o: url("growth:compare", pk(o, "archived")),
        expect(HR_ADMIN),
    ),
    Row("growth:track_new", "form", lambda o: url("growth:track_new"), expect(HR_ADMIN)),
    Row(
        "growth:track_new",
        "no data",
        lambda o: url("growth:track_new"),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "growth:track_edit",
        "the editor",
        lambda o: url("growth:track_edit", pk(o, "track")),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:track_edit",
        "no data",
        lambda o: url("growth:track_edit", pk(o, "track")),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "growth:level_new",
        "form",
        lambda o: url("growth:level_new", pk(o, "track")),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:level_new",
        "no data",
        lambda o: url("growth:level_new", pk(o, "track")),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "growth:level_edit",
        "form",
        lambda o: url("growth:level_edit", pk(o, "level")),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:level_edit",
        "no data",
        lambda o: url("growth:level_edit", pk(o, "level")),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "growth:level_move",
        "up",
        lambda o: url("growth:level_move", pk(o, "level")),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"direction": "up"},
    ),
    Row(
        "growth:level_remove",
        "an unused level",
        lambda o: url("growth:level_remove", pk(o, "unused_level")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "growth:competency_new",
        "form",
        lambda o: url("growth:competency_new", pk(o, "track")),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:competency_new",
        "no data",
        lambda o: url("growth:competency_new", pk(o, "track")),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "growth:competency_edit",
        "form",
        lambda o: url("growth:competency_edit", pk(o, "competency")),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:competency_edit",
        "no data",
        lambda o: url("growth:competency_edit", pk(o, "competency")),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "growth:competency_move",
        "down",
        lambda o: url("growth:competency_move", pk(o, "competency")),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"direction": "down"},
    ),
    Row(
        "growth:competency_remove",
        "a competency",
        lambda o: url("growth:competency_remove", pk(o, "competency")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "growth:framework_import",
        "form",
        lambda o: url("growth:framework_import"),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:framework_import",
        "no file",
        lambda o: url("growth:framework_import"),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "growth:framework_export",
        "every track",
        lambda o: url("growth:framework_export"),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:framework_export",
        "the archived track as JSON",
        lambda o: url("growth:framework_export") + f"?track={pk(o, 'archived')}&format=json",
        expect(HR_ADMIN),
    ),
    Row("growth:level_labels", "list", lambda o: url("growth:level_labels"), expect(HR_ADMIN)),
    Row(
        "growth:level_labels",
        "map with no data",
        lambda o: url("growth:level_labels"),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "growth:place_by_labels",
        "place",
        lambda o: url("growth:place_by_labels"),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "growth:placement",
        "the owner",
        lambda o: url("growth:placement", o.owner.pk),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:placement",
        "someone who left",
        lambda o: url("growth:placement", o.leaver.pk),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:placement",
        "the owner, no data",
        lambda o: url("growth:placement", o.owner.pk),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row("api:list_growth_tracks", "list", lambda o: url("api:list_growth_tracks"), api()),
    Row(
        "api:get_growth_track",
        "a track",
        lambda o: url("api:get_growth_track", pk(o, "track")),
        api(),
    ),
    Row(
        "api:get_growth_track",
        "an archived track",
        lambda o: url("api:get_growth_track", pk(o, "archived")),
        api(HR_ADMIN),
    ),
    Row(
        "api:get_growth_placement",
        "the owner",
        lambda o: url("api:get_growth_placement", o.owner.pk),
        api(),
    ),
    Row(
        "api:get_growth_placement",
        "someone who left",
        lambda o: url("api:get_growth_placement", o.leaver.pk),
        api(COVERING_HR),
    ),
    Row(
        "api:put_growth_placement",
        "the owner",
        lambda o: url("api:put_growth_placement", o.owner.pk),
        api(HR_ADMIN),
        method="PUT",
        data=body(_level_body),
    ),
    Row(
        "api:put_growth_placement",
        "someone who left",
        lambda o: url("api:put_growth_placement", o.leaver.pk),
        api(HR_ADMIN),
        method="PUT",
        data=body(_level_body),
    ),
)

register_tables(
    Track, Level, Competency, Expectation, FrameworkVersion, LevelAlias, Placement, LevelChange
)


def _build(org: Org) -> None:
    # Written directly: the services audit, and the audit trail is append-only while the
    # matrix's org outlives its tests.
    track = ladder(codes=("MX1", "MX2", "MX3"), competencies=2, key="matrix", name="Matrix")
    archived = ladder(codes=("AX1",), competencies=1, key="matrix-old", name="Matrix old")
    Track.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    org.extras["track"], org.extras["archived"] = track, archived
    org.extras["level"] = track.levels.get(code="MX2")
    org.extras["unused_level"] = track.levels.get(code="MX3")
    org.extras["competency"] = track.competencies.get(key="c1")
    start = date(2024, 1, 1)
    for person in (org.owner, org.leaver):
        level = track.levels.get(code="MX1")
        Placement.objects.create(person=person, track=track, level=level, since=start)
        LevelChange.objects.create(
            person=person, to_level=level, effective_on=start, source=LevelChangeSource.PLACEMENT
        )


def _tear_down(org: Org) -> None:
    people = [person.pk for person in org.everyone]
    LevelChange.objects.filter(person_id__in=people).delete()
    Placement.objects.filter(person_id__in=people).delete()
    LevelAlias.objects.filter(level__track__key__in=["matrix", "matrix-old"]).delete()
    FrameworkVersion.objects.filter(track__key__in=["matrix", "matrix-old"]).delete()
    Track.objects.filter(key__in=["matrix", "matrix-old"]).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_api_case(row, role, org)
    assert_unseen(text, role, row.url(org), READERS)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)
