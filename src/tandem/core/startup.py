"""What a web process does once, after Django is set up and before it serves requests."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def freeze_startup_objects() -> None:
    """Import every view (by loading the URL conf), then move everything start-up created
    to the garbage collector's permanent generation (`gc.freeze`), which it never scans.

    Python's full (generation 2) collection walks every tracked object. A Tandem process
    holds about 340,000 of them after start-up (Django, the apps, the API's schemas), and
    walking them paused a request for 76–121 ms roughly once every fifty requests: a page
    of 20 ms at p50 showed 170–260 ms at p95 at 100,000 people. Frozen, about 7,500 objects
    remain tracked and no such pause was seen (docs/benchmarks.md, "Every page"). Modules
    and classes live as long as the process anyway, so freezing them frees nothing late."""
    get_resolver().url_patterns  # noqa: B018 (loading the URL conf imports every view)
    gc.collect()
    gc.freeze()
