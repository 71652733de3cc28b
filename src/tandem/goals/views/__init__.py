"""The goal pages. Thin: parse, call a service or a query, render. One module per use case:

- goals: my goals, company goals, the goal page, create, edit, close, bulk-assign, periods
- checkins: a goal's check-in, the weekly check-in, my team's goals
- tree: the alignment tree and alignment coverage
"""
