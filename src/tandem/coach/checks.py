"""The feedback coach's text rules: pure functions of a text, deterministic, no network.

A *finding* says which rule fired, where (`span`), why (`message`) and what would read
better (`suggestion`). Spans are `[start, end)` offsets into the Python `str`, that is in
**code points**: an emoji is one position, a letter with a combining accent is two (the
letter and the mark), as JavaScript's `Array.from(text)` counts them — not UTF-16 units and
not bytes. Every pattern is matched against the text as written (with IGNORECASE), never
against `text.lower()`, because lowering can change a text's length ("İ" becomes two code
points) and spans would drift.

The rules know no feature. Feature-specific checks (a review's rating far from its
evidence…) live in their apps and plug in through `tandem.coach.registry`.

The regexes are compiled once at import; each is linear in the text (no nested
quantifiers), so 100,000 characters are checked in milliseconds (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

KINDS = ("feedback", "praise", "review", "upward", "request")
KIND_LABELS = {
    "feedback": "Feedback",
    "praise": "Praise",
    "review": "Review answer",
    "upward": "Upward feedback",
    "request": "Request answer",
}
# A very long text gets at most this many findings per rule, so an answer stays small; a
# writer who pastes a book has enough to fix with the first twenty of each.
MAX_PER_RULE = 20
# Fewer words than this cannot say a situation, a behaviour and an impact.
MIN_WORDS = 6


@dataclass(frozen=True)
class Rule:
    """One check: a stable id, one sentence saying why it matters, a better phrasing."""

    id: str
    title: str
    explanation: str
    example: str


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int
    end: int
    message: str
    suggestion: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "span": [self.start, self.end],
            "message": self.message,
            "suggestion": self.suggestion,
        }


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "personality",
            "Personality, not behaviour",
            "Words about who someone is — and words research finds applied unevenly by "
            "gender or ethnicity — give nothing to act on; describe what they did.",
            'Instead of "She is abrasive": "In Monday\'s review you called the draft '
            "'lazy', and Jo stopped sharing early drafts.\"",
        ),
        Rule(
            "vague",
            "Vague praise or criticism",
            '"Good job" or "needs to improve" does not say what to repeat or change; '
            "use Situation–Behaviour–Impact.",
            'Instead of "Great work": "In Thursday\'s demo (situation) you walked the client '
            'through the failure cases (behaviour), so they signed the same day (impact)."',
        ),
        Rule(
            "absolute",
            "Absolute words",
            '"Always" and "never" are rarely true, and invite a debate about the exception '
            "instead of the point.",
            'Instead of "You never test": "The last two releases went out without tests."',
        ),
        Rule(
            "hedge",
            "Hedges that hide the point",
            'Softeners like "kind of" or "maybe a bit" make the point easy to miss; say it '
            "plainly and kindly.",
            'Instead of "Maybe be a bit more on time": "Three stand-ups this week started '
            'late because we waited for you."',
        ),
        Rule(
            "sarcasm",
            "Sarcasm",
            'Sarcasm ("I guess", "sure, …") reads as contempt in writing, where no tone of '
            "voice softens it.",
            'Instead of "Great timing, as usual": "The report arrived after the deadline, '
            'so finance closed without it."',
        ),
        Rule(
            "shouting",
            "All capitals",
            "Words in capitals read as shouting.",
            'Instead of "This is NOT OK": "This is not OK: the customer saw the error."',
        ),
        Rule(
            "too_short",
            "Too short to act on",
            f"Fewer than {MIN_WORDS} words cannot say what happened and what it changed.",
            'Instead of "Nice!": "Your checklist for the migration caught two missing '
            'backups before we started."',
        ),
    )
}


# --- The word list ----------------------------------------------------------------------------

DATA_FILE = Path(__file__).parent / "data" / "words.json"


@dataclass(frozen=True)
class Word:
    """A word the coach flags when it is used of a person, with its research source."""

    word: str
    forms: tuple[str, ...]
    category: str
    source: str  # the full reference
    cite: str  # a short one, for the message ("Snyder 2014, Fortune")
    better: str


@lru_cache(maxsize=1)
def builtin_words() -> tuple[Word, ...]:
    """The shipped list (coach/data/words.json), each entry with its source."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    sources: dict[str, str] = data["sources"]
    citations: dict[str, str] = data["citations"]
    return tuple(
        Word(
            word=entry["word"],
            forms=tuple(entry["forms"]),
            category=entry["category"],
            source=sources[entry["source"]],
            cite=citations[entry["source"]],
            better=entry["better"],
        )
        for entry in data["words"]
    )


