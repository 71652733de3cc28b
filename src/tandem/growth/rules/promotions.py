"""Access rules: promotions."""

from __future__ import annotations
