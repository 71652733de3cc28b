"""Background work of peer nomination: telling every peer at once after HR approved all
pending nominations (100,000 people would otherwise wait on the request)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from tandem.reviews.models import Cycle


@task()
def notify_bulk_approval(cycle_id: int, decided_at: str) -> int:
    """One message per peer whose nominations were approved at `decided_at` (ISO time).
    Safe to run twice: each message has a once-only key. Returns how many were new."""
    from tandem.reviews.services.nominations import tell_bulk_approval

    cycle = Cycle.objects.prefetch_related("phases").filter(pk=cycle_id).first()
    if cycle is None:
        return 0
    return tell_bulk_approval(cycle, datetime.fromisoformat(decided_at))
