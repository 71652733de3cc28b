"""Every write of fairness, one module per use case:

- `rater_effects`: asking for a cycle's rater-effects estimate, and computing it (the task)
"""
