"""A web process freezes what start-up made, so the collector's full passes stay short."""

from __future__ import annotations

import subprocess
import sys


def test_loading_the_wsgi_application_leaves_few_objects_for_the_collector_to_walk():
    script = (
        "import gc, os\n"
        "os.environ['TANDEM_DEBUG'] = 'true'\n"
        "import tandem.wsgi\n"
        "print(len(gc.get_objects()), gc.get_freeze_count())\n"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    tracked, frozen = (int(n) for n in done.stdout.split())
    assert frozen > 100_000, "start-up's objects are in the permanent generation"
    assert tracked < frozen / 10
