"""The rater-effects estimator against an independent fit: statsmodels' MixedLM (REML) with
the ratee and rater effects as variance components, crossed by putting every rating in a
single group. Small data: MixedLM works with dense matrices of all the effects."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from tandem.fairness import estimator
from tandem.fairness.simulation import SimulatedCycle, simulate


@pytest.fixture(scope="module")
def cycle() -> SimulatedCycle:
    return simulate(people=200, seed=3)


@pytest.fixture(scope="module")
def reference(cycle: SimulatedCycle) -> Any:
    frame = pd.DataFrame(
        {
            "y": cycle.y,
            "relationship": cycle.relationship,
            "ratee": cycle.ratee,
            "rater": cycle.rater,
            "everyone": 1,
        }
    )
    model = smf.mixedlm(
        "y ~ 0 + C(relationship)",
        frame,
        groups="everyone",
        re_formula="0",
        vc_formula={"ratee": "0 + C(ratee)", "rater": "0 + C(rater)"},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(reml=True)


def _names(cycle: SimulatedCycle) -> list[str]:
    return [f"rater[C(rater)[{code}]]" for code in range(int(cycle.rater.max()) + 1)]


def _reference_rater_effects(cycle: SimulatedCycle, reference: Any) -> np.ndarray:
    effects = reference.random_effects[1]
    return np.array([effects[name] for name in _names(cycle)])


def _reference_variances(reference: Any) -> estimator.VarianceComponents:
    ratee, rater = reference.vcomp  # in the order of vc_formula's names: ratee, rater
    return estimator.VarianceComponents(ratee=ratee, rater=rater, residual=reference.scale)


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

    assert np.corrcoef(found.rater_effects, theirs)[0, 1] > 0.99
    assert np.abs(found.rater_effects - theirs).max() < 0.15


def test_interval_widths_agree_with_statsmodels_conditional_variances(cycle, reference):
    found = estimator.fit(
        cycle.y,
        cycle.ratee,
        cycle.rater,
        cycle.relationship,
        variances=_reference_variances(reference),
    )
    covariance = reference.random_effects_cov[1]
    theirs = np.array([covariance.loc[name, name] for name in _names(cycle)])

    np.testing.assert_allclose(found.rater_pev, theirs, rtol=0.05)
