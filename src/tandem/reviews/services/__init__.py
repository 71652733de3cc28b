"""Writes of reviews: each checks who may do it, saves in a transaction, audits, and
queues background work by task path (never importing `tasks`); reads come from `queries`.

- `setup`: rating scales and templates, with their sections and questions
- `cycles`: a cycle's settings, participants, forms and phase dates; launching, closing
- `launch`: the launch itself (the background half of `cycles.launch_cycle`)
- `launch_sql`: the two big inserts of a launch, as INSERT … SELECT
- `nominations`: proposing, approving, declining and replacing peers; HR's approve-all
- `writing`: drafts saved as you type, and submitting
- `sharing`: sharing, releasing, acknowledging and reopening reviews
- `reminders`: HR's one-click reminder and the messages every reminder sends
- `imports`: past ratings from a file, written as closed, imported cycles
- `calibration`: what calibration writes on participants (state, the rating of record)
- `stored_ratings`: the stored manager rating and the cycle's ratings version, kept in
  step by every write above that changes a rating
"""
