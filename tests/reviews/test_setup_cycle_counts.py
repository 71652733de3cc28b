"""The cycles list counts each cycle's people reviewed, leaving out those removed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tandem.reviews.models import Participant
from tandem.reviews.queries import setup as queries
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import CycleFactory, running_cycle

pytestmark = pytest.mark.django_db


def test_the_cycles_list_counts_the_people_reviewed_not_removed():
    people = [PersonFactory() for _ in range(3)]
    cycle = running_cycle(people)
    running_cycle(people[:1])
    Participant.objects.filter(cycle=cycle, person=people[2]).update(removed_at=timezone.now())
    counts = {c.pk: c.participant_count for c in queries.cycles(hr_admin())}
    assert counts[cycle.pk] == 2


def test_a_cycle_without_people_counts_zero():
    cycle = CycleFactory()
    counts = {c.pk: c.participant_count for c in queries.cycles(hr_admin())}
    assert counts[cycle.pk] == 0