def _alternation(forms: Iterable[str]) -> str:
    # Longest first, so "aggressively" wins over "aggressive".
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def _word_pattern(forms: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternation(forms)})(?![\w-])", re.IGNORECASE)


# Between words: spaces, punctuation, quotes, a short HTML tag, control and bidi characters
# (pasted text carries them; they must not hide a word from the rules).
_GAP = r"(?:[\s,*_\"'“”‘’()\x00-\x1f\u200b-\u200f\u202a-\u202e\u2066-\u2069]|<[^<>]{0,10}>)*"
# Said of a person: a person or a copula shortly before the word…
_PERSON_BEFORE = re.compile(
    rf"(?:\b(?:she|he|they|you|i|we|her|him|them|his|their|your|she's|he's|they're|you're|"
    r"i'm|is|was|are|were|be|been|being|seems?|seemed|appears?|appeared|looks?|looked|"
    r"sounds?|sounded|gets?|got|getting|became|becomes?|too|very|so|quite|overly|really|"
    r"rather|extremely|bit|little|can|could|comes? across as|came across as|comes? off as|"
    rf"came off as|and|or|but|an?)\b{_GAP})$",
    re.IGNORECASE,
)
# …or a word for a person right after it ("an abrasive manager", "articulate speaker").
_PERSON_AFTER = re.compile(
    r"^[\s,]*(?:person|people|man|men|woman|women|girl|guy|lady|colleague|manager|leader|"
    r"lead|teammate|coworker|co-worker|engineer|developer|designer|communicator|speaker|"
    r"presenter|style|tone|manner|attitude|behaviou?r|personality|nature|outbursts?|"
    r"reaction|reactions|towards?|with|when|at times|sometimes|in meetings)\b",
    re.IGNORECASE,
)
# Not of a person: "an aggressive timeline", "emotional intelligence", "to articulate the
# plan" (the verb), "a difficult quarter".
_THING_AFTER = re.compile(
    r"^[\s,]*(?:timelines?|deadlines?|schedules?|targets?|goals?|pricing|prices?|growth|"
    r"plans?|roadmap|intelligence|support|impact|labou?r|problems?|tasks?|projects?|"
    r"quarters?|years?|months?|weeks?|situations?|decisions?|conversations?|feedback|"
    r"customers?|clients?|bugs?|questions?|numbers?|results?|trends?|marketing|campaign|"
    r"expansion|estimates?|caching|scope|the|a|an|our|their|his|her|its|this|that|these|"
    r"those|why|how|what|clearly|well)\b",
    re.IGNORECASE,
)
# …or a thing is the subject: "our pricing was aggressive", "the results were negative".
_THING_BEFORE = re.compile(
    r"\b(?:pricing|prices?|timelines?|plans?|targets?|schedules?|growth|results?|numbers?|"
    r"tests?|feedback|reviews?|campaigns?|approach|strategy|estimates?|market|deadlines?|"
    r"goals?|quarter|year|month|week|news|trend|reaction|response|scope|forecast)\s+"
    r"(?:is|was|are|were|seems?|seemed|looks?|looked|came back|stays?|stayed)\s+"
    r"(?:(?:too|very|quite|so|really|rather|a bit|fairly|pretty)\s+)?$",
    re.IGNORECASE,
)
_VERB_BEFORE = re.compile(r"\b(?:to|can|could|will|would|should|must|helped|didn't|did)\s+$", re.I)
_WINDOW = 40  # characters of context looked at either side of a word


def _of_a_person(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - _WINDOW) : start]
    after = text[end : end + _WINDOW]
    if _THING_AFTER.match(after) or _THING_BEFORE.search(before):
        return False
    if _VERB_BEFORE.search(before) and not _PERSON_AFTER.match(after):
        return False
    return bool(_PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after))


