"""Review pages (htmx), one module per area. Thin: forms parse, services write, queries read.

- `setup`: HR's scales, templates, cycles, launch and participants (HR admins only)
- `nominations`: picking peers, the manager's approvals, declining, replacing, approve-all
- `writing`: the review page (autosave), reading, sharing, acknowledging, reopening, history
- `imports`: HR's import of past ratings from a file (upload, check, import)
- `running`: my reviews, the cycles I follow, progress, the overdue list, the reminder
"""
