"""Each coach rule's behaviour, the span contract on nasty input, and the speed budget."""

from __future__ import annotations

import pytest

from tandem.coach.checks import MAX_PER_RULE, RULES, builtin_words, check, sbi


def rules_of(text: str) -> list[str]:
    return [f.rule for f in check(text)]


def spans_of(text: str, rule: str) -> list[str]:
    return [text[f.start : f.end] for f in check(text) if f.rule == rule]


def test_the_issue_sentence_gets_personality_vague_and_sarcasm_findings() -> None:
    text = "She is too emotional and abrasive. Good job I guess."
    assert spans_of(text, "personality") == ["emotional", "abrasive"]
    assert spans_of(text, "vague") == ["Good job"]
    assert spans_of(text, "sarcasm") == ["I guess"]


def test_a_biased_word_finding_names_its_research_source() -> None:
    (finding,) = [f for f in check("He is so abrasive with people.") if f.rule == "personality"]
    assert "Snyder 2014" in finding.message
    assert finding.suggestion


def test_a_biased_word_about_a_thing_is_not_flagged() -> None:
    assert "personality" not in rules_of("We agreed an aggressive timeline for the rollout.")


def test_articulate_as_a_verb_is_not_flagged() -> None:
    assert "personality" not in rules_of("She helped articulate the plan for the migration.")


def test_every_builtin_word_has_a_source_and_a_better_phrasing() -> None:
    for word in builtin_words():
        assert word.source and word.cite and word.better and word.forms, word.word


def test_a_company_word_is_flagged_when_used_of_a_person() -> None:
    text = "Honestly he is grumpy in most of our meetings."
    found = check(text, extra_words=(("grumpy", "Say what happened."),))
    assert [(f.rule, text[f.start : f.end], f.suggestion) for f in found] == [
        ("personality", "grumpy", "Say what happened.")
    ]


def test_vague_praise_with_a_situation_and_an_impact_is_not_flagged() -> None:
    text = "Great work in Tuesday's demo: you answered every question, so the client signed."
    assert "vague" not in rules_of(text)


def test_vague_praise_says_which_parts_of_sbi_are_missing() -> None:
    (finding,) = check("Great work this year, thanks a million to you.")[:1]
    assert finding.rule == "vague"
    assert "situation" in finding.message and "impact" in finding.message


def test_sbi_detects_situation_behaviour_and_impact_separately() -> None:
    assert sbi("In Monday's stand-up you flagged the risk, so we fixed it.").as_dict() == {
        "situation": True,
        "behaviour": True,
        "impact": True,
    }
    assert sbi("Thanks for everything you do.").as_dict() == {
        "situation": False,
        "behaviour": False,
        "impact": False,
    }


def test_sbi_reads_dates_as_situations() -> None:
    assert sbi("On 2026-03-14 the report went out.").situation
    assert sbi("By March 3 the report went out.").situation


def test_almost_always_is_not_an_absolute() -> None:
    assert "absolute" not in rules_of("You almost always send the agenda the day before.")


def test_just_in_time_is_not_a_hedge_but_just_wanted_is() -> None:
    assert "hedge" not in rules_of("The patch landed just in time for the release window.")
    assert spans_of("I just wanted to say the report was late again.", "hedge") == ["just"]


def test_a_sentence_starting_with_sure_comma_is_sarcasm() -> None:
    assert spans_of("Sure, another meeting is what we needed today.", "sarcasm") == ["Sure,"]


def test_capitals_shout_but_acronyms_do_not() -> None:
    assert spans_of("You need to STOP merging without a review.", "shouting") == ["STOP"]
    assert "shouting" not in rules_of("The API docs and the SSO guide are on the HR page.")


def test_text_under_six_words_is_too_short_and_empty_text_gets_nothing() -> None:
    assert rules_of("Thanks for the demo!") == ["too_short"]
    assert check("") == []
    assert check("   \n\t ") == []


def test_every_rule_has_an_explanation_and_an_example() -> None:
    for rule in RULES.values():
        assert rule.explanation.endswith(".") and rule.example, rule.id


NASTY = [
    "",
    "\x00",
    "She is \x00abrasive\x00 and NEVER listens.",
    "<script>alert('x')</script> She is so abrasive. Good job I guess.",
    "هي عدوانية جدا. Good job I guess. She is emotional.",  # RTL around English
    "‮She is abrasive‬ and bossy.",  # bidi override characters
    "She is 😡😡 abrasive 👍🏽 good job 👍🏽",
    "Cafe\u0301 she is e\u0301motional and abrasive\u0301 ok",  # combining marks
    "İİİ She is ABRASIVE. GOOD JOB.",  # a capital whose lower case is two code points
    "\ud800 lone surrogate? she is abrasive",
    "a" * 100_000,
    "She is abrasive. " * 6000,
    "ALWAYS " * 20_000,
    "\n" * 1000 + "good job",
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_input_gets_findings_or_none_with_every_span_inside_the_text(text: str) -> None:
    for finding in check(text):
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.rule in RULES


def test_combining_marks_keep_spans_in_code_points() -> None:
    text = "Cafe\u0301 talk: she is very abrasive with people."
    (span,) = [(f.start, f.end) for f in check(text) if f.rule == "personality"]
    assert text[span[0] : span[1]] == "abrasive"


def test_a_very_long_text_gets_at_most_the_per_rule_cap() -> None:
    found = check("She is abrasive. " * 6000)
    assert sum(f.rule == "personality" for f in found) == MAX_PER_RULE
