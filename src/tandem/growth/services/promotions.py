"""Every write of promotions: windows (create, committee, close) and cases (open, write,
submit, comment, decide, withdraw).

Each runs in one transaction, checks its access rule first and writes an audit record. The
deadlines are the server's: no new case after the window's `cases_due_on`, no committee
decision after its `decisions_due_on` (HR may still decide), no decision once the window
is closed. A "promoted" decision moves the person's placement to the target
level from the effective date and writes the step into their level history, in the same
transaction as the decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.access.rules import actor_for, require
from tandem.audit.services import record
from tandem.core.validation import clean_text
from tandem.growth.models import (
    CaseComment,
    CaseStatus,
    FrameworkVersion,
    Level,
    LevelChangeSource,
    Outcome,
    Placement,
    PromotionCase,
    PromotionWindow,
)
from tandem.growth.services.placements import apply_level
from tandem.org.models import Person, PersonStatus

NAME_MAX = 150
TEXT_MAX = 20000
COMMENT_MAX = 5000
REASON_MAX = 5000
CLOSED = "This promotion window is closed: its cases no longer change."


def _today() -> date:
    return timezone.localdate()


def _committee(ids: Iterable[int]) -> list[Person]:
    wanted = sorted({int(pk) for pk in ids})
    people = list(
        Person.objects.filter(pk__in=wanted, is_active=True).exclude(status=PersonStatus.LEFT)
    )
    if len(people) != len(wanted):
        found = {p.pk for p in people}
        unknown = ", ".join(str(pk) for pk in wanted if pk not in found)
        raise ValidationError({"committee": f"Committee: nobody active has the id {unknown}."})
    return people


def _check_dates(opens_on: Any, cases_due_on: Any, decisions_due_on: Any) -> None:
    for field, value, label in (
        ("opens_on", opens_on, "The opening date"),
        ("cases_due_on", cases_due_on, "The date cases are due"),
        ("decisions_due_on", decisions_due_on, "The date decisions are due"),
    ):
        if not isinstance(value, date):
            raise ValidationError({field: f"{label} is required (a date)."})
    if cases_due_on < opens_on:
        raise ValidationError(
            {"cases_due_on": "Cases cannot be due before the window opens; pick a later date."}
        )
    if decisions_due_on < cases_due_on:
        raise ValidationError(
            {
                "decisions_due_on": "Decisions cannot be due before the cases are; pick a date "
                "on or after the date cases are due."
            }
        )


def create_window(
    user: Any,
    *,
    name: str,
    opens_on: date,
    cases_due_on: date,
    decisions_due_on: date,
    committee_ids: Iterable[int] = (),
) -> PromotionWindow:
    """A new promotion window with its committee (HR admins)."""
    require(user, "growth.promotions.manage")
    name = clean_text(name, field="name", label="The name", limit=NAME_MAX)
    _check_dates(opens_on, cases_due_on, decisions_due_on)
    committee = _committee(committee_ids)
    with transaction.atomic():
        window = PromotionWindow.objects.create(
            name=name,
            opens_on=opens_on,
            cases_due_on=cases_due_on,
            decisions_due_on=decisions_due_on,
            created_by=user if getattr(user, "pk", None) else None,
        )
        window.committee.set(committee)
        record(
            actor=user,
            kind="growth.promotion_window.create",
            obj=window,
            changes={
                "name": name,
                "opens_on": str(opens_on),
                "cases_due_on": str(cases_due_on),
                "decisions_due_on": str(decisions_due_on),
                "committee": [p.pk for p in committee],
            },
        )
    return window


def set_committee(user: Any, window: PromotionWindow, committee_ids: Iterable[int]) -> None:
    """Replace the window's committee (HR admins; not once closed)."""
    require(user, "growth.promotions.manage", window)
    if window.closed_at is not None:
        raise ValidationError({"committee": CLOSED})
    committee = _committee(committee_ids)
    with transaction.atomic():
        window.committee.set(committee)
        record(
            actor=user,
            kind="growth.promotion_window.committee",
            obj=window,
            changes={"committee": [p.pk for p in committee]},
        )


def close_window(user: Any, window: PromotionWindow) -> PromotionWindow:
    """Close the window: no case in it is opened, written or decided any more."""
    require(user, "growth.promotions.manage", window)
    with transaction.atomic():
        locked = PromotionWindow.objects.select_for_update().get(pk=window.pk)
        if locked.closed_at is not None:
            raise ValidationError({"window": "This promotion window is already closed."})
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        record(actor=user, kind="growth.promotion_window.close", obj=locked)
    return locked


# --- Cases ------------------------------------------------------------------------------------


