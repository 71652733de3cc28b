"""Fairness's reads, each behind its access rule.

- `groups`: fairness figures of a cycle per group of a protected attribute (counts, mean,
  top and bottom shares, impact ratios, the chi-square test), small groups suppressed
- `attributes`: the protected attributes HR imported, with the number of people per group
"""
