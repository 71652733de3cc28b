"""Every setting an operator can turn is documented, with its default."""

from __future__ import annotations

import re
from pathlib import Path

import tandem

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(tandem.__file__).resolve().parent


def variables_read_by_the_code() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        found |= set(re.findall(r"\"((?:TANDEM_[A-Z0-9_]+)|DATABASE_URL)\"", path.read_text()))
    return found


def test_every_environment_variable_is_documented_with_a_default():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(
        re.findall(r"^\| `((?:TANDEM_[A-Z0-9_]+)|DATABASE_URL)` \| [^|]+ \| ", doc, re.M)
    )
    missing = variables_read_by_the_code() - documented
    assert not missing, f"add these to docs/configuration.md: {sorted(missing)}"


def test_the_scan_finds_the_core_settings():
    assert {"TANDEM_DEBUG", "TANDEM_SECRET_KEY", "DATABASE_URL"} <= variables_read_by_the_code()
