"""Reads of reviews, each starting from the viewer's access scope (what they may not see
is answered like something missing). Reads never write, and never import services.

- `setup`: scales, templates with their versions, cycles and participants (HR admins)
- `nominations`: each peer's load, the nomination page, approvals, the people picker
- `writing`: the review page, a participant's summary, a review's history
- `progress`: completion by phase, department and manager, overdue reviews, my reviews
- `team`: each person's current review for a manager's team hub
- `summaries`: a person's shared manager reviews, for features that summarise a person
"""
