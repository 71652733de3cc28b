"""The manager's team hub: each report's goals, feedback counts, 1:1s and review, with flags."""
