"""Rater effects at the issue's scale: ≈ 500,000 ratings of 100,000 people (issue 14's
target: computed in the background in under 2 minutes, peak memory under 2 GB).

    PYTHONPATH=src .venv/bin/python bench/rater_effects.py [--people 100000] [--no-db]

Two measurements on one simulated cycle (tandem.fairness.simulation: teams that differ in
true performance, managers with known leniencies, every person rating themselves and rated
by 3 peers from other teams, ratings rounded and clipped to 1..5):

(a) the estimator alone (`fairness.estimator.fit` on arrays): seconds, peak memory of the
    fit (tracemalloc) and of the process (max RSS), and how well it recovers the managers'
    true leniencies against "the manager's average minus the grand mean";
(b) the background task's whole body (`services.rater_effects.compute`) on a throwaway
    SQLite database holding the same cycle as rows (people, participants, one submitted
    review per rating with its `SubmittedRating`): reading the ratings through
    `reviews.queries.ratings`, fitting and storing; then the fingerprint (what each read
    of the API pays to know whether the cache is current) and the API's read of the
    cached estimate. The database is built with bulk inserts (not timed against the
    target) in var/bench/rater-effects.sqlite3 and deleted afterwards.

Results go to the "Rater effects (issue 14)" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tandem.fairness import estimator  # noqa: E402
from tandem.fairness.simulation import MANAGER, RELATIONSHIPS, SimulatedCycle, simulate  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"nproc {os.cpu_count()}, load average {load}"


def measure_fit(cycle: SimulatedCycle) -> dict[str, Any]:
    tracemalloc.start()
    started = time.perf_counter()
    found = estimator.fit(cycle.y, cycle.ratee, cycle.rater, cycle.relationship)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    codes = cycle.manager_code_of_team()
    recovered = found.rater_effects[codes]
    truth = cycle.manager_leniency
    is_manager = cycle.relationship == MANAGER
    team = cycle.team[cycle.ratee[is_manager]]
    sums = np.bincount(team, weights=cycle.y[is_manager], minlength=len(truth))
    naive = sums / np.bincount(team, minlength=len(truth)) - cycle.y[is_manager].mean()
    return {
        "seconds": seconds,
        "peak_mb": peak,
        "iterations": found.iterations,
        "variances": found.variances,
        "correlation": float(np.corrcoef(recovered, truth)[0, 1]),
        "rmse": float(np.sqrt(np.mean((recovered - truth) ** 2))),
        "naive_rmse": float(np.sqrt(np.mean((naive - truth) ** 2))),
    }


# --- (b) the task's body on a database --------------------------------------------------------


def setup_django(path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build_cycle(cycle: SimulatedCycle) -> tuple[Any, Any]:
    """The simulated cycle as rows; returns (cycle, an HR admin)."""
    from django.utils import timezone

    from tandem.access.models import Role, RoleGrant
    from tandem.org.models import Person
    from tandem.reviews import versions
    from tandem.reviews.models import (
        Cycle,
        CycleForm,
        CycleStatus,
        Participant,
        RatingScale,
        Review,
        ReviewState,
        SubmittedRating,
        Template,
        TemplateQuestion,
        TemplateSection,
    )

    people = int(cycle.ratee.max()) + 1
    writers = int(cycle.rater_person.max()) + 1
    Person.objects.bulk_create(
        [
            Person(
                email=f"person{n}@bench.example",
                first_name="Person",
                last_name=f"Number {n}",
                sort_name=f"number {n:06d}",
                employee_id=f"B{n:06d}",
            )
            for n in range(writers)
        ],
        batch_size=5000,
    )
    person_ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    hr = Person.objects.create(email="hr@bench.example", first_name="Hal", last_name="Admin")
    RoleGrant.objects.create(person=hr, role=Role.HR_ADMIN)
    today = timezone.localdate()
    review_cycle = Cycle.objects.create(
        name="Bench", period_start=today, period_end=today, status=CycleStatus.ACTIVE
    )
    scale = RatingScale.objects.create(
        name="Bench five",
        points=[{"value": n, "label": str(n), "description": ""} for n in range(1, 6)],
    )
    for relationship in RELATIONSHIPS:
        template = Template.objects.create(name=f"Bench {relationship}", relationship=relationship)
        section = TemplateSection.objects.create(template=template, title="Period")
        TemplateQuestion.objects.create(
            section=section, kind="rating", prompt="Overall?", scale=scale, is_overall=True
        )
        CycleForm.objects.create(
            cycle=review_cycle,
            relationship=relationship,
            template=template,
            version=versions.freeze(template),
        )
    version_of = {
        form.relationship: form.version_id for form in CycleForm.objects.filter(cycle=review_cycle)
    }
    Participant.objects.bulk_create(
        [Participant(cycle=review_cycle, person_id=person_ids[n]) for n in range(people)],
        batch_size=5000,
    )
    participant_ids = list(
        Participant.objects.filter(cycle=review_cycle).order_by("id").values_list("id", flat=True)
    )
    now = timezone.now()
    chunk = 50_000
    for start in range(0, len(cycle.y), chunk):
        stop = min(start + chunk, len(cycle.y))
        reviews = Review.objects.bulk_create(
            [
                Review(
                    cycle=review_cycle,
                    participant_id=participant_ids[cycle.ratee[k]],
                    reviewee_id=person_ids[cycle.ratee[k]],
                    reviewer_id=person_ids[cycle.rater_person[k]],
                    relationship=RELATIONSHIPS[cycle.relationship[k]],
                    template_version_id=version_of[RELATIONSHIPS[cycle.relationship[k]]],
                    state=ReviewState.SUBMITTED,
                    submitted_at=now,
                )
                for k in range(start, stop)
            ],
            batch_size=5000,
        )
        SubmittedRating.objects.bulk_create(
            [
                SubmittedRating(
                    review_id=review.pk,
                    cycle=review_cycle,
                    participant_id=review.participant_id,
                    relationship=review.relationship,
                    question_key="q1",
                    question_kind="rating",
                    value=int(cycle.y[k]),
                    points=5,
                    normalised=(Decimal(int(cycle.y[k]) - 1) / 4).quantize(Decimal("0.0001")),
                )
                for k, review in zip(range(start, stop), reviews, strict=True)
            ],
            batch_size=5000,
        )
    return review_cycle, hr


def measure_task(cycle: SimulatedCycle) -> dict[str, Any]:
    from django.test import Client

    from tandem.fairness.models import RaterEffects
    from tandem.fairness.queries import rater_effects as queries
    from tandem.fairness.services import rater_effects as services

    started = time.perf_counter()
    review_cycle, hr = build_cycle(cycle)
    build_seconds = time.perf_counter() - started
    row = RaterEffects.objects.create(cycle=review_cycle)
    started = time.perf_counter()
    status = services.compute(rater_effects_id=row.pk)
    task_seconds = time.perf_counter() - started
    row.refresh_from_db()
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        queries.fingerprint(review_cycle)
        timings.append(time.perf_counter() - started)
    client = Client()
    client.force_login(hr)
    api_timings = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(
            f"/api/v1/reviews/cycles/{review_cycle.pk}/rater-effects", HTTP_HOST="localhost"
        )
        api_timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    return {
        "status": status,
        "build_seconds": build_seconds,
        "task_seconds": task_seconds,
        "summary": row.summary,
        "shown": len(row.raters),
        "adjusted": len(row.adjusted),
        "fingerprint_ms": min(timings) * 1000,
        "api_ms": sorted(api_timings)[len(api_timings) // 2] * 1000,
        "api_status": response.json()["status"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--peers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--no-db", action="store_true", help="measure the estimator alone")
    args = parser.parse_args()
    print(machine())
    cycle = simulate(people=args.people, peers_per_person=args.peers, seed=args.seed)
    print(f"simulated: {len(cycle.y):,} ratings of {args.people:,} people, RSS {rss_mb():.0f} MB")
    fit = measure_fit(cycle)
    v = fit["variances"]
    print("\n(a) the estimator alone")
    print(
        "| ratings | people | raters | fit s | CG iterations | fit peak MB | process max RSS MB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {len(cycle.y):,} | {args.people:,} | {int(cycle.rater.max()) + 1:,} "
        f"| {fit['seconds']:.2f} | {fit['iterations']} | {fit['peak_mb']:.0f} | {rss_mb():.0f} |"
    )
    print(
        f"variances: ratee {v.ratee:.3f}, rater "
        + ", ".join(f"{RELATIONSHIPS[c]} {value:.3f}" for c, value in enumerate(v.rater))
        + f", residual {v.residual:.3f}; "
        f"managers' leniency: r = {fit['correlation']:.3f}, RMSE {fit['rmse']:.3f} "
        f"(manager's average minus grand mean: {fit['naive_rmse']:.3f})"
    )
    if args.no_db:
        return
    path = ROOT / "var" / "bench" / "rater-effects.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    try:
        setup_django(path)
        task = measure_task(cycle)
    finally:
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    summary = task["summary"]
    print("\n(b) the background task's body on SQLite (read ratings, fit, store)")
    print(
        "| observations | task s | read + fit s | task peak MB (tracemalloc) "
        "| process max RSS MB | raters shown | adjusted ratings | fingerprint ms | API read ms |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {summary['observations']:,} | {task['task_seconds']:.1f} | {summary['seconds']:.1f} "
        f"| {summary['peak_memory_mb']:.0f} | {rss_mb():.0f} | {task['shown']:,} "
        f"| {task['adjusted']:,} | {task['fingerprint_ms']:.0f} | {task['api_ms']:.0f} |"
    )
    print(f"(building the database: {task['build_seconds']:.0f} s, not part of the target)")
    print(machine())


if __name__ == "__main__":
    main()
