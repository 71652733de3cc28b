"""Every write to goals, one module per noun (pretix-style): goals, check-ins, periods.

Shared building blocks for those modules live in `_common`."""
