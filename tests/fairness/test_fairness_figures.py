"""Fairness figures per group: equal to pandas/scipy computed here from the ratings the test
made, small groups suppressed, and no department filter revealing a small group by
differencing against the whole company."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from tandem.fairness.queries import groups
from tandem.program.models import Program
from tests.factories import DepartmentFactory
from tests.fairness.groups_helpers import POINTS, Rated, RatedCycle, people_analyst, rated_cycle

pytestmark = pytest.mark.django_db


def _mixed_rows() -> list[Rated]:
    """Three groups large enough to show, one of two people, and three people who gave
    nothing; ratings drawn with a fixed seed, some calibrated."""
    rng = random.Random(14)
    rows: list[Rated] = []
    for group, size, weights in (
        ("Alpha", 14, (1, 2, 5, 4, 3)),
        ("Beta", 11, (3, 4, 5, 2, 1)),
        ("Gamma", 8, (1, 1, 3, 3, 2)),
        ("Zorblax", 2, (1, 1, 1, 1, 1)),
        (None, 3, (1, 1, 1, 1, 1)),
    ):
        for i in range(size):
            raw = rng.choices(range(1, POINTS + 1), weights=weights)[0]
            final = min(POINTS, raw + 1) if i % 3 == 0 else None
            rows.append(Rated(group, raw, final, department="a" if i % 2 else "b"))
    return rows


def _frame(built: RatedCycle, stage: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "group": [r.group or "Not given" for r in built.rows],
            "rating": [r.raw if stage == "raw" or r.final is None else r.final for r in built.rows],
        }
    )
    return frame


def _expected(frame: pd.DataFrame, minimum: int) -> tuple[pd.DataFrame, tuple | None]:
    sizes = frame.groupby("group")["rating"].size()
    shown = frame[frame["group"].isin(sizes[sizes >= minimum].index)]
    table = shown.groupby("group")["rating"].agg(
        n="size",
        mean_rating="mean",
        top_share=lambda s: (s == POINTS).mean(),
        bottom_share=lambda s: (s == 1).mean(),
    )
    table["impact_ratio"] = table["top_share"] / table["top_share"].max()
    crosstab = pd.crosstab(shown["group"], shown["rating"])
    test = chi2_contingency(crosstab.to_numpy()) if len(crosstab) >= 2 else None
    return table, test


@pytest.fixture
def built() -> RatedCycle:
    return rated_cycle(_mixed_rows())


@pytest.mark.parametrize("stage", ["raw", "calibrated"])
def test_the_figures_equal_pandas_and_scipy_computed_independently(
    built: RatedCycle, stage: str
) -> None:
    found = groups.figures(people_analyst(), built.cycle, attribute=built.attribute, stage=stage)
    expected, test = _expected(_frame(built, stage), found.min_group_size)
    shown = {g.group: g for g in found.groups if not g.suppressed}
    assert sorted(shown) == sorted(expected.index)
    for group, row in expected.iterrows():
        figures = shown[str(group)]
        assert figures.n == row["n"]
        assert figures.mean_rating == pytest.approx(row["mean_rating"])
        assert figures.top_share == pytest.approx(row["top_share"])
        assert figures.bottom_share == pytest.approx(row["bottom_share"])
        assert figures.impact_ratio == pytest.approx(row["impact_ratio"])
    assert test is not None
    assert found.test.statistic == pytest.approx(test.statistic)
    assert found.test.dof == test.dof
    assert found.test.p_value == pytest.approx(test.pvalue)


def test_calibration_changes_the_figures(built: RatedCycle) -> None:
    analyst = people_analyst()
    raw = groups.figures(analyst, built.cycle, attribute=built.attribute, stage="raw")
    calibrated = groups.figures(analyst, built.cycle, attribute=built.attribute, stage="calibrated")
    assert [g.mean_rating for g in raw.groups] != [g.mean_rating for g in calibrated.groups]


def test_groups_below_the_minimum_are_suppressed_without_figures(built: RatedCycle) -> None:
    found = groups.figures(people_analyst(), built.cycle, attribute=built.attribute)
    small = {g.group: g for g in found.groups if g.suppressed}
    assert set(small) == {"Zorblax", "Not given"}
    for figures in small.values():
        assert figures.n is None
        assert figures.mean_rating is None
        assert figures.top_share is None
        assert figures.impact_ratio is None


def test_people_without_a_value_form_the_not_given_group_shown_when_large_enough() -> None:
    rows = [Rated(None, 1 + i % POINTS) for i in range(6)] + [
        Rated("Alpha", 1 + i % POINTS) for i in range(6)
    ]
    built = rated_cycle(rows)
    found = groups.figures(people_analyst(), built.cycle, attribute=built.attribute)
    not_given = next(g for g in found.groups if g.group == "Not given")
    assert not not_given.suppressed
    assert not_given.n == 6


def test_the_minimum_follows_the_program() -> None:
    Program.objects.update_or_create(pk=1, defaults={"anonymity_minimum": 7})
    rows = [Rated("Alpha", 3) for _ in range(6)] + [Rated("Beta", 4) for _ in range(8)]
    built = rated_cycle(rows)
    found = groups.figures(people_analyst(), built.cycle, attribute=built.attribute)
    assert found.min_group_size == 7
    assert {g.group: g.suppressed for g in found.groups} == {"Alpha": True, "Beta": False}


def test_the_impact_ratio_is_flagged_below_four_fifths() -> None:
    rows = [Rated("Alpha", 5 if i < 5 else 3) for i in range(10)] + [
        Rated("Beta", 5 if i < 3 else 3) for i in range(10)
    ]
    built = rated_cycle(rows)
    found = {
        g.group: g
        for g in groups.figures(people_analyst(), built.cycle, attribute=built.attribute).groups
    }
    assert found["Alpha"].impact_ratio == pytest.approx(1.0)
    assert not found["Alpha"].flagged
    assert found["Beta"].impact_ratio == pytest.approx(0.6)
    assert found["Beta"].flagged


def test_with_fewer_than_two_groups_shown_there_is_no_test() -> None:
    rows = [Rated("Alpha", 1 + i % POINTS) for i in range(8)] + [Rated("Beta", 2)]
    built = rated_cycle(rows)
    found = groups.figures(people_analyst(), built.cycle, attribute=built.attribute)
    assert (found.test.statistic, found.test.dof, found.test.p_value) == (None, None, None)


def test_people_without_a_rating_are_not_counted() -> None:
    rows = [Rated("Alpha", 3) for _ in range(6)]
    built = rated_cycle(rows)
    from tandem.reviews.models import Participant, SubmittedRating
    from tandem.reviews.services import stored_ratings

    # What a reopening of the manager review does to the ratings.
    SubmittedRating.objects.filter(participant__person=built.people[0]).delete()
    participant = Participant.objects.get(cycle=built.cycle, person=built.people[0])
    stored_ratings.ratings_changed(built.cycle.pk, [participant.pk])
    found = groups.figures(people_analyst(), built.cycle, attribute=built.attribute)
    assert found.groups[0].n == 5


# --- Differencing -------------------------------------------------------------------------------


def _differencing_rows() -> list[Rated]:
    """Zorblax: 5 people in department A and 2 in B (7 in all); Alpha: 6 in each."""
    return (
        [Rated("Zorblax", 5, department="a") for _ in range(5)]
        + [Rated("Zorblax", 1, department="b") for _ in range(2)]
        + [Rated("Alpha", 3, department=d) for d in "ab" for _ in range(6)]
    )


def test_a_department_view_hides_a_group_whose_rest_is_below_the_minimum() -> None:
    built = rated_cycle(_differencing_rows())
    analyst = people_analyst()
    whole = groups.figures(analyst, built.cycle, attribute=built.attribute)
    in_a = groups.figures(
        analyst, built.cycle, attribute=built.attribute, department=built.departments["a"]
    )
    assert next(g for g in whole.groups if g.group == "Zorblax").n == 7
    zorblax_in_a = next(g for g in in_a.groups if g.group == "Zorblax")
    # Shown, the whole company minus department A would give the two in B their figures.
    assert zorblax_in_a.suppressed
    assert zorblax_in_a.mean_rating is None


def test_no_department_view_differenced_with_the_whole_reveals_a_small_group() -> None:
    built = rated_cycle(_differencing_rows())
    analyst = people_analyst()
    whole = {
        g.group: g for g in groups.figures(analyst, built.cycle, attribute=built.attribute).groups
    }
    for department in built.departments.values():
        view = groups.figures(
            analyst, built.cycle, attribute=built.attribute, department=department
        )
        for figures in view.groups:
            if figures.suppressed or whole[figures.group].suppressed:
                continue
            rest = whole[figures.group].n - figures.n  # type: ignore[operator]
            assert rest == 0 or rest >= view.min_group_size, (department, figures.group)


def test_two_department_views_differenced_with_the_whole_do_not_reveal_a_third() -> None:
    # Zorblax: 6 in A, 6 in B, 2 in C. Each of A and B has a large enough rest (8), yet
    # the whole cycle minus A minus B would be C's two people.
    rows = [Rated("Zorblax", 5, department=d) for d in "ab" for _ in range(6)]
    rows += [Rated("Zorblax", 1, department="c") for _ in range(2)]
    rows += [Rated("Alpha", 3, department=d) for d in "abc" for _ in range(5)]
    built = rated_cycle(rows)
    analyst = people_analyst()
    whole = groups.figures(analyst, built.cycle, attribute=built.attribute)
    assert next(g for g in whole.groups if g.group == "Zorblax").n == 14
    for key in "ab":
        view = groups.figures(
            analyst, built.cycle, attribute=built.attribute, department=built.departments[key]
        )
        assert next(g for g in view.groups if g.group == "Zorblax").suppressed, key
        assert not next(g for g in view.groups if g.group == "Alpha").suppressed, key


def test_only_top_level_departments_narrow_the_figures() -> None:
    built = rated_cycle([Rated("Alpha", 3) for _ in range(5)])
    child = DepartmentFactory(parent=built.departments["a"])
    with pytest.raises(groups.UnknownChoice):
        groups.figures(people_analyst(), built.cycle, attribute=built.attribute, department=child)


def test_a_department_view_shows_groups_whose_rest_is_large_enough() -> None:
    built = rated_cycle(_differencing_rows())
    found = groups.figures(
        people_analyst(),
        built.cycle,
        attribute=built.attribute,
        department=built.departments["b"],
    )
    alpha = next(g for g in found.groups if g.group == "Alpha")
    assert alpha.n == 6
    assert not alpha.suppressed
