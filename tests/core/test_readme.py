"""The README says what `make run` prints."""

from __future__ import annotations

from pathlib import Path

from tandem.org.demo import LOGIN_ROLES

README = Path(__file__).resolve().parents[2] / "README.md"
NUMBERS = {5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def test_readme_counts_the_demo_sign_ins_the_demo_prints() -> None:
    assert f"prints the {NUMBERS[len(LOGIN_ROLES)]} of them" in README.read_text()
