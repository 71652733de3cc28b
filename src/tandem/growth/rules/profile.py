"""Access rules: profile."""

from __future__ import annotations
