"""Every write to the organisation, one module per use case:

- people: people, reporting lines, departments, the company
- imports: applying a checked HRIS import plan in bulk, with its preview and confirmation
- invitations: e-mailing people who have no password yet a way in
"""