@dataclass(frozen=True)
class WordList:
    """The built-in words and the ones HR added, compiled into one pattern."""

    pattern: re.Pattern[str] | None
    by_form: dict[str, Word]


@lru_cache(maxsize=8)
def word_list(extra: tuple[tuple[str, str], ...] = ()) -> WordList:
    """The compiled list; `extra` are HR's (word, better phrasing) pairs, part of the cache
    key so a change in HR's list compiles a new pattern and the old one is dropped."""
    words = list(builtin_words())
    for word, better in extra:
        words.append(
            Word(
                word=word,
                forms=(word,),
                category="company",
                source="Added by your HR team.",
                cite="your HR team",
                better=better or RULES["personality"].example,
            )
        )
    by_form: dict[str, Word] = {}
    for w in words:
        for form in w.forms:
            by_form.setdefault(form.casefold(), w)
    pattern = _word_pattern(by_form) if by_form else None
    return WordList(pattern=pattern, by_form=by_form)


def _personality(text: str, words: WordList) -> Iterator[Finding]:
    if words.pattern is None:
        return
    for match in words.pattern.finditer(text):
        start, end = match.span()
        if not _of_a_person(text, start, end):
            continue
        word = words.by_form.get(match.group().casefold())
        if word is None:  # a case-insensitive match the casefold key does not reach
            continue
        if word.category == "company":
            why = "your company asks writers to avoid it when describing a person"
        elif word.category == "personality":
            why = "it describes who someone is, not what they did"
        else:
            why = "it describes who someone is, and research finds it applied unevenly by " + (
                "ethnicity" if word.category == "ethnicity" else "gender"
            )
        yield Finding(
            rule="personality",
            start=start,
            end=end,
            message=f"“{match.group()}”: {why} ({word.cite}).",
            suggestion=word.better,
        )


# --- Vague praise and criticism, and Situation–Behaviour–Impact ------------------------------

