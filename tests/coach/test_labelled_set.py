"""The coach's rules against a labelled set of sentences written for this test
(tests/coach/labelled.txt: biased, vague, Situation–Behaviour–Impact complete, neutral, tone).

Each rule must reach a precision of at least 0.9 and a recall of at least 0.8, counted per
sentence (does the rule fire on it, and should it). The figures at the time of writing are in
docs/benchmarks.md; this test fails when a change to a rule or the word list drops below."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tandem.coach.checks import RULES, check

LABELLED = Path(__file__).parent / "labelled.txt"
EVALUATED = [rule for rule in RULES if rule != "too_short"]  # a word count, tested directly


def _labelled() -> list[tuple[set[str], str, str]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rules, category, text = (part.strip() for part in line.split("|", 2))
        rows.append((set() if rules == "-" else set(rules.split(",")), category, text))
    return rows


def _scores() -> dict[str, tuple[float, float]]:
    tp, fp, fn = Counter[str](), Counter[str](), Counter[str]()
    for expected, _, text in _labelled():
        fired = {f.rule for f in check(text)} - {"too_short"}
        for rule in expected & fired:
            tp[rule] += 1
        for rule in fired - expected:
            fp[rule] += 1
        for rule in expected - fired:
            fn[rule] += 1
    return {
        rule: (
            tp[rule] / (tp[rule] + fp[rule]) if tp[rule] + fp[rule] else 0.0,
            tp[rule] / (tp[rule] + fn[rule]) if tp[rule] + fn[rule] else 0.0,
        )
        for rule in EVALUATED
    }


def test_the_labelled_set_has_at_least_150_sentences_of_every_category() -> None:
    rows = _labelled()
    categories = Counter(category.split("-")[0] for _, category, _ in rows)
    assert len(rows) >= 150
    assert {"biased", "vague", "sbi", "neutral", "tone"} <= set(categories)


def test_every_evaluated_rule_has_at_least_eight_positive_sentences() -> None:
    positives = Counter(rule for expected, _, _ in _labelled() for rule in expected)
    assert all(positives[rule] >= 8 for rule in EVALUATED), positives


@pytest.mark.parametrize("rule", EVALUATED)
def test_rule_precision_is_at_least_0_9(rule: str) -> None:
    precision, _ = _scores()[rule]
    assert precision >= 0.9, f"{rule}: precision {precision:.3f}"


@pytest.mark.parametrize("rule", EVALUATED)
def test_rule_recall_is_at_least_0_8(rule: str) -> None:
    _, recall = _scores()[rule]
    assert recall >= 0.8, f"{rule}: recall {recall:.3f}"


def test_sbi_complete_sentences_get_no_vague_or_personality_finding() -> None:
    for _, category, text in _labelled():
        if category == "sbi":
            fired = {f.rule for f in check(text)}
            assert not fired & {"vague", "personality"}, text
