"""Demo data: frameworks."""

from __future__ import annotations
