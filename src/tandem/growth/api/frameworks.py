"""Growth API: frameworks."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["growth"])
