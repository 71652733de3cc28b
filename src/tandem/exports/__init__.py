"""Exports prepared in the background: a large spreadsheet is built by a task, kept for a
week, downloaded by the person who asked for it only."""
