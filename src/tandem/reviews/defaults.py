"""A new cycle's defaults come from the program, and the cycle says where it departs.

When HR creates a review cycle, who takes part in it (self and manager reviews always,
peer and upward reviews as the program says), how anonymous peers are, what the results
are used for, how the overall score is made and how long each phase lasts are the
program's (`Program.review_*`, `purposes`, `review_ratings_enabled`). HR may change any of
them for one cycle; `departures` lists each change in plain words ("Peer reviews: on — the
program says off") for the cycle's page, so a cycle never quietly runs another process
than the one every employee reads on the program page.

A phase schedule is made from one start date: the phases of relationships that do not
take part are left out (no peer reviews: no nomination and no peer phase), and each phase
that stays lasts the program's `review_phase_days`, one after the other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from tandem.program.models import Program, Purpose, ReviewScore
from tandem.reviews.models import (
    PHASE_ORDER,
    Cycle,
    Phase,
    PhaseKind,
    Relationship,
    ScoreMethod,
    UseFor,
)

# The weights a "weighted" program score gives a new cycle (ReviewScore.WEIGHTED's label).
WEIGHTED = {
    "weight_goals": 40,
    "weight_competencies": 20,
    "weight_manager": 40,
    "weight_self": 0,
    "weight_peers": 0,
}
MANAGER_ONLY = {
    "weight_goals": 0,
    "weight_competencies": 0,
    "weight_manager": 100,
    "weight_self": 0,
    "weight_peers": 0,
}

# The phases a relationship is written in; a phase no taking-part relationship needs is
# skipped. Sharing and acknowledgement belong to every cycle.
PHASES_OF: dict[str, tuple[str, ...]] = {
    Relationship.SELF: (PhaseKind.SELF,),
    Relationship.PEER: (PhaseKind.NOMINATION, PhaseKind.PEER),
    Relationship.UPWARD: (PhaseKind.PEER,),
    Relationship.SKIP_LEVEL: (PhaseKind.PEER,),
    Relationship.MANAGER: (PhaseKind.MANAGER,),
}
ALWAYS = (PhaseKind.SHARING, PhaseKind.ACKNOWLEDGEMENT)


def use_for(program: Program) -> str:
    """What a cycle's results are used for, by the program: pay or promotion when the
    program names either and reviews are rated; calibration with ratings; else development."""
    if not program.review_ratings_enabled:
        return UseFor.DEVELOPMENT
    if {Purpose.PAY, Purpose.PROMOTION} & set(program.purposes or []):
        return UseFor.PAY_PROMOTION
    return UseFor.CALIBRATION


def settings(program: Program) -> dict[str, Any]:
    """The cycle settings the program decides, as `create_cycle` takes them."""
    weighted = program.review_ratings_enabled and program.review_score == ReviewScore.WEIGHTED
    return {
        "use_for": use_for(program),
        "peers_anonymous_to_reviewee": program.review_peer_names_hidden,
        "score_method": ScoreMethod.WEIGHTED if weighted else ScoreMethod.MANAGER_RATING,
        **(WEIGHTED if weighted else MANAGER_ONLY),
    }


def relationships(program: Program) -> list[str]:
    """The kinds of review a new cycle has, in the order pages show them."""
    taking_part = {Relationship.SELF, Relationship.MANAGER}
    if program.review_peers_enabled:
        taking_part.add(Relationship.PEER)
    if program.review_upward_enabled:
        taking_part.add(Relationship.UPWARD)
    return [r.value for r in Relationship if r in taking_part]


def with_calibration(use: str) -> bool:
    """A calibration phase belongs in the schedule when results are calibrated."""
    return use != UseFor.DEVELOPMENT


def required_phases(taking_part: Iterable[str]) -> list[str]:
    """The phases a cycle with these relationships must date, in order (calibration stays
    optional: sessions may be held without dates)."""
    needed = {kind for r in taking_part if r in PHASES_OF for kind in PHASES_OF[r]}
    needed.update(ALWAYS)
    return [kind for kind in PHASE_ORDER if kind in needed]


def schedule(
    start: date, *, days: int, taking_part: Iterable[str], calibration: bool
) -> dict[str, tuple[date, date] | None]:
    """Every phase's (opens, due) from one start date, `days` days each, one after the
    other; phases that are not needed are None."""
    kinds = set(required_phases(taking_part))
    if calibration:
        kinds.add(PhaseKind.CALIBRATION)
    dates: dict[str, tuple[date, date] | None] = {}
    opens = start
    for kind in PHASE_ORDER:
        if kind not in kinds:
            dates[kind] = None
            continue
        due = opens + timedelta(days=days - 1)
        dates[kind] = (opens, due)
        opens = due + timedelta(days=1)
    return dates


def program_schedule(start: date, program: Program) -> dict[str, tuple[date, date] | None]:
    """The program's default schedule from `start`."""
    return schedule(
        start,
        days=program.review_phase_days,
        taking_part=relationships(program),
        calibration=with_calibration(use_for(program)),
    )


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def departures(
    cycle: Cycle,
    program: Program,
    *,
    taking_part: Collection[str],
    phases: Iterable[Phase],
) -> list[str]:
    """Where the cycle departs from the program, one plain sentence each, in the order of
    the cycle's set-up page; empty when it follows the program."""
    said: list[str] = []
    wanted = set(relationships(program))
    for relationship in Relationship:
        if relationship == Relationship.SKIP_LEVEL and relationship not in taking_part:
            continue  # the program has no skip-level reviews; only a cycle that adds them departs
        has, should = relationship in taking_part, relationship in wanted
        if has != should:
            kind = relationship.label.removesuffix(" review")
            said.append(f"{kind} reviews: {_on_off(has)} — the program says {_on_off(should)}.")
    if Relationship.PEER in taking_part and (
        cycle.peers_anonymous_to_reviewee != program.review_peer_names_hidden
    ):
        said.append(
            "Peer names hidden from the person reviewed: "
            f"{_on_off(cycle.peers_anonymous_to_reviewee)} — the program says "
            f"{_on_off(program.review_peer_names_hidden)}."
        )
    expected = settings(program)
    if cycle.use_for != expected["use_for"]:
        said.append(
            f"Results used for: {UseFor(cycle.use_for).label.lower()} — the program says "
            f"{UseFor(expected['use_for']).label.lower()}."
        )
    if program.review_ratings_enabled:
        said.extend(_score_departure(cycle, expected))
    days = program.review_phase_days
    for phase in sorted(phases, key=lambda p: PHASE_ORDER.index(p.kind)):
        length = (phase.due_on - phase.opens_on).days + 1
        if length != days:
            said.append(
                f"{PhaseKind(phase.kind).label}: {length} day{'s' if length != 1 else ''} — "
                f"the program says {days} days."
            )
    return said


