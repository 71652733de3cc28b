"""The goal pages' forms: they parse and offer choices; the services check and save. One
module per use case:

- goals: create, edit, key results, close, comment, bulk-assign, periods
- checkins: a goal's check-in and the weekly check-in
- tree: the filters of the alignment tree and the coverage page
"""
