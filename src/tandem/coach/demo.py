"""Demo playbook progress: the shipped playbooks (loaded if missing) partly completed by
managers — the demo's first-line manager (manager@) has finished "Running a first 1:1" and
"Giving feedback", and is half-way through "Writing a fair review"; about half of the other
managers have started or completed one or more. Reproducible from the seed; one bulk insert,
capped so a 100,000-person company stays quick."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Exists, OuterRef

from tandem.coach.models import Playbook, PlaybookProgress
from tandem.coach.services.playbooks import load_shipped
from tandem.org.demo import DEMO_DOMAIN, register_demo
from tandem.org.models import Person, PersonStatus

Progress = Callable[[str, int, int], None]
MAX_MANAGERS = 2000
DEMO_MANAGER = f"manager@{DEMO_DOMAIN}"
DEMO_MANAGER_DONE = ("running-a-first-one-on-one", "giving-feedback-sbi")
DEMO_MANAGER_STARTED = "writing-a-fair-review"


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    rng = random.Random(seed * 7919 + 13)  # noqa: S311 (demo data: reproducible from the seed)
    load_shipped()
    books = {p.slug: p for p in Playbook.objects.filter(published=True).prefetch_related("steps")}
    if not books:
        return
    steps = {slug: sorted(s.position for s in p.steps.all()) for slug, p in books.items()}
    reports = Person.objects.filter(manager_id=OuterRef("pk")).exclude(status=PersonStatus.LEFT)
    managers = list(
        Person.objects.exclude(status=PersonStatus.LEFT)
        .filter(Exists(reports))
        .order_by("pk")
        .values_list("pk", "email")[:MAX_MANAGERS]
    )
    noon = datetime.combine(today, time(12), tzinfo=UTC)
    rows: list[PlaybookProgress] = []

    def add(person_id: int, slug: str, done: list[int], passed: bool, days_ago: int) -> None:
        complete = passed and done == steps[slug]
        rows.append(
            PlaybookProgress(
                person_id=person_id,
                playbook=books[slug],
                steps_done=done,
                quiz_passed=passed,
                completed_at=noon - timedelta(days=days_ago) if complete else None,
            )
        )

    for index, (pk, email) in enumerate(managers):
        if email == DEMO_MANAGER:
            for n, slug in enumerate(DEMO_MANAGER_DONE):
                if slug in books:
                    add(pk, slug, steps[slug], True, 40 - 10 * n)
            if DEMO_MANAGER_STARTED in books:
                half = steps[DEMO_MANAGER_STARTED][: len(steps[DEMO_MANAGER_STARTED]) // 2]
                add(pk, DEMO_MANAGER_STARTED, half, False, 3)
            continue
        if rng.random() < 0.5:
            continue
        for slug in rng.sample(sorted(books), rng.randint(1, 3)):
            finished = rng.random() < 0.6
            done = steps[slug] if finished else steps[slug][: rng.randint(1, len(steps[slug]))]
            add(pk, slug, done, finished, rng.randint(1, 120))
        progress("playbooks", index + 1, len(managers))
    PlaybookProgress.objects.bulk_create(rows, batch_size=2000)
