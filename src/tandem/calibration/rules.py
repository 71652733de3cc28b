"""Who may see and do what in calibration.

HR admins run calibration: they create sessions, change who is discussed, set the
guideline, adjust and lock. A session's facilitators see the whole session, adjust its
ratings (with a reason) and lock it. The managers who take part see only the rows of their
own reports (people whose manager or reporting path at launch is under them) and the
session's distribution; they argue their case in the meeting, the facilitators and HR
decide, as mature calibration practice has it. Nobody else sees a session: not HR
partners, not executives, not the people discussed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.calibration.models import Entry, Session


def _facilitates(actor: Actor, session: Session) -> bool:
    return session.facilitators.filter(pk=actor.person.pk).exists()


def _takes_part(actor: Actor, session: Session) -> bool:
    return session.managers.filter(pk=actor.person.pk).exists()


def reports_q(actor: Actor, prefix: str = "participant__") -> Q:
    """The participants under the actor: their manager at launch, or their reporting path
    at launch below the actor's."""
    q = Q(**{f"{prefix}manager_id": actor.person.pk})
    own = actor.person.path
    if own:
        q |= Q(**{f"{prefix}path__startswith": own}) & ~Q(**{f"{prefix}person_id": actor.person.pk})
    return q


@rule("calibration.manage")
def _manage(actor: Actor, obj: Any = None) -> bool:
    """Creating calibration sessions, choosing who is discussed and the guideline: HR
    admins."""
    return actor.is_hr_admin


@rule("calibration.session.view")
def _session_view(actor: Actor, session: Session) -> bool:
    """A calibration session: HR admins, its facilitators, and the managers who take part
    (who see only their own reports' rows)."""
    return actor.is_hr_admin or _facilitates(actor, session) or _takes_part(actor, session)


@rule("calibration.session.decide")
def _session_decide(actor: Actor, session: Session) -> bool:
    """Adjusting a session's ratings and potential (always with a reason), reading every
    adjustment's history and locking the session: HR admins and its facilitators."""
    return actor.is_hr_admin or _facilitates(actor, session)


@rule("calibration.entry.adjust")
def _entry_adjust(actor: Actor, entry: Entry) -> bool:
    """Moving one person's rating or potential in a session: HR admins and the session's
    facilitators."""
    return actor.is_hr_admin or _facilitates(actor, entry.session)


@scope_for(Session)
def scope_sessions(actor: Actor, queryset: QuerySet[Session], **_: Any) -> QuerySet[Session]:
    """Every session for HR admins; the sessions one facilitates or takes part in."""
    if actor.is_hr_admin:
        return queryset
    me = actor.person.pk
    return queryset.filter(
        Q(pk__in=Session.facilitators.through.objects.filter(person_id=me).values("session_id"))
        | Q(pk__in=Session.managers.through.objects.filter(person_id=me).values("session_id"))
    )


@scope_for(Entry)
def scope_entries(actor: Actor, queryset: QuerySet[Entry], **_: Any) -> QuerySet[Entry]:
    """Every row for HR admins; every row of a session one facilitates; in a session one
    takes part in as a manager, the rows of one's own reports only."""
    if actor.is_hr_admin:
        return queryset
    me = actor.person.pk
    facilitated = Session.facilitators.through.objects.filter(person_id=me).values("session_id")
    joined = Session.managers.through.objects.filter(person_id=me).values("session_id")
    return queryset.filter(
        Q(session_id__in=facilitated) | (Q(session_id__in=joined) & reports_q(actor))
    )