def _placement(person: Person) -> Placement:
    found = Placement.objects.select_related("level", "track").filter(person=person).first()
    if found is None:
        raise ValidationError(
            {
                "person": f"{person} has no place on a career track yet, so there is no level "
                "to promote from; ask HR to place them first."
            }
        )
    return found


def _check_target(placement: Placement, target: Level | None) -> Level:
    if target is None:
        raise ValidationError({"target_level": "Choose the level to promote to."})
    if target.track_id != placement.track_id:
        raise ValidationError(
            {
                "target_level": f"{target.code} is not a level of {placement.track.name}, "
                "the person's track."
            }
        )
    if target.position <= placement.level.position:
        raise ValidationError(
            {
                "target_level": f"{target.code} is not above the person's current level "
                f"({placement.level.code}); choose a higher level."
            }
        )
    return target


def _open_for_cases(window: PromotionWindow, today: date) -> None:
    if window.closed_at is not None:
        raise ValidationError({"window": CLOSED})
    if today < window.opens_on:
        raise ValidationError(
            {"window": f"This window opens for cases on {window.opens_on:%d %b %Y}."}
        )
    if today > window.cases_due_on:
        raise ValidationError(
            {
                "window": f"Cases for this window were due on {window.cases_due_on:%d %b %Y}; "
                "no new case can be opened."
            }
        )


def open_case(
    user: Any,
    *,
    window: PromotionWindow,
    person: Person,
    target_level: Level | None,
    text: str = "",
    today: date | None = None,
) -> PromotionCase:
    """A new draft case for `person` to `target_level` in `window`, by their manager (or
    themself when self-nomination is on)."""
    require(user, "growth.promotion_case.open", person)
    today = today or _today()
    _open_for_cases(window, today)
    text = clean_text(text, field="text", label="The case", limit=TEXT_MAX, required=False)
    placement = _placement(person)
    target = _check_target(placement, target_level)
    version = FrameworkVersion.objects.filter(track_id=placement.track_id).first()
    try:
        with transaction.atomic():
            case = PromotionCase.objects.create(
                window=window,
                person=person,
                author=user,
                from_level=placement.level,
                target_level=target,
                framework_version=version,
                text=text,
            )
            record(
                actor=user,
                kind="growth.promotion_case.open",
                obj=case,
                subject=person,
                changes={"window": window.pk, "target_level": target.code},
            )
    except IntegrityError:
        raise ValidationError(
            {"person": f"{person} already has a case in “{window.name}”."}
        ) from None
    return case


def _locked_case(case: PromotionCase) -> PromotionCase:
    return (
        PromotionCase.objects.select_for_update(of=("self",))
        .select_related("window", "person", "target_level", "from_level")
        .get(pk=case.pk)
    )


def _still_open(case: PromotionCase) -> None:
    if case.window.closed_at is not None:
        raise ValidationError({"window": CLOSED})
    if case.status in (CaseStatus.DECIDED, CaseStatus.WITHDRAWN):
        raise ValidationError(
            {"status": f"This case is {case.get_status_display().lower()}: it no longer changes."}
        )


def write_case(user: Any, case: PromotionCase, *, text: str) -> PromotionCase:
    """The author saves the case text (draft or in review)."""
    require(user, "growth.promotion_case.write", case)
    text = clean_text(text, field="text", label="The case", limit=TEXT_MAX, required=False)
    with transaction.atomic():
        locked = _locked_case(case)
        _still_open(locked)
        locked.text = text
        locked.save(update_fields=["text", "updated_at"])
        record(actor=user, kind="growth.promotion_case.write", obj=locked, subject=locked.person)
    return locked


def submit_case(
    user: Any, case: PromotionCase, *, text: str | None = None, today: date | None = None
) -> PromotionCase:
    """The author submits the case for review, by the date cases are due."""
    require(user, "growth.promotion_case.write", case)
    today = today or _today()
    if text is not None:
        text = clean_text(text, field="text", label="The case", limit=TEXT_MAX, required=False)
    with transaction.atomic():
        locked = _locked_case(case)
        _still_open(locked)
        if locked.status != CaseStatus.DRAFT:
            raise ValidationError({"status": "This case has already been submitted."})
        if today > locked.window.cases_due_on:
            raise ValidationError(
                {
                    "window": "Cases for this window were due on "
                    f"{locked.window.cases_due_on:%d %b %Y}; it can no longer be submitted."
                }
            )
        if text is not None:
            locked.text = text
        if not locked.text.strip():
            raise ValidationError({"text": "Write the case before submitting it."})
        locked.status = CaseStatus.IN_REVIEW
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["text", "status", "submitted_at", "updated_at"])
        record(actor=user, kind="growth.promotion_case.submit", obj=locked, subject=locked.person)
    return locked


