"""The organisation's pages. Thin: forms parse, services write, queries read. One module per
use case:

- people: the pages everyone uses: directory, profile, org chart, company, my team
- hr: HR's pages: people records, departments, the company, role grants
- imports: HR's upload page for the HRIS import: upload, preview, confirm
"""
