"""Background work of fairness (django-tasks), given ids."""

from __future__ import annotations

from django_tasks import task

from tandem.fairness.services import rater_effects


@task()
def compute_rater_effects(rater_effects_id: int) -> str:
    """Fit a cycle's rater effects (queued by services.rater_effects.refresh); returns the
    estimate's status."""
    return rater_effects.compute(rater_effects_id=rater_effects_id)
