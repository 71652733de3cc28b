"""Access rules: plans."""

from __future__ import annotations
