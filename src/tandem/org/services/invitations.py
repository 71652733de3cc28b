"""Invitations: how someone without a password gets into Tandem.

People created by an HRIS import (or by HR on the people pages) have no password. An
invitation is an e-mail that says who invites them, what Tandem is for at this company (the
program's purpose) and gives them a link to choose a password and sign in
(`access.services.set_password_link`: it works once, for TANDEM_INVITATION_DAYS). It goes:

- from HR, to one person (their record, or the people list), or to everyone a filter of
  the people list picks (the import result's "Invite the N new people" is the filter "not
  invited yet"): once per person unless HR sends it again. The bulk kind is queued and
  sent in chunks by background tasks (org.tasks), so 100,000 people never hold up a page;
- from the command line (`tandem invite`);
- to someone without a password who asks "Forgot your password?" (a reset link would
  refuse them; the page answers the same either way);
- with every e-mail Tandem sends someone who has no password yet (a notification, the
  weekly digest): the e-mail says what it is about and adds the link, so it is never a
  link to a page they cannot enter (`sign_in_paragraph`).

Leavers are never invited. Each invitation is recorded on the person (access.models.
Invitation, which the HR people list shows) and in the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tandem.access.models import Invitation, InvitationVia
from tandem.access.rules import SYSTEM, require, scope
from tandem.access.services import set_password_link
from tandem.audit.services import record, record_each
from tandem.core.queue import enqueue_on_commit
from tandem.org import queries
from tandem.org.models import Company, Person, PersonStatus
from tandem.program.models import PURPOSE_PLAIN_WORDS, Program, Purpose

CHUNK = 500  # people per background task of a bulk invitation
PURPOSE_MAX = 1_000  # characters of the program's purpose statement quoted in an e-mail
# The HR people list's filters a bulk invitation accepts (org.queries.people_queryset's).
FILTERS = ("q", "department_id", "manager_id", "status")
EMAIL_TASK = "tandem.core.tasks.send_email"


# --- What the e-mails say -------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """What every invitation says about the company, read once per batch."""

    company: str
    purpose: str
    site: str
    days: int

    @property
    def lifetime(self) -> str:
        return f"{self.days} day{'s' if self.days != 1 else ''}"


def letterhead() -> Letterhead:
    program = Program.current()
    purpose = program.purpose_statement.strip()[:PURPOSE_MAX]
    if not purpose:
        used_for = [
            PURPOSE_PLAIN_WORDS[Purpose(p)] for p in program.purposes if p in Purpose.values
        ]
        purpose = (
            "What you write and receive in it is used " + "; ".join(used_for) + "."
            if used_for
            else ""
        )
    return Letterhead(
        company=Company.current().name,
        purpose=purpose,
        site=settings.SITE_URL.rstrip("/"),
        days=settings.INVITATION_TIMEOUT // 86400,
    )


def _first_name(person: Person) -> str:
    return person.preferred_name or person.first_name or person.display_name


def _about(head: Letterhead) -> list[str]:
    lines = [
        f"Tandem is where {head.company} keeps its goals, feedback, 1:1s and performance reviews."
    ]
    if head.purpose:
        lines += ["", f"Why {head.company} uses it: {head.purpose}"]
    return lines


def _inviter(by: Any) -> str:
    if not getattr(by, "pk", None):
        return ""
    return f"{by.display_name}{f' ({by.title})' if by.title else ''}"


def invitation_message(person: Person, *, by: Any, head: Letterhead) -> tuple[str, str]:
    """The invitation e-mail (subject, body): who invites them, what Tandem is for here,
    their sign-in name and the link. No private data: the e-mail may be read anywhere."""
    inviter = _inviter(by)
    if inviter:
        subject = f"{by.display_name} invites you to Tandem at {head.company}"
        opening = f"{inviter} invites you to Tandem at {head.company}."
    else:
        subject = f"Your invitation to Tandem at {head.company}"
        opening = f"{head.company} invites you to Tandem."
    lines = [
        f"Hello {_first_name(person)},",
        "",
        opening,
        "",
        *_about(head),
        "",
        f"Your sign-in name is your work e-mail, {person.email}. Choose your password at "
        f"this link; it works once, for the next {head.lifetime}, and signs you in:",
        "",
        set_password_link(person),
        "",
        f"Later, sign in at {head.site}{reverse('login')}. If the link has expired, ask for a "
        f"new one at {head.site}{reverse('password_reset')} with the same address, or ask "
        "your HR team.",
        "",
        "Tandem",
    ]
    return subject, "\n".join(lines)


def _reset_message(person: Person, *, head: Letterhead) -> tuple[str, str]:
    lines = [
        f"Hello {_first_name(person)},",
        "",
        f"Someone (hopefully you) asked for a way to sign in to Tandem at {head.company} "
        f"with this address ({person.email}). You have not chosen a password yet, so here is "
        f"your invitation: choose one at this link; it works once, for the next "
        f"{head.lifetime}, and signs you in:",
        "",
        set_password_link(person),
        "",
        *_about(head),
        "",
        "If you did not ask for it, ignore this e-mail: nothing changes.",
        "",
        "Tandem",
    ]
    return f"Choose your password for Tandem at {head.company}", "\n".join(lines)


# --- Recording ----------------------------------------------------------------------------------


def _can_be_invited(person: Person) -> bool:
    return (
        person.is_active and person.status != PersonStatus.LEFT and not person.has_usable_password()
    )


def _record(people: Sequence[Person], *, by: Any, via: str, note: str = "") -> None:
    """Note on each person that a link went out now (one row each, kept current) and audit
    it. The caller holds the people's rows locked, so two senders never race on a row."""
    if not people:
        return
    now = timezone.now()
    sender = by if getattr(by, "pk", None) else None
    existing = {
        invitation.person_id: invitation
        for invitation in Invitation.objects.filter(person_id__in=[p.pk for p in people])
    }
    fresh: list[Invitation] = []
    again: list[Invitation] = []
    for person in people:
        row = existing.get(person.pk)
        if row is None:
            fresh.append(
                Invitation(person=person, first_sent_at=now, sent_at=now, sent_by=sender, via=via)
            )
        else:
            row.sent_at, row.sent_by, row.via, row.times = now, sender, via, row.times + 1
            again.append(row)
    Invitation.objects.bulk_create(fresh, batch_size=1000)
    Invitation.objects.bulk_update(again, ["sent_at", "sent_by", "via", "times"], batch_size=500)
    record_each(
        actor=by,
        kind="person.invite",
        objs=people,
        changes={"via": InvitationVia(via).label},
        note=note,
    )


