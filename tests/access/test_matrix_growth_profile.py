"""The access matrix for growth's competency profile and "where do I stand": a person's
profile page and API (the person, their managers above, HR admins; anyone else 404, for
the owner and for another team's person by id), and /me/growth/ with /api/v1/growth/me
(every signed-in person, about themselves only).

The owner is placed on a small track so their profile has rows; the outsider (Eve, in
Sales) is placed too, as "another team's object by id"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tandem.growth.models import Competency, Expectation, Level, Placement, Track
from tests.access.matrix import (
    EMPLOYEE,
    HR_ADMIN,
    MANAGER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    case_ids,
    cases,
    check_api_case,
    expect,
    matrix_org,
    url,
)

READS_OWNER = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN)
# The outsider reads their own profile; nobody of the owner's chain manages them.
READS_OUTSIDER = (EMPLOYEE, HR_ADMIN)
MISSING = 2**40


MATRIX: tuple[Row, ...] = (
    Row(
        "growth:person_profile",
        "the owner's profile",
        lambda o: url("growth:person_profile", o.owner.pk),
        expect(READS_OWNER),
    ),
    Row(
        "growth:person_profile",
        "another team's person by id",
        lambda o: url("growth:person_profile", o.people[EMPLOYEE].pk),
        expect(READS_OUTSIDER),
    ),
    Row(
        "growth:person_profile",
        "nobody by that id",
        lambda o: url("growth:person_profile", MISSING),
        expect(()),
    ),
    Row("growth:me", "one's own standing", lambda o: url("growth:me"), expect()),
    Row(
        "api:get_competency_profile",
        "the owner's profile",
        lambda o: url("api:get_competency_profile", o.owner.pk),
        api(READS_OWNER),
    ),
    Row(
        "api:get_competency_profile",
        "another team's person by id",
        lambda o: url("api:get_competency_profile", o.people[EMPLOYEE].pk),
        api(READS_OUTSIDER),
    ),
    Row(
        "api:get_competency_profile",
        "nobody by that id",
        lambda o: url("api:get_competency_profile", MISSING),
        api(()),
    ),
    Row("api:get_my_standing", "one's own standing", lambda o: url("api:get_my_standing"), api()),
)


def _build(org: Org) -> None:
    track = Track.objects.create(key="matrix-track", name="Matrix track")
    level = Level.objects.create(track=track, code="MX1", title="Matrix level")
    competency = Competency.objects.create(track=track, key="matrix-craft", name="Matrix craft")
    Expectation.objects.create(competency=competency, level=level, text="Matrix expectation")
    for person in (org.owner, org.people[EMPLOYEE]):
        Placement.objects.create(person=person, track=track, level=level, since=date(2024, 1, 1))
    org.extras["growth_track"] = track


def _tear_down(org: Org) -> None:
    track = org.extras.get("growth_track")
    if track is not None:
        Placement.objects.filter(track=track).delete()
        Track.objects.filter(pk=track.pk).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker: Any) -> Iterator[Org]:
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_api_case(row, role, org)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)
