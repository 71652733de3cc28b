"""Who may see and do what in growth: career frameworks, development plans, promotions.

Each part of the app adds its rules here (deny by default: an action without a rule is
refused)."""

from __future__ import annotations
