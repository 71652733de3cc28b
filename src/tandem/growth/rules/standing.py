"""Access rules: standing."""

from __future__ import annotations
