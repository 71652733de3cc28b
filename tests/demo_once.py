"""A demo company loaded once for a test module's read-only checks.

A demo load takes one to two seconds, and modules that only look at what it made used to
load it for every test. Here it is loaded once, inside a transaction rolled back after the
module's last test; each test still runs in a savepoint of its own, so what a test writes
is gone before the next. A module that uses it must not hold tests that load a demo of
their own (the company is already there): those live in a module beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from tandem.org import demo


@contextmanager
def demo_for_module(django_db_blocker: Any, **options: Any) -> Iterator[demo.DemoResult]:
    """`demo.load_demo(**options)` for the length of the block, then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield demo.load_demo(**options)
        finally:
            transaction.set_rollback(True)
