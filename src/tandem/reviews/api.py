"""Reviews under /api/v1/: templates, cycles, participants, nominations, reviews, progress."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["reviews"])
