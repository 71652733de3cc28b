"""Fairness under /api/v1/ (each module keeps its own Router, mounted by tandem/api.py).

- `fairness`: a cycle's fairness figures per group of a protected attribute
"""
