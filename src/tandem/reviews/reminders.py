"""Automatic review reminders before deadlines (filled in by the running area)."""
