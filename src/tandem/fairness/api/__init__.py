"""Fairness under /api/v1/ (the module paths give the operation ids):

- `rater_effects`: GET /reviews/cycles/{cycle_id}/rater-effects
"""
