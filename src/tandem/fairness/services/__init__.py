"""Fairness's writes, each in one transaction with its permission check and audit entry
(the rater-effects cache excepted: it is derived from the ratings and changes nobody's data).

- `attributes`: importing people's protected attributes from a CSV/XLSX file
- `rater_effects`: asking for a cycle's rater-effects estimate, and computing it (the task)
"""
