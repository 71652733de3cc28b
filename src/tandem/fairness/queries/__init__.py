"""Every read of fairness, one module per use case:

- `rater_effects`: a cycle's rater effects (each rater's leniency) and rater-adjusted ratings
"""
