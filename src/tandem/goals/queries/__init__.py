"""Every read of goals, always through the access scope of the person asking, one module per
use case:

- goals: goals, periods, alignment up and down, comments, timeline, churn, the home card
- checkins: a person's week, a manager's team goals, 1:1 talking points
- tree: the alignment tree, one level at a time
- team: a manager's team hub: each person's figures for the period, recent check-ins
"""
