"""Growth API: standing."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["growth"])
