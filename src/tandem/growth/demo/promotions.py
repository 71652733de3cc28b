"""Demo data: promotions."""

from __future__ import annotations
