"""The rater-effects estimator against an independent fit: statsmodels' MixedLM (REML) with
the ratee effects and each relationship's rater effects as variance components, crossed by
putting every rating in a single group. Small data: MixedLM works with dense matrices of
all the effects."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from statsmodels.regression.mixed_linear_model import MixedLM, VCSpec

from tandem.fairness import estimator
from tandem.fairness.simulation import RELATIONSHIPS, SimulatedCycle, simulate


@pytest.fixture(scope="module")
def cycle() -> SimulatedCycle:
    return simulate(people=200, seed=3)


def _indicators(codes: np.ndarray, columns: np.ndarray) -> np.ndarray:
    return (codes[:, None] == columns[None, :]).astype(float)


def _rater_columns(cycle: SimulatedCycle, relationship: int) -> np.ndarray:
    return np.unique(cycle.rater[cycle.relationship == relationship])


@pytest.fixture(scope="module")
def reference(cycle: SimulatedCycle) -> Any:
    """MixedLM with components "ratee", then one per relationship, in RELATIONSHIPS order."""
    n = len(cycle.y)
    ratees = np.arange(int(cycle.ratee.max()) + 1)
    mats = [[_indicators(cycle.ratee, ratees)]]
    colnames = [[[f"ratee {i}" for i in ratees]]]
    for code in range(len(RELATIONSHIPS)):
        columns = _rater_columns(cycle, code)
        mats.append([_indicators(cycle.rater, columns)])
        colnames.append([[f"rater {j}" for j in columns]])
    model = MixedLM(
        cycle.y,
        _indicators(cycle.relationship, np.arange(len(RELATIONSHIPS))),
        groups=np.ones(n),
        exog_re=np.zeros((n, 0)),
        exog_vc=VCSpec(["ratee", *RELATIONSHIPS], colnames, mats),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(reml=True)


def _name(relationship: int, rater: int) -> str:
    """MixedLM names a component's effect "<component>[<column name>]"."""
    return f"{RELATIONSHIPS[relationship]}[rater {rater}]"


def _reference_rater_effects(cycle: SimulatedCycle, reference: Any) -> np.ndarray:
    effects = reference.random_effects[1.0]
    theirs = np.zeros(int(cycle.rater.max()) + 1)
    for code in range(len(RELATIONSHIPS)):
        for j in _rater_columns(cycle, code):
            theirs[j] = effects[_name(code, j)]
    return theirs


def _reference_variances(reference: Any) -> estimator.VarianceComponents:
    ratee, *raters = reference.vcomp  # in the order of the components' names
    return estimator.VarianceComponents(
        ratee=float(ratee), rater=tuple(float(v) for v in raters), residual=reference.scale
    )


def test_given_the_same_variance_components_the_blups_equal_statsmodels(cycle, reference):
    found = estimator.fit(
        cycle.y,
        cycle.ratee,
        cycle.rater,
        cycle.relationship,
        variances=_reference_variances(reference),
    )

    np.testing.assert_allclose(
        found.rater_effects, _reference_rater_effects(cycle, reference), atol=1e-5
    )


def test_moment_variance_components_are_close_to_statsmodels_reml(cycle, reference):
    found = estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)
    expected = _reference_variances(reference)

    # The moments and REML are different estimators of the same thing: on 1,000 ratings
    # they agree to a few hundredths of a squared point.
    assert found.variances.ratee == pytest.approx(expected.ratee, abs=0.05)
    assert found.variances.rater == pytest.approx(expected.rater, abs=0.05)
    assert found.variances.residual == pytest.approx(expected.residual, abs=0.05)


def test_leniencies_with_moment_variances_agree_with_statsmodels(cycle, reference):
    found = estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)
    theirs = _reference_rater_effects(cycle, reference)

    assert np.corrcoef(found.rater_effects, theirs)[0, 1] > 0.95
    assert np.abs(found.rater_effects - theirs).mean() < 0.05
    assert np.abs(found.rater_effects - theirs).max() < 0.25


def test_interval_widths_agree_with_statsmodels_conditional_variances(cycle, reference):
    found = estimator.fit(
        cycle.y,
        cycle.ratee,
        cycle.rater,
        cycle.relationship,
        variances=_reference_variances(reference),
    )
    covariance = reference.random_effects_cov[1.0]
    theirs = np.zeros(int(cycle.rater.max()) + 1)
    for code in range(len(RELATIONSHIPS)):
        for j in _rater_columns(cycle, code):
            theirs[j] = covariance.loc[_name(code, j), _name(code, j)]

    np.testing.assert_allclose(found.rater_pev, theirs, rtol=0.1)
