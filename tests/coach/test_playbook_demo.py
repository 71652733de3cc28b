"""The demo's playbooks are partly completed: the demo manager finished two and is half-way
through "Writing a fair review"; other managers are spread between none, some and done."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.coach.models import PlaybookProgress
from tandem.org import demo

pytestmark = pytest.mark.django_db


def test_the_demo_manager_has_two_playbooks_done_and_one_half_way() -> None:
    demo.load_demo(people=demo.MIN_PEOPLE, seed=demo.DEFAULT_SEED, today=date(2026, 12, 7))
    mine = {
        p.playbook.slug: p
        for p in PlaybookProgress.objects.filter(
            person__email=f"manager@{demo.DEMO_DOMAIN}"
        ).select_related("playbook")
    }
    done = sorted(slug for slug, p in mine.items() if p.completed_at is not None)
    assert done == ["giving-feedback-sbi", "running-a-first-one-on-one"]
    half = mine["writing-a-fair-review"]
    assert half.completed_at is None
    assert 0 < len(half.steps_done) < half.playbook.steps.count()


def test_other_demo_managers_are_partly_through_the_playbooks() -> None:
    demo.load_demo(people=demo.DEFAULT_PEOPLE, seed=demo.DEFAULT_SEED, today=date(2026, 12, 7))
    others = PlaybookProgress.objects.exclude(person__email=f"manager@{demo.DEMO_DOMAIN}")
    assert others.filter(completed_at__isnull=False).exists()
    assert others.filter(completed_at__isnull=True).exists()