def _locked(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


# --- HR and the command line: one person -------------------------------------------------------


def _check_invitable(person: Person) -> None:
    if person.status == PersonStatus.LEFT or not person.is_active:
        raise ValidationError(
            {"person": f"{person.display_name} has left the company; leavers are never invited."}
        )
    if person.has_usable_password():
        raise ValidationError(
            {
                "person": f"{person.display_name} already has a password and can sign in. If "
                "they forgot it, “Forgot your password?” on the sign-in page e-mails them a "
                "reset link."
            }
        )


def invite_person(
    *, person: Person, by: Any, again: bool = False, via: str = InvitationVia.HR
) -> Invitation:
    """E-mail `person` an invitation. Once per person: sending another (the first was lost,
    or its link expired) needs `again`. Refused for leavers and for people who have a
    password already, with a message that says why."""
    require(by, "person.invite", person)
    with transaction.atomic():
        person = _locked(person)
        _check_invitable(person)
        previous = Invitation.objects.filter(person=person).first()
        if previous is not None and not again:
            when = date_format(timezone.localtime(previous.sent_at), "j F Y")
            raise ValidationError(
                {
                    "person": f"{person.display_name} was already invited on {when}. Send the "
                    "invitation again if the e-mail got lost or its link expired."
                }
            )
        _record([person], by=by, via=via)
        subject, body = invitation_message(person, by=by, head=letterhead())
        enqueue_on_commit(EMAIL_TASK, subject, body, [person.email])
        return Invitation.objects.get(person=person)


# --- HR: everyone a filter picks, in the background ---------------------------------------------


def clean_filters(filters: Mapping[str, Any] | None) -> dict[str, Any]:
    """The people-list filters of a bulk invitation, as plain values a task can carry."""
    unknown = set(filters or {}) - set(FILTERS)
    if unknown:
        raise ValueError(f"Unknown people filters {sorted(unknown)}; use {', '.join(FILTERS)}.")
    return {key: value for key, value in (filters or {}).items() if value not in (None, "")}


def people_to_invite(
    by: Any, filters: Mapping[str, Any] | None = None, *, state: str = queries.NOT_INVITED
) -> QuerySet[Person]:
    """Who a bulk invitation reaches: the people HR's filters pick among those HR manages,
    who have no password and are still here, and either were never invited (`state`
    NOT_INVITED) or were invited and have not come in yet (INVITED: "send again")."""
    if state not in (queries.NOT_INVITED, queries.INVITED):
        raise ValueError(f"Invite people who are {queries.NOT_INVITED} or {queries.INVITED}.")
    people = queries.people_queryset(by, include_subdepartments=True, **clean_filters(filters))
    people = scope(by, people, purpose="manage")
    return queries.with_sign_in(people, state)


def invite_people(
    *, by: Any, filters: Mapping[str, Any] | None = None, state: str = queries.NOT_INVITED
) -> int:
    """Queue invitations for everyone `people_to_invite` picks; returns how many. The page
    answers at once: a task splits them into chunks of CHUNK people, each sent by a task of
    its own (`send_invitations`), which skips anyone invited or signed in meanwhile."""
    require(by, "hr.access")
    filters = clean_filters(filters)
    count = people_to_invite(by, filters, state=state).count()
    if count:
        with transaction.atomic():
            record(
                actor=by,
                kind="people.invite",
                object_type="org.person",
                object_label=f"{count} {'person' if count == 1 else 'people'}",
                changes={"filters": filters, "who": state},
            )
            enqueue_on_commit(
                "tandem.org.tasks.queue_invitations", getattr(by, "pk", None), filters, state
            )
    return count


def queue_invitation_chunks(
    *, by: Any, filters: Mapping[str, Any] | None = None, state: str = queries.NOT_INVITED
) -> int:
    """The background half of `invite_people`: one `send_invitations` task per CHUNK people.
    Returns how many tasks were queued."""
    ids = list(
        people_to_invite(by, filters, state=state).order_by("pk").values_list("pk", flat=True)
    )
    by_id = getattr(by, "pk", None)
    again = state == queries.INVITED
    for start in range(0, len(ids), CHUNK):
        enqueue_on_commit(
            "tandem.org.tasks.send_invitations", by_id, ids[start : start + CHUNK], again
        )
    return (len(ids) + CHUNK - 1) // CHUNK


def send_invitations(
    *,
    person_ids: Sequence[int],
    by: Any,
    again: bool = False,
    via: str = InvitationVia.HR,
) -> list[Person]:
    """Invite these people now, in one transaction (a chunk of a bulk invitation, or the
    command line's): those `by` manages who have no password and are still here; without
    `again`, only those never invited. Returns who was invited."""
    if by is not SYSTEM:
        require(by, "hr.access")
    head = letterhead()
    with transaction.atomic():
        people = list(
            scope(by, Person.objects.filter(pk__in=list(person_ids)), purpose="manage")
            .filter(queries.invitable())
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        if not again:
            # Read after the rows are locked, so a concurrent chunk's invitations are seen.
            invited = set(
                Invitation.objects.filter(person_id__in=[p.pk for p in people]).values_list(
                    "person_id", flat=True
                )
            )
            people = [person for person in people if person.pk not in invited]
        _record(people, by=by, via=via)
        for person in people:
            subject, body = invitation_message(person, by=by, head=head)
            enqueue_on_commit(EMAIL_TASK, subject, body, [person.email])
    return people


# --- People who ask, and e-mails to people who cannot sign in yet -------------------------------


def invite_on_reset(person: Person) -> None:
    """ "Forgot your password?" for someone who has no password yet: an invitation instead of
    a reset link (registered with access from OrgConfig.ready; the reset page's throttle
    applies before this runs)."""
    with transaction.atomic():
        person = _locked(person)
        if not _can_be_invited(person):
            return
        _record(
            [person],
            by=None,
            via=InvitationVia.SELF,
            note="Asked for on the password reset page",
        )
        subject, body = _reset_message(person, head=letterhead())
        enqueue_on_commit(EMAIL_TASK, subject, body, [person.email])


def sign_in_paragraph(*, person: Person, next_path: str = "", about: str = "") -> str:
    """For an e-mail to `person` (a notification, the digest): nothing when they can sign
    in; when they have no password yet, the paragraph that lets them in (the link lands on
    `next_path` once they chose a password), recorded as an invitation.

    Adding the link, rather than holding the e-mail back until they accept an invitation,
    keeps what the e-mail is about (a review due on Friday) arriving on time, and each
    e-mail stays something they can act on by itself."""
    if not _can_be_invited(person):
        return ""
    with transaction.atomic():
        person = _locked(person)
        if not _can_be_invited(person):
            return ""
        _record(
            [person],
            by=None,
            via=InvitationVia.NOTIFICATION,
            note=f"With the e-mail “{about}”" if about else "",
        )
    head = letterhead()
    lines = [
        f"You have not signed in to Tandem yet. {' '.join(line for line in _about(head) if line)}",
        f"Your sign-in name is your work e-mail, {person.email}. Choose your password at this "
        f"link (it works once, for the next {head.lifetime}); it signs you in and takes you "
        "to the page above:",
        set_password_link(person, next_path=next_path),
    ]
    return "\n\n".join(lines)
