"""The rater-effects estimator on simulated cycles with known leniencies (no database).

The simulations (tandem.fairness.simulation) have teams that differ in true performance,
managers with known leniencies, peers rating across teams, and ratings rounded and clipped
to a 5-point scale. Seeded: each test sees the same cycle every run.
"""

from __future__ import annotations

import numpy as np
import pytest

from tandem.fairness import estimator
from tandem.fairness.simulation import MANAGER, PEER, SimulatedCycle, simulate


@pytest.fixture(scope="module")
def cycle() -> SimulatedCycle:
    return simulate(people=3000, seed=2014)


@pytest.fixture(scope="module")
def fitted(cycle: SimulatedCycle) -> estimator.Fit:
    return estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)


def _managers_average_minus_grand_mean(cycle: SimulatedCycle) -> np.ndarray:
    """The naive estimate: each manager's mean rating minus the mean of all manager ratings."""
    is_manager = cycle.relationship == MANAGER
    team = cycle.team[cycle.ratee[is_manager]]
    n_teams = len(cycle.manager_leniency)
    sums = np.bincount(team, weights=cycle.y[is_manager], minlength=n_teams)
    counts = np.bincount(team, minlength=n_teams)
    return sums / counts - cycle.y[is_manager].mean()


def _relationship_of_raters(cycle: SimulatedCycle) -> np.ndarray:
    found = np.zeros(int(cycle.rater.max()) + 1, dtype=np.int64)
    found[cycle.rater] = cycle.relationship
    return found


def _rmse(estimate: np.ndarray, truth: np.ndarray) -> float:
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


def test_recovered_manager_leniencies_correlate_with_the_true_ones(cycle, fitted):
    recovered = fitted.rater_effects[cycle.manager_code_of_team()]

    assert np.corrcoef(recovered, cycle.manager_leniency)[0, 1] > 0.8


def test_recovered_leniencies_beat_the_managers_average_minus_the_grand_mean(cycle, fitted):
    recovered = fitted.rater_effects[cycle.manager_code_of_team()]
    naive = _managers_average_minus_grand_mean(cycle)

    assert _rmse(recovered, cycle.manager_leniency) < 0.6 * _rmse(naive, cycle.manager_leniency)


def test_a_strong_team_does_not_make_its_manager_look_lenient():
    # No manager is lenient at all; only the teams differ (widely) in true performance.
    cycle = simulate(people=3000, seed=7, manager_leniency_sd=0.0, team_sd=0.7)
    found = estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)
    recovered = found.rater_effects[cycle.manager_code_of_team()]

    assert _rmse(recovered, cycle.manager_leniency) < 0.5 * _rmse(
        _managers_average_minus_grand_mean(cycle), cycle.manager_leniency
    )


def test_most_true_leniencies_fall_inside_their_95_percent_interval(cycle, fitted):
    codes = cycle.manager_code_of_team()
    inside = (fitted.low[codes] <= cycle.manager_leniency) & (
        cycle.manager_leniency <= fitted.high[codes]
    )

    assert inside.mean() > 0.85


def test_a_rater_with_more_ratings_gets_a_narrower_interval(cycle, fitted):
    codes = cycle.manager_code_of_team()
    counts = fitted.rater_counts[codes]
    widths = (fitted.high - fitted.low)[codes]

    assert widths[counts == counts.max()].mean() < widths[counts == counts.min()].mean()


def test_the_same_cycle_gives_the_same_estimate(cycle, fitted):
    again = estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)

    np.testing.assert_allclose(again.rater_effects, fitted.rater_effects)
    assert again.variances == fitted.variances


def test_relationship_means_are_not_counted_as_anyones_leniency(cycle, fitted):
    # Self ratings run 0.3 points higher for everyone: the self mean takes it, not the effects.
    self_code = 1
    assert fitted.relationship_means[self_code] > fitted.relationship_means[MANAGER]
    is_self = cycle.relationship == self_code
    assert abs(fitted.rater_effects[cycle.rater[is_self]].mean()) < 0.02


def test_the_approximate_interval_is_close_to_the_exact_prediction_error_variance():
    # Exact: the residual variance times the diagonal of the inverse of the mixed-model
    # matrix given the relationship means (as statsmodels' random_effects_cov), inverted
    # densely here (small data).
    cycle = simulate(people=150, seed=5)
    found = estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)
    rater = cycle.rater
    n_ratees, n_raters = int(cycle.ratee.max()) + 1, int(rater.max()) + 1
    design = np.zeros((len(cycle.y), n_ratees + n_raters))
    rows = np.arange(len(cycle.y))
    design[rows, cycle.ratee] = 1
    design[rows, n_ratees + rater] = 1
    v = found.variances
    penalty = np.r_[
        np.full(n_ratees, v.residual / v.ratee),
        v.residual / np.asarray(v.rater)[_relationship_of_raters(cycle)],
    ]
    exact = v.residual * np.diag(np.linalg.inv(design.T @ design + np.diag(penalty)))

    ratio = found.rater_pev / exact[n_ratees:]
    assert ratio.min() > 0.97 and ratio.max() < 1.1


def test_the_blups_solve_the_mixed_model_equations():
    cycle = simulate(people=150, seed=6)
    found = estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)
    rater = cycle.rater
    n_rel, n_ratees, n_raters = 3, int(cycle.ratee.max()) + 1, int(rater.max()) + 1
    fitted_values = (
        found.relationship_means[cycle.relationship]
        + found.ratee_effects[cycle.ratee]
        + found.rater_effects[rater]
    )
    residual = cycle.y - fitted_values
    v = found.variances
    # Rater equations: Z_rater' residual = (residual variance / rater variance) · effect.
    np.testing.assert_allclose(
        np.bincount(rater, weights=residual, minlength=n_raters),
        v.residual / np.asarray(v.rater)[_relationship_of_raters(cycle)] * found.rater_effects,
        atol=1e-5,
    )
    np.testing.assert_allclose(
        np.bincount(cycle.ratee, weights=residual, minlength=n_ratees),
        v.residual / v.ratee * found.ratee_effects,
        atol=1e-5,
    )
    np.testing.assert_allclose(
        np.bincount(cycle.relationship, weights=residual, minlength=n_rel), 0, atol=1e-5
    )


def test_each_relationship_gets_its_own_rater_variance():
    # Peers who all rate alike must not shrink the managers' leniencies away.
    cycle = simulate(people=3000, seed=8, peer_leniency_sd=0.0, manager_leniency_sd=0.5)
    found = estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)

    manager, peer = found.variances.rater[MANAGER], found.variances.rater[PEER]
    assert manager > 0.15
    assert peer < manager / 3


def test_fit_refuses_fewer_than_two_observations():
    with pytest.raises(ValueError, match="at least two observations"):
        estimator.fit(np.array([3.0]), np.array([0]), np.array([0]), np.array([0]))
