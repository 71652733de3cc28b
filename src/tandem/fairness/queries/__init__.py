"""Fairness's reads, each behind its access rule.

- `groups`: fairness figures of a cycle per group of a protected attribute (counts, mean,
  top and bottom shares, impact ratios, the chi-square test), small groups suppressed
- `outcomes`: the same figures for a yes/no outcome (promotions): rates per group
- `attributes`: the protected attributes HR imported, with the number of people per group
- `rater_effects`: a cycle's rater effects (each rater's leniency) and rater-adjusted ratings
"""