_VAGUE = re.compile(
    r"\b(?:(?:good|great|nice|awesome|amazing|excellent|fantastic|solid|super|brilliant)\s+"
    r"(?:job|work|stuff|effort|performance|attitude)|well done|keep it up|keep up the good work|"
    r"needs? to improve|needs? improvement|needs? to do better|could do better|"
    r"room for improvement|(?:be|being) more proactive|step up(?: your game)?|"
    r"(?:a|not a)(?: (?:great|good|real|true))? team player|rock ?star|bad attitude|"
    r"poor attitude|doing (?:great|fine|well)|"
    r"not good enough|must try harder|try harder|up your game|good to work with|"
    r"pleasure to work with|(?:great|good) to have (?:you|him|her|them) on the team)\b",
    re.IGNORECASE,
)
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_EVENT = (
    r"(?:meeting|demo|review|stand-?up|retro(?:spective)?|launch|release|call|presentation|"
    r"workshop|sprint|planning|1:1|one-on-one|interview|incident|outage|offsite|session|"
    r"kick-?off|all-hands|onboarding|migration|handover|deadline|deploy(?:ment)?|pitch|"
    r"negotiation|training|audit|rollout|on-?call|hackathon|board meeting|sync|standup|"
    r"postmortem|post-mortem|workshop|conference|escalation|rewrite|project|quarter)"
)
_SITUATION = re.compile(
    rf"\b(?:(?:in|during|at|after|before|since|for|on|from|throughout)\s+(?:the|our|your|"
    rf"this|that|last|yesterday's|today's|{_DAY}'s|last week's|this week's|this morning's|"
    rf"q[1-4]|a|an)?\s*(?:[\w'-]+\s+){{0,3}}?{_EVENT}s?|{_DAY}|yesterday|this morning|"
    rf"last (?:week|month|quarter|sprint|year|night|time)|this (?:week|month|quarter|sprint)|"
    rf"earlier today|q[1-4]|{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|when (?:you|we|the|she|he|they))\b",
    re.IGNORECASE,
)
_ACTION_VERBS = (
    r"presented|wrote|rewrote|fixed|explained|led|interrupted|shipped|handled|asked|answered|"
    r"organi[sz]ed|reviewed|built|paired|documented|prepared|walked|raised|flagged|stayed|"
    r"caught|resolved|negotiated|mentored|cut|dropped|missed|refactored|summari[sz]ed|"
    r"listened|facilitated|followed|delivered|designed|tested|called|pushed|debugged|spoke|"
    r"talked|sent|shared|ran|took|gave|made|said|told|showed|started|finished|cancelled|"
    r"canceled|skipped|forgot|ignored|dismissed|changed|added|removed|wrote up|set up|"
    r"mapped|migrated|automated|coached|proposed|challenged|replied|responded|volunteered|"
    r"stepped in|covered|split|planned|spotted|noticed|reached out|checked|double-checked|"
    r"merged|deployed|rolled back|paused|chaired|drafted|published|interviewed|hired|"
    r"onboarded|escalated|argued|rejected|posted|arrived|left|joined|came|kept|offered"
)
_BEHAVIOUR = re.compile(
    rf"\b(?:{_ACTION_VERBS})\b|\b(?:you|she|he|they|we)\s+(?:\w+ly\s+)?\w+ed\b", re.IGNORECASE
)
_IMPACT = re.compile(
    r"\b(?:because|so that|so (?:the|we|our|you|they|i|it|he|she|everyone|nobody|no one)|"
    r"which (?:meant|means|let|made|saved|helped|cost|caused|gave|led)|as a result|"
    r"that meant|this meant|it meant|resulting in|result(?:ed)? in|led to|leads to|"
    r"thanks to (?:this|that|which|you|it)|the effect|the impact|this made|that made|"
    r"it made|made it|saved|cost us|enabled|allowed|unblocked|caused|meaning|the result|"
    r"and then|which)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sbi:
    """Which parts of Situation–Behaviour–Impact a text names."""

    situation: bool
    behaviour: bool
    impact: bool

    @property
    def missing(self) -> list[str]:
        return [
            name
            for name, present in (
                ("situation", self.situation),
                ("behaviour", self.behaviour),
                ("impact", self.impact),
            )
            if not present
        ]

    def as_dict(self) -> dict[str, bool]:
        return {"situation": self.situation, "behaviour": self.behaviour, "impact": self.impact}


def sbi(text: str) -> Sbi:
    """Whether the text names a situation (a time, a place, an event), a behaviour (an
    action) and an impact (because, so, which meant…)."""
    return Sbi(
        situation=bool(_SITUATION.search(text)),
        behaviour=bool(_BEHAVIOUR.search(text)),
        impact=bool(_IMPACT.search(text)),
    )


def _vague(text: str, parts: Sbi) -> Iterator[Finding]:
    # A vague phrase is fine when the text around it says what happened and why it
    # mattered ("Great work in Tuesday's demo: you … so …").
    if parts.situation and (parts.behaviour or parts.impact):
        return
    names = parts.missing
    missing = (
        f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else "".join(names)
    ) or "specific example"
    for match in _VAGUE.finditer(text):
        yield Finding(
            rule="vague",
            start=match.start(),
            end=match.end(),
            message=f"“{match.group()}” does not say what to repeat or change; the text "
            f"names no {missing}.",
            suggestion=RULES["vague"].example,
        )


# --- Absolutes, hedges, sarcasm, shouting, length --------------------------------------------

_ABSOLUTE = re.compile(
    # "Almost always" and "as always" (a habit of praise) are not accusations.
    r"(?<!almost )(?<!nearly )(?<!not )(?<!as )\b(?:always|never|constantly|every single time|"
    r"each and every time|all the time|not once|without fail)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:kind of|sort of|kinda|sorta|maybe a (?:bit|little)|a (?:little |tiny )?bit|"
    r"somewhat|slightly|just(?! (?:in time|now|as|before|after|like|the right|enough|"
    r"started|joined|finished|arrived|launched|shipped|released))|i might be wrong|"
    r"(?:it's )?(?:just|only) my opinion|i'm not sure,? but|not to be picky,? but|"
    r"if that makes sense|no big deal,? but)\b",
    re.IGNORECASE,
)
_SARCASM = re.compile(
    r"\b(?:i guess|i suppose|yeah,? right|oh,? great|oh,? wonderful|thanks a lot|"
    r"nice going|good luck with that|as usual|must be nice|what a surprise|big surprise|"
    r"bless (?:your|her|his|their) heart|for once|i'm sure you tried|not that anyone noticed|"
    r"clearly you|obviously you)\b|(?:^|(?<=[.!?]\s))sure,",
    re.IGNORECASE,
)
# Capital words: a run of two or more, one of five letters or more, or a common word of
# emphasis ("NOT", "STOP"); known acronyms pass.
_CAPS = re.compile(
    r"\b[A-Z][A-Z'’]{1,}(?:[\s,!?.]+[A-Z][A-Z'’]{1,})+\b|\b[A-Z]{5,}\b|"
    r"\b(?:NOT|STOP|NOW|NO|YES|MUST|ALL|ANY|DO|DON'T|WHY|HOW|WHAT|VERY|EVER|ONE|TWO|"
    r"THIS|THAT|READ|ASK|WAS|ARE|HAVE|NEED|SAID|TOLD|OUR|YOUR)\b"
)
ACRONYMS = frozenset(
    [
        "API",
        "APIS",
        "CEO",
        "CTO",
        "CFO",
        "COO",
        "CPO",
        "CSV",
        "DNS",
        "EOD",
        "ETA",
        "FAQ",
        "GDPR",
        "HTML",
        "HTTP",
        "HTTPS",
        "JSON",
        "KPI",
        "KPIS",
        "OKR",
        "OKRS",
        "PDF",
        "QA",
        "SBI",
        "SCIM",
        "SDK",
        "SLA",
        "SLO",
        "SQL",
        "SSO",
        "UI",
        "UX",
        "URL",
        "VP",
        "AWS",
        "GCP",
        "CI",
        "CD",
        "PR",
        "PRS",
        "HR",
        "IT",
        "ASAP",
        "FYI",
        "NASA",
        "UNICEF",
        "OAUTH",
        "SAML",
        "IPO",
        "ROI",
        "B2B",
        "SAAS",
        "NDA",
        "RFC",
        "RFCS",
        "KYC",
        "AML",
        "SOC",
        "ISO",
    ]
)
_WORDS = re.compile(r"\w+(?:['’-]\w+)*")


def _shouting(text: str) -> Iterator[Finding]:
    for match in _CAPS.finditer(text):
        words = [w for w in re.findall(r"[A-Z'’]+", match.group()) if len(w) > 1]
        if all(w.upper() in ACRONYMS for w in words):
            continue
        yield Finding(
            rule="shouting",
            start=match.start(),
            end=match.end(),
            message=f"“{match.group()}” is in capitals, which reads as shouting.",
            suggestion=RULES["shouting"].example,
        )


def _simple(rule: str, pattern: re.Pattern[str], text: str, what: str) -> Iterator[Finding]:
    for match in pattern.finditer(text):
        yield Finding(
            rule=rule,
            start=match.start(),
            end=match.end(),
            message=f"“{match.group()}” {what}",
            suggestion=RULES[rule].example,
        )


def _too_short(text: str) -> Iterator[Finding]:
    stripped = text.strip()
    if not stripped:
        return  # nothing written yet: no advice
    if len(_WORDS.findall(stripped)) < MIN_WORDS:
        start = text.index(stripped[0])
        yield Finding(
            rule="too_short",
            start=start,
            end=start + len(stripped),
            message=RULES["too_short"].explanation,
            suggestion=RULES["too_short"].example,
        )


def check(
    text: str, kind: str = "feedback", *, extra_words: tuple[tuple[str, str], ...] = ()
) -> list[Finding]:
    """Every finding of the text rules, in the order they appear in the text.

    `extra_words` are the company's own (word, better phrasing) pairs. Never raises on any
    str: empty, huge, any script, HTML (treated as text; nothing is rendered)."""
    if not text or not text.strip():
        return []
    parts = sbi(text)
    findings: list[Finding] = []
    for found in (
        _personality(text, word_list(extra_words)),
        _vague(text, parts),
        _simple("absolute", _ABSOLUTE, text, "is rarely literally true; name the occasions."),
        _simple("hedge", _HEDGE, text, "softens the point until it is easy to miss."),
        _simple("sarcasm", _SARCASM, text, "can read as sarcasm in writing."),
        _shouting(text),
        _too_short(text),
    ):
        for count, finding in enumerate(found, start=1):
            findings.append(finding)
            if count >= MAX_PER_RULE:
                break
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return findings
