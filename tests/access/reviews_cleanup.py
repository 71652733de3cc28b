"""Removing what a reviews matrix module built on the shared org: its cycles, with their
templates, frozen versions and scales (the org itself is torn down by matrix.py)."""

from __future__ import annotations

from collections.abc import Iterable

from tandem.reviews.models import (
    Cycle,
    CycleForm,
    RatingScale,
    Template,
    TemplateQuestion,
    TemplateVersion,
)


def delete_cycles(cycle_ids: Iterable[int]) -> None:
    cycles = list(cycle_ids)
    templates = list(
        CycleForm.objects.filter(cycle_id__in=cycles).values_list("template_id", flat=True)
    )
    scales = list(
        TemplateQuestion.objects.filter(section__template_id__in=templates)
        .exclude(scale=None)
        .values_list("scale_id", flat=True)
    )
    Cycle.objects.filter(pk__in=cycles).delete()
    TemplateVersion.objects.filter(template_id__in=templates).delete()
    Template.objects.filter(pk__in=templates).delete()
    RatingScale.objects.filter(pk__in=scales).delete()