def _weights_words(weights: Mapping[str, int]) -> str:
    parts = [
        f"{name.removeprefix('weight_').replace('_', ' ')} {value}%"
        for name, value in weights.items()
        if value
    ]
    return ", ".join(parts) or "no weights"


def _score_departure(cycle: Cycle, expected: Mapping[str, Any]) -> list[str]:
    weights = {name: getattr(cycle, name) for name in WEIGHTED}
    wanted = {name: expected[name] for name in WEIGHTED}
    if cycle.score_method == expected["score_method"] and (
        cycle.score_method == ScoreMethod.MANAGER_RATING or weights == wanted
    ):
        return []

    def words(method: str, values: Mapping[str, int]) -> str:
        if method == ScoreMethod.MANAGER_RATING:
            return "the manager's rating only"
        return _weights_words(values)

    return [
        f"Overall score: {words(cycle.score_method, weights)} — the program says "
        f"{words(expected['score_method'], wanted)}."
    ]


def new_cycle_initial(today: date) -> dict[str, Any]:
    """What the new-cycle form shows before HR types anything: the half-year around
    today as the review period, named after it, and the first phase opening next Monday."""
    first_half = today.month <= 6
    start = date(today.year, 1 if first_half else 7, 1)
    end = date(today.year, 6, 30) if first_half else date(today.year, 12, 31)
    monday = today + timedelta(days=7 - today.weekday())
    return {
        "name": f"Reviews {'first' if first_half else 'second'} half {today.year}",
        "period_start": start,
        "period_end": end,
        "starts_on": monday,
    }
