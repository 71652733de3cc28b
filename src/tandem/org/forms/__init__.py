"""The organisation pages' forms: they parse and check input; the services write. One module
per use case:

- hr: HR's forms: people, managers, status, departments, the company and its values, roles
- directory: the people directory's filters, and the department filter other lists share
- imports: the HRIS import's upload and confirmation
"""
