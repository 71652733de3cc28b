"""Fairness under /api/v1/ (each module keeps its own Router, mounted by tandem/api.py).

- `fairness`: a cycle's fairness figures per group of a protected attribute
- `rater_effects`: each rater's leniency in a cycle, GET /reviews/cycles/{id}/rater-effects
"""