def withdraw_case(user: Any, case: PromotionCase) -> PromotionCase:
    """The author withdraws a case that is not decided yet."""
    require(user, "growth.promotion_case.write", case)
    with transaction.atomic():
        locked = _locked_case(case)
        _still_open(locked)
        locked.status = CaseStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        record(actor=user, kind="growth.promotion_case.withdraw", obj=locked, subject=locked.person)
    return locked


def comment(user: Any, case: PromotionCase, *, text: str) -> CaseComment:
    """A reviewer's comment on a case in review."""
    require(user, "growth.promotion_case.comment", case)
    text = clean_text(text, field="text", label="The comment", limit=COMMENT_MAX)
    with transaction.atomic():
        locked = _locked_case(case)
        _still_open(locked)
        found = CaseComment.objects.create(case=locked, author=user, text=text)
        record(actor=user, kind="growth.promotion_case.comment", obj=locked, subject=locked.person)
    return found


def _check_effective(case: PromotionCase, effective_on: Any) -> date:
    if not isinstance(effective_on, date):
        raise ValidationError(
            {"effective_on": "Give the date the promotion takes effect (a date)."}
        )
    start = case.person.start_date
    if start is not None and effective_on < start:
        raise ValidationError(
            {
                "effective_on": f"The effective date is before {case.person} started "
                f"({start:%d %b %Y})."
            }
        )
    if effective_on < case.window.opens_on:
        raise ValidationError(
            {
                "effective_on": "The effective date is before the window opened "
                f"({case.window.opens_on:%d %b %Y})."
            }
        )
    return effective_on


def _check_decision_deadline(user: Any, window: PromotionWindow, today: date) -> None:
    """The committee decides by the window's `decisions_due_on`; after it, a late case is
    HR's to decide (or to close the window on), so no member decides alone past the date
    everyone was told."""
    actor = actor_for(user)
    if today > window.decisions_due_on and not (actor is not None and actor.is_hr_admin):
        raise ValidationError(
            {
                "outcome": f"Decisions for this window were due on "
                f"{window.decisions_due_on:%d %b %Y}; a case still open is now decided by HR."
            }
        )


def decide(
    user: Any,
    case: PromotionCase,
    *,
    outcome: str,
    reason: str,
    effective_on: date | None = None,
    development_actions: str = "",
    today: date | None = None,
) -> PromotionCase:
    """The committee (or HR) decides a case in review: promoted (the person's placement moves
    to the target level from `effective_on`, with a step in their level history) or not yet
    (with the development actions that would make the case)."""
    require(user, "growth.promotion_case.decide", case)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome: promoted or not yet."})
    reason = clean_text(reason, field="reason", label="The reason", limit=REASON_MAX)
    development_actions = clean_text(
        development_actions,
        field="development_actions",
        label="The development actions",
        limit=REASON_MAX,
        required=outcome == Outcome.NOT_YET,
    )
    with transaction.atomic():
        locked = _locked_case(case)
        _still_open(locked)
        if locked.status != CaseStatus.IN_REVIEW:
            raise ValidationError(
                {"status": "Only a submitted case is decided; this one is still a draft."}
            )
        _check_decision_deadline(user, locked.window, today or _today())
        locked.outcome = outcome
        locked.decision_reason = reason
        locked.development_actions = development_actions if outcome == Outcome.NOT_YET else ""
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.status = CaseStatus.DECIDED
        changes: dict[str, Any] = {"outcome": outcome}
        if outcome == Outcome.PROMOTED:
            effective = _check_effective(locked, effective_on)
            locked.effective_on = effective
            changes.update(_promote(user, locked, effective, reason))
        locked.save()
        record(
            actor=user,
            kind="growth.promotion_case.decide",
            obj=locked,
            subject=locked.person,
            changes=changes,
        )
    return locked


def _promote(user: Any, case: PromotionCase, effective: date, reason: str) -> dict[str, Any]:
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("level")
        .filter(person_id=case.person_id)
        .first()
    )
    if placement is None:
        raise ValidationError({"person": f"{case.person} no longer has a place on a track."})
    _check_target(placement, case.target_level)
    from_level = placement.level
    apply_level(
        person=case.person,
        level=case.target_level,
        effective_on=effective,
        source=LevelChangeSource.PROMOTION,
        by=user,
        reason=reason,
        promotion_case=case,
    )
    return {
        "from_level": from_level.code,
        "to_level": case.target_level.code,
        "effective_on": str(effective),
    }
