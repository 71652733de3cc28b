"""Every write to goals, one module per use case:

- goals: goals and their key results: create, edit, align, bulk-assign, close, comment
- checkins: a goal's check-in and a person's weekly priorities
- periods: the company's goal periods, made from the program and closed by HR admins
- _common: building blocks the modules above share (progress upkeep, honest history)
"""
