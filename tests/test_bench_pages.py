"""bench/pages.py measures every page: each path parameter of the URL conf and of the API
has a filler, so adding a page with a new kind of id fails here, not silently in the
benchmark."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _pages_module() -> Any:
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_pages", BENCH / "pages.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_every_path_parameter_of_every_page_and_get_operation_has_a_filler():
    pages = _pages_module()
    routes = [*pages.url_conf_pages(), *pages.api_operations()]
    missing = sorted(
        f"{page.name} ({page.pattern}): {param}"
        for page in routes
        for param in page.params
        if (page.name, param) not in pages.ROUTE_FILLERS and param not in pages.FILLERS
    )
    assert missing == []
    assert len(routes) > 100  # the walk found the included apps and the API


def test_each_filler_names_a_method_of_the_fillers():
    pages = _pages_module()
    for method in [*pages.FILLERS.values(), *pages.ROUTE_FILLERS.values()]:
        assert callable(getattr(pages.Fillers, method, None)), method


def test_a_streamed_export_is_judged_by_its_first_bytes_not_the_whole_file():
    pages = _pages_module()
    export = {"p50": 13_019.2, "p95": 13_515.8, "queries": 13, "samples": 5}
    export |= {"first_byte_p50": 88.3, "first_byte_p95": 95.0, "bytes": 60_218_001}
    assert not pages.over("goals:export_csv", export)
    assert pages.over("goals:export_csv", export | {"first_byte_p95": 151.0})
    assert "whole file 13,516 ms for 60.2 MB" in pages.cell_text(export)[1]


def test_a_page_is_judged_by_its_p95():
    pages = _pages_module()
    assert pages.over("goals:mine", {"p50": 90.0, "p95": 151.0, "queries": 9})
    assert not pages.over("goals:mine", {"p50": 90.0, "p95": 149.0, "queries": 9})
