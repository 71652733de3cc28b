"""What a cycle's reviews are used for, in one sentence built from what the cycle and the
program actually do — shown on every review form, in the API's description of a cycle and
on the cycle's set-up page, so all three always say the same.

The facts it reads:
- the cycle's `use_for` (HR's choice for this cycle);
- whether the cycle has ratings at all (the company may switch them off, templates may have
  no rating question; after launch, the frozen forms say);
- whether the cycle has a calibration step: a dated calibration phase, or calibration
  sessions that discuss its people (the calibration app marks each person it discusses,
  `Participant.calibration_state`). Without either no form claims calibration, whatever
  `use_for` says;
- which decisions the program says results feed (`Program.purposes`: pay, promotion).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tandem.program.models import Program, Purpose
from tandem.reviews import versions
from tandem.reviews.models import (
    CalibrationState,
    Cycle,
    CycleForm,
    Participant,
    Phase,
    PhaseKind,
    TemplateQuestion,
    UseFor,
)


@dataclass(frozen=True)
class Facts:
    use_for: str
    ratings: bool
    calibration_step: bool
    purposes: tuple[str, ...]


def facts(
    cycle: Cycle,
    *,
    relationships: Iterable[str] | None = None,
    program: Program | None = None,
    ratings: bool | None = None,
    phases: Iterable[Phase] | None = None,
) -> Facts:
    """The facts about `cycle` (limited to the forms of `relationships` when given: a
    review form speaks of its own questions). Callers that already hold the program, the
    cycle's phases or know whether the form has ratings pass them to save the reads."""
    program = program or Program.current()
    if ratings is None:
        ratings = has_ratings(cycle, relationships=relationships, program=program)
    # Only a cycle used for calibration asks whether it has the step (the sentence reads it
    # only then), so a development cycle's forms cost no query for it.
    return Facts(
        use_for=cycle.use_for,
        ratings=ratings,
        calibration_step=cycle.use_for in CALIBRATED_USES
        and has_calibration_step(cycle, phases=phases),
        purposes=tuple(program.purposes or ()),
    )


CALIBRATED_USES = (UseFor.CALIBRATION, UseFor.PAY_PROMOTION)


def has_calibration_step(cycle: Cycle, *, phases: Iterable[Phase] | None = None) -> bool:
    """A step where ratings are compared: HR dated a calibration phase, or calibration
    sessions discuss people of the launched cycle (whether open or locked)."""
    if phases is None:
        phases = getattr(cycle, "_prefetched_objects_cache", {}).get("phases")
    if phases is not None:
        dated = any(phase.kind == PhaseKind.CALIBRATION for phase in phases)
    else:
        dated = cycle.phases.filter(kind=PhaseKind.CALIBRATION).exists()
    if dated or not cycle.is_launched:
        return dated
    return (
        Participant.objects.filter(cycle=cycle)
        .exclude(calibration_state=CalibrationState.NONE)
        .exists()
    )


def version_has_ratings(content: dict[str, Any]) -> bool:
    """Whether a frozen form asks for any rating."""
    return any(question.get("scale") for question in versions.questions(content))


def has_ratings(
    cycle: Cycle, *, relationships: Iterable[str] | None = None, program: Program | None = None
) -> bool:
    """Whether the cycle's forms ask for ratings: after launch, any frozen form with a
    scale; before, the company's ratings switch and a rating question in a chosen
    template."""
    forms = CycleForm.objects.filter(cycle=cycle)
    if relationships is not None:
        forms = forms.filter(relationship__in=list(relationships))
    if cycle.is_launched:
        frozen = forms.filter(version__isnull=False).select_related("version")
        return any(
            version_has_ratings(form.version.content) for form in frozen if form.version is not None
        )
    program = program or Program.current()
    if not program.review_ratings_enabled:
        return False
    return TemplateQuestion.objects.filter(
        section__template_id__in=forms.values("template_id"), scale__isnull=False
    ).exists()


def _decisions(purposes: tuple[str, ...]) -> str:
    pay, promotion = Purpose.PAY in purposes, Purpose.PROMOTION in purposes
    if pay and not promotion:
        return "pay decisions"
    if promotion and not pay:
        return "promotion decisions"
    return "pay and promotion decisions"


def sentence(known: Facts) -> str:
    """ "Used for development only: not for pay or promotion decisions." or, as the facts
    allow, development, calibration and pay or promotion decisions — never a step the
    cycle does not have."""
    decisions = known.use_for == UseFor.PAY_PROMOTION
    calibration = known.use_for in CALIBRATED_USES and known.calibration_step and known.ratings
    if not decisions and not calibration:
        return "Used for development only: not for pay or promotion decisions."
    uses = ["development"]
    if calibration:
        uses.append("in calibration (managers and HR compare ratings across teams)")
    if decisions:
        uses.append(f"as one input in {_decisions(known.purposes)}")
    text = "Used for " + (", ".join(uses[:-1]) + " and " + uses[-1]) + "."
    if decisions and not known.ratings:
        text += " This cycle has no ratings: only what is written counts."
    return text


def used_for(cycle: Cycle, **known: Any) -> str:
    """The sentence for `cycle`; `known` as `facts` takes it (relationships, program,
    ratings, phases)."""
    return sentence(facts(cycle, **known))
