"""Demo data: plans."""

from __future__ import annotations
