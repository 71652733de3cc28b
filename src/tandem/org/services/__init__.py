"""Every write to the organisation, one module per use case:

- people: people, reporting lines, departments, the company
- imports: applying a checked HRIS import plan in bulk, with its preview and confirmation
"""
