"""Forms of the review pages. They parse; the services decide what is allowed.

- `setup`: scales, templates, sections, questions, cycles, phases and participants
- `nominations`: picking, approving, declining and replacing peers
- `imports`: the ratings history upload and its confirmation
- `writing`: the answers of a review (from its frozen template), reopening, acknowledging
"""
