"""Who may see and do what with promotion windows and cases.

HR admins run promotion windows: they create them, choose the committee and close them.
A case is opened by a manager for someone below them (or by the person themself when the
program allows self-nomination), written and submitted by its author, commented on by the
reviewers — the person's managers above the author, HR admins and the window's committee —
and decided by the committee or HR. The person sees their case once it is decided (the
outcome and the reason), or all along when they wrote it themself. Nobody else sees a case:
not HR partners, not executives, not colleagues."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.growth.models import CaseStatus, PromotionCase, PromotionWindow
from tandem.program.models import Program


def on_committee(actor: Actor, window: PromotionWindow) -> bool:
    return window.committee.filter(pk=actor.person.pk).exists()


def _above(actor: Actor, case: PromotionCase) -> bool:
    return actor.manages(case.person)


def _committee_reads(actor: Actor, case: PromotionCase) -> bool:
    # A committee member never reviews their own case: they read it as its subject.
    return case.person_id != actor.person.pk and on_committee(actor, case.window)


def _reviews(actor: Actor, case: PromotionCase) -> bool:
    return (
        actor.is_hr_admin
        or case.author_id == actor.person.pk
        or _above(actor, case)
        or _committee_reads(actor, case)
    )


@rule("growth.promotions.manage")
def _manage(actor: Actor, obj: Any = None) -> bool:
    """Creating promotion windows, choosing their committee and closing them: HR admins."""
    return actor.is_hr_admin


@rule("growth.promotion_window.review")
def _window_review(actor: Actor, window: PromotionWindow) -> bool:
    """A promotion window's cases side by side (the committee view): HR admins and the
    window's committee."""
    return actor.is_hr_admin or on_committee(actor, window)


@rule("growth.promotion_case.open")
def _case_open(actor: Actor, person: Any) -> bool:
    """Opening a promotion case for someone: their managers (direct or above), or the person
    themself when the program allows self-nomination."""
    if person is None:
        return actor.is_manager or Program.current().promotion_self_nomination
    if person.pk == actor.person.pk:
        return bool(Program.current().promotion_self_nomination)
    return actor.manages(person)


@rule("growth.promotion_case.view")
def _case_view(actor: Actor, case: PromotionCase) -> bool:
    """A promotion case: its author, the person's managers, HR admins and the window's
    committee (with the evidence and the comments); the person once it is decided (the
    outcome and the reason)."""
    if _reviews(actor, case):
        return True
    return case.person_id == actor.person.pk and case.status == CaseStatus.DECIDED


@rule("growth.promotion_case.evidence")
def _case_evidence(actor: Actor, case: PromotionCase) -> bool:
    """A case's evidence packet and comments: its author, the person's managers, HR admins
    and the window's committee (each sees only the evidence they may read elsewhere)."""
    return _reviews(actor, case)


@rule("growth.promotion_case.write")
def _case_write(actor: Actor, case: PromotionCase) -> bool:
    """Writing, submitting and withdrawing a case: its author."""
    return case.author_id == actor.person.pk


@rule("growth.promotion_case.comment")
def _case_comment(actor: Actor, case: PromotionCase) -> bool:
    """Commenting on a case: the person's managers (the skip-level), HR admins, the window's
    committee, and the author answering them."""
    return _reviews(actor, case)


@rule("growth.promotion_case.decide")
def _case_decide(actor: Actor, case: PromotionCase) -> bool:
    """Deciding a case (promoted or not yet, with a reason): the window's committee (not on
    their own case) and HR admins."""
    return actor.is_hr_admin or _committee_reads(actor, case)


@scope_for(PromotionWindow)
def scope_windows(
    actor: Actor, queryset: QuerySet[PromotionWindow], **_: Any
) -> QuerySet[PromotionWindow]:
    """Every signed-in person sees the windows (names and dates: when cases may be opened)."""
    return queryset


@scope_for(PromotionCase)
def scope_cases(
    actor: Actor, queryset: QuerySet[PromotionCase], **_: Any
) -> QuerySet[PromotionCase]:
    """Every case for HR admins; the cases one wrote, those of people below one, those of
    the windows one sits on the committee of (but one's own), and one's own once decided."""
    if actor.is_hr_admin:
        return queryset
    me = actor.person.pk
    committees = PromotionWindow.committee.through.objects.filter(person_id=me).values(
        "promotionwindow_id"
    )
    visible = (
        Q(author_id=me) | Q(window_id__in=committees) | Q(person_id=me, status=CaseStatus.DECIDED)
    )
    own = actor.person.path
    if own:
        visible |= Q(person__path__startswith=own) & ~Q(person_id=me)
    return queryset.filter(visible)
