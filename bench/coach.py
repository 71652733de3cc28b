"""The feedback coach's speed: p50/p95 of `checks.check` on texts of 2,000 and 100,000
characters (the issue's budget: p95 < 30 ms at 2,000). No database: the rules are pure.

    PYTHONPATH=src .venv/bin/python bench/coach.py
"""

from __future__ import annotations

import os
import time

from tandem.coach.checks import check

BIASED = (
    "She is too emotional and abrasive. Good job I guess. In Tuesday's demo you walked "
    "the client through the failure cases, so they signed. You NEVER test, kind of. "
)
PLAIN = "The team met on Thursday to plan the migration and agreed the order of the steps. "


def measure(label: str, text: str, runs: int) -> None:
    check(text)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        check(text)
        timings.append(time.perf_counter() - start)
    timings.sort()
    p50 = timings[len(timings) // 2] * 1000
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)] * 1000
    print(f"| {label} | {len(text):,} | {runs} | {p50:.1f} | {p95:.1f} |")


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("| text | characters | runs | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, base in (("many findings", BIASED), ("no findings", PLAIN)):
        for size, runs in ((2_000, 300), (100_000, 30)):
            measure(label, (base * (size // len(base) + 1))[:size], runs)


if __name__ == "__main__":
    main()
