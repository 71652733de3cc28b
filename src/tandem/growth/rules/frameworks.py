"""Access rules: frameworks."""

from __future__ import annotations
