"""The session's distribution against the whole cycle's and the guideline, and the 9-box."""

from __future__ import annotations

import pytest

from tandem.calibration import queries, services
from tandem.calibration.models import Entry, ReasonCategory, ScopeKind
from tests.calibration.helpers import make_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return make_company()  # Ada 4, Abe 2, Bea 5, Bo 3


@pytest.fixture
def platform(company):
    return services.create_session(
        company.hr,
        company.cycle,
        name="Platform",
        scope_kind=ScopeKind.DEPARTMENT,
        department=company.platform,
        facilitator_ids=[company.facilitator.pk],
    )


def _by_point(rows):
    return {row.point: (row.session, row.company) for row in rows}


def test_the_session_counts_its_people_and_the_cycle_counts_everyone(company, platform):
    found = _by_point(queries.distribution(platform, 5))
    assert found == {1: (0, 0), 2: (1, 1), 3: (0, 1), 4: (1, 1), 5: (0, 1)}


def test_a_move_in_a_session_shows_in_the_whole_cycle_too(company, platform):
    abe = Entry.objects.get(session=platform, participant__person=company.people["abe"])
    services.adjust(
        company.hr, abe, rating=3, category=ReasonCategory.EVIDENCE, reason="Scope grew."
    )
    found = _by_point(queries.distribution(platform, 5))
    assert found[2] == (0, 0)
    assert found[3] == (1, 2)


def test_percentages_are_shares_of_each_group(company, platform):
    rows = {row.point: row for row in queries.distribution(platform, 5)}
    assert rows[2].session_percent == 50.0
    assert rows[2].company_percent == 25.0


def test_the_guideline_rides_along(company, platform):
    services.set_guideline(company.hr, platform, {2: 50, 4: 50})
    platform.refresh_from_db()
    rows = {row.point: row.guideline for row in queries.distribution(platform, 5)}
    assert rows == {1: None, 2: 50, 3: None, 4: 50, 5: None}
    chart = queries.distribution_chart(queries.distribution(platform, 5))
    assert chart.series == ("This session", "Whole cycle", "Guideline")


@pytest.mark.parametrize(
    ("points", "bands"),
    [(5, [1, 2, 2, 3, 3]), (3, [1, 2, 3]), (4, [1, 2, 3, 3]), (7, [1, 1, 2, 2, 3, 3, 3])],
)
def test_performance_bands_are_thirds_of_the_scale(points, bands):
    assert [queries.band_of(r, points) for r in range(1, points + 1)] == bands


def test_the_nine_box_places_people_by_band_and_potential(company, platform):
    abe = Entry.objects.get(session=platform, participant__person=company.people["abe"])
    services.adjust(
        company.hr, abe, potential=3, category=ReasonCategory.EVIDENCE, reason="Learns fast."
    )
    grid, unplaced = queries.nine_box(queries.rows(company.hr, platform))
    assert [r.name.split()[0] for r in grid[0][1].rows] == ["Abe"]  # high potential, middle
    assert [r.name.split()[0] for r in unplaced] == ["Ada"]  # no potential yet
