"""Rater effects: each rater's leniency, from a model of crossed ratee and rater effects.

Pure numerics (numpy/scipy), no Django: `fit(observations)` takes arrays, returns arrays.

The model, one observation per submitted review (its rating in points)::

    y = mu[relationship] + ratee[i] + rater[j, relationship] + e

`mu` is a fixed mean per relationship (self ratings run higher than manager ratings
everywhere, and that is not anyone's leniency); `ratee ~ N(0, var_ratee)` is the person's
standing; `rater ~ N(0, var_rater[relationship])` is how much higher than the others this
rater rates in this relationship (a manager who is also a peer has two effects, kept
apart; a self rating's effect is the person's own self-rating tendency), with **a variance
per relationship**: managers may differ a lot while peers hardly do, and one pooled
variance would let hundreds of peers with no effect shrink every manager's to nothing;
`e ~ N(0, var_residual)`.

Why not statsmodels `MixedLM`: with crossed effects it treats the whole data set as one
group and works with dense matrices of the random effects — at 500k ratings and ~300k
effects that is neither minutes nor gigabytes. This estimator instead:

1. **Variance components by the method of moments** of Gao & Owen (2017, "Efficient moment
   calculations for variance components in large unbalanced crossed random effects
   models", Electronic Journal of Statistics 11), extended to a rater variance per
   relationship: sums of squared differences between the ratings of the same ratee, of
   the same rater, and of any two ratings of the same relationship have expectations
   linear in the variances (`moment_variances` lists them); they take O(N) time
   (`numpy.bincount`) and solving the (relationships + 2)-square system gives unbiased
   estimates. The relationship means are taken out first (a bias of order 1/N). A
   variance the moments put at or below zero is floored at a tiny positive value.
2. **Effects by BLUP**: Henderson's mixed-model equations
   `[X Z]'[X Z] + diag(0, var_residual / var_ratee, var_residual / var_rater[rel])` solved
   with `scipy.sparse.linalg.cg` (Jacobi preconditioner) on the sparse design: memory
   linear in N, each iteration two sparse products.
3. **Intervals** from each rater's prediction error variance (the conditional variance of
   its effect given the ratings). The exact value is a diagonal element of the inverse of
   the mixed-model matrix, too costly at this scale, so it is approximated: each of the
   rater's ratings of ratee i tells about the rater's effect with noise
   `var_residual + v_i`, where `v_i` is the uncertainty of ratee i's standing from the
   *other* ratings of i (`1 / (sum over them of 1 / (var_residual + var_rater[their
   relationship]) + 1 / var_ratee)`, their raters counted as unknown); then
   `PEV_j = 1 / (1 / var_rater[rel] + sum_i 1 / (var_residual + v_i))`. Like statsmodels'
   `random_effects_cov`, it is conditional on the relationship means (estimated from
   thousands of ratings, their own uncertainty is negligible at a cycle's size). The tests
   compare it with the exact inverse on small data (within 10%, mostly wider). 95% interval:
   effect ± 1.96·sqrt(PEV).

Leniency is the rater effect in rating points: positive means the rater rates higher than
the same people's other raters would lead one to expect (lenient), negative severe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.linalg import LinearOperator, cg

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

METHOD = "moments (Gao & Owen 2017) + BLUP (sparse CG)"
Z_95 = 1.959963984540054
# A variance the moments estimate at or below zero becomes this share of the total variance:
# the effect is then shrunk to (almost) nothing rather than dividing by zero.
VARIANCE_FLOOR_SHARE = 1e-6
CG_TOLERANCE = 1e-8


@dataclass(frozen=True)
class VarianceComponents:
    ratee: float
    rater: tuple[float, ...]  # one per relationship code
    residual: float

    def as_dict(self, relationships: list[str] | None = None) -> dict[str, Any]:
        names = relationships or [str(code) for code in range(len(self.rater))]
        return {
            "ratee": self.ratee,
            "rater": dict(zip(names, self.rater, strict=True)),
            "residual": self.residual,
        }


@dataclass(frozen=True)
class Fit:
    """What `fit` found. Rater arrays are indexed by rater code (0..n_raters-1), ratee
    arrays by ratee code, relationship arrays by relationship code."""

    variances: VarianceComponents
    relationship_means: FloatArray
    ratee_effects: FloatArray
    rater_effects: FloatArray  # leniency in points, positive = lenient
    rater_pev: FloatArray  # prediction error variance of each rater effect
    rater_counts: IntArray
    iterations: int

    @property
    def rater_se(self) -> FloatArray:
        return np.sqrt(self.rater_pev)

    @property
    def low(self) -> FloatArray:
        return self.rater_effects - Z_95 * self.rater_se

    @property
    def high(self) -> FloatArray:
        return self.rater_effects + Z_95 * self.rater_se


def _pair_sum(groups: IntArray, values: FloatArray, n_groups: int) -> tuple[float, float]:
    """(sum over groups of the squared differences of all pairs inside the group,
    sum over groups of n_g (n_g - 1)): Σ_pairs (a - b)² = n Σ x² - (Σ x)² per group."""
    counts = np.bincount(groups, minlength=n_groups).astype(np.float64)
    sums = np.bincount(groups, weights=values, minlength=n_groups)
    squares = np.bincount(groups, weights=values * values, minlength=n_groups)
    return float(np.sum(counts * squares - sums * sums)), float(np.sum(counts * (counts - 1)))


def moment_variances(
    y: FloatArray, ratee: IntArray, rater: IntArray, relationship: IntArray
) -> VarianceComponents:
    """Gao & Owen's U-statistic estimates, with a rater variance per relationship.

    With r = y minus its relationship's mean, pairs counted once, n_i the ratings of ratee
    i (n_ir of them in relationship r), m_j those of rater j, N_r those of relationship r:
    U_ratee = Σ_i Σ_pairs in ratee i (r - r')²
            E = Σ_r var_rater[r] Σ_i n_ir (n_i - 1) + var_residual Σ_i n_i (n_i - 1)
    U_rater = Σ_j Σ_pairs by rater j (r - r')²
            E = (var_ratee + var_residual) Σ_j m_j (m_j - 1)
    U_r     = Σ_pairs within relationship r (r - r')², for each relationship r
            E = var_ratee (N_r² - Σ_i n_ir²) + var_rater[r] (N_r² - Σ_(j in r) m_j²)
              + var_residual N_r (N_r - 1)
    (a pair's expected squared difference is twice the variance of what differs in it:
    the ratee's standing when the ratees differ, both raters' effects when the raters
    differ, both residuals always)."""
    n_rel = int(relationship.max()) + 1
    rel_count = np.bincount(relationship, minlength=n_rel).astype(np.float64)
    rel_mean = np.bincount(relationship, weights=y, minlength=n_rel) / np.maximum(rel_count, 1)
    r = y - rel_mean[relationship]
    n_ratees = int(ratee.max()) + 1
    n_raters = int(rater.max()) + 1
    ratee_counts = np.bincount(ratee, minlength=n_ratees).astype(np.float64)
    rater_counts = np.bincount(rater, minlength=n_raters).astype(np.float64)
    rater_relationship = np.zeros(n_raters, dtype=np.int64)
    rater_relationship[rater] = relationship
    # Unknowns in order: var_ratee, var_residual, var_rater[0..n_rel-1].
    rows: list[np.ndarray] = []
    moments: list[float] = []

    u_ratee, pairs_ratee = _pair_sum(ratee, r, n_ratees)
    row = np.zeros(n_rel + 2)
    row[1] = pairs_ratee
    row[2:] = np.bincount(relationship, weights=ratee_counts[ratee] - 1.0, minlength=n_rel)
    rows.append(row)
    moments.append(u_ratee)

    u_rater, pairs_rater = _pair_sum(rater, r, n_raters)
    row = np.zeros(n_rel + 2)
    row[0] = row[1] = pairs_rater
    rows.append(row)
    moments.append(u_rater)

    for code in range(n_rel):
        mine = relationship == code
        values = r[mine]
        n = float(len(values))
        row = np.zeros(n_rel + 2)
        per_ratee = np.bincount(ratee[mine], minlength=n_ratees).astype(np.float64)
        row[0] = n * n - float(np.sum(per_ratee**2))
        row[1] = n * (n - 1)
        row[2 + code] = n * n - float(np.sum(rater_counts[rater_relationship == code] ** 2))
        rows.append(row)
        moments.append(n * float(np.sum(values * values)) - float(np.sum(values)) ** 2)

    solved, *_ = np.linalg.lstsq(np.array(rows), np.array(moments), rcond=None)
    total = max(float(np.var(r)), 1e-12)
    floor = VARIANCE_FLOOR_SHARE * total
    floored = [max(float(v), floor) for v in solved]
    return VarianceComponents(ratee=floored[0], residual=floored[1], rater=tuple(floored[2:]))


def _design(
    ratee: IntArray, rater: IntArray, relationship: IntArray, sizes: tuple[int, int, int]
) -> sparse.csr_matrix:
    """[X Z_ratee Z_rater]: three ones per row (relationship mean, ratee, rater)."""
    n_rel, n_ratees, n_raters = sizes
    rows = np.repeat(np.arange(len(ratee)), 3)
    columns = np.column_stack([relationship, n_rel + ratee, n_rel + n_ratees + rater]).ravel()
    data = np.ones(len(rows))
    return sparse.csr_matrix(
        (data, (rows, columns)), shape=(len(ratee), n_rel + n_ratees + n_raters)
    )


def blups(
    y: FloatArray,
    ratee: IntArray,
    rater: IntArray,
    relationship: IntArray,
    variances: VarianceComponents,
) -> tuple[FloatArray, FloatArray, FloatArray, int]:
    """(relationship means, ratee effects, rater effects, CG iterations) solving Henderson's
    mixed-model equations for the given variance components."""
    sizes = (int(relationship.max()) + 1, int(ratee.max()) + 1, int(rater.max()) + 1)
    n_rel, n_ratees, n_raters = sizes
    design = _design(ratee, rater, relationship, sizes)
    design_t = design.T.tocsr()
    penalty = np.concatenate(
        [
            np.zeros(n_rel),
            np.full(n_ratees, variances.residual / variances.ratee),
            variances.residual
            / np.asarray(variances.rater)[_rater_relationship(rater, relationship, n_raters)],
        ]
    )
    diagonal = np.asarray(design.multiply(design).sum(axis=0)).ravel() + penalty
    size = len(penalty)

    def apply(vector: FloatArray) -> FloatArray:
        return np.asarray(design_t @ (design @ vector)) + penalty * vector

    operator = LinearOperator((size, size), matvec=apply, dtype=np.float64)
    preconditioner = LinearOperator(
        (size, size), matvec=lambda vector: vector / diagonal, dtype=np.float64
    )
    iterations = 0

    def count(_: FloatArray) -> None:
        nonlocal iterations
        iterations += 1

    # Start from the relationship means, so CG only has to find the effects.
    start = np.zeros(size)
    rel_count = np.bincount(relationship, minlength=n_rel)
    start[:n_rel] = np.bincount(relationship, weights=y, minlength=n_rel) / np.maximum(rel_count, 1)
    solution, info = cg(
        operator,
        design_t @ y,
        x0=start,
        rtol=CG_TOLERANCE,
        atol=0.0,
        maxiter=5000,
        M=preconditioner,
        callback=count,
    )
    if info > 0:
        raise ArithmeticError(f"The rater-effects solver did not converge in {info} steps.")
    return (
        solution[:n_rel],
        solution[n_rel : n_rel + n_ratees],
        solution[n_rel + n_ratees :],
        iterations,
    )


def _rater_relationship(rater: IntArray, relationship: IntArray, n_raters: int) -> IntArray:
    """The relationship code of each rater code."""
    found = np.zeros(n_raters, dtype=np.int64)
    found[rater] = relationship
    return found


def approximate_pev(
    ratee: IntArray, rater: IntArray, relationship: IntArray, variances: VarianceComponents
) -> FloatArray:
    """Each rater effect's prediction error variance, approximated (see the module doc)."""
    n_ratees = int(ratee.max()) + 1
    n_raters = int(rater.max()) + 1
    rater_variance = np.asarray(variances.rater)
    # What each rating tells about its ratee's standing, when its rater is unknown.
    precision = 1.0 / (variances.residual + rater_variance[relationship])
    per_ratee = np.bincount(ratee, weights=precision, minlength=n_ratees)
    ratee_uncertainty = 1.0 / (per_ratee[ratee] - precision + 1.0 / variances.ratee)
    information = np.bincount(
        rater, weights=1.0 / (variances.residual + ratee_uncertainty), minlength=n_raters
    )
    prior = 1.0 / rater_variance[_rater_relationship(rater, relationship, n_raters)]
    pev: FloatArray = np.asarray(1.0 / (prior + information), dtype=np.float64)
    return pev


def fit(
    y: FloatArray,
    ratee: IntArray,
    rater: IntArray,
    relationship: IntArray,
    variances: VarianceComponents | None = None,
) -> Fit:
    """Fit the model on N observations: `y` in points, and the codes (0-based, dense) of each
    observation's ratee, rater (one code per rater and relationship) and relationship.
    `variances` skips the moment step (the tests use it to compare BLUPs alone)."""
    y = np.asarray(y, dtype=np.float64)
    ratee = np.asarray(ratee, dtype=np.int64)
    rater = np.asarray(rater, dtype=np.int64)
    relationship = np.asarray(relationship, dtype=np.int64)
    if not (len(y) == len(ratee) == len(rater) == len(relationship)) or len(y) < 2:
        raise ValueError("fit needs at least two observations, each with ratee, rater and kind.")
    found = variances or moment_variances(y, ratee, rater, relationship)
    means, ratee_effects, rater_effects, iterations = blups(y, ratee, rater, relationship, found)
    return Fit(
        variances=found,
        relationship_means=means,
        ratee_effects=ratee_effects,
        rater_effects=rater_effects,
        rater_pev=approximate_pev(ratee, rater, relationship, found),
        rater_counts=np.bincount(rater, minlength=int(rater.max()) + 1),
        iterations=iterations,
    )
