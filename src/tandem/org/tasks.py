"""Background work for the organisation (django-tasks), queued after commit and given ids:
bulk invitations, split into chunks so 100,000 people never hold up a page."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from tandem.access.rules import SYSTEM
from tandem.org.models import Person
from tandem.org.services import invitations


def _actor(by_id: int | None) -> Any:
    """Who asked: a person (still active), or the system when nobody did."""
    if by_id is None:
        return SYSTEM
    return Person.objects.filter(pk=by_id, is_active=True).first()


@task()
def queue_invitations(by_id: int | None, filters: dict[str, Any], state: str) -> int:
    """Split a bulk invitation (`invitations.invite_people`) into chunk tasks."""
    by = _actor(by_id)
    if by is None:
        return 0
    return invitations.queue_invitation_chunks(by=by, filters=filters, state=state)


@task()
def send_invitations(by_id: int | None, person_ids: list[int], again: bool) -> int:
    """Invite one chunk of people; returns how many were invited (people invited or signed
    in since the chunk was made are skipped)."""
    by = _actor(by_id)
    if by is None:
        return 0
    return len(invitations.send_invitations(person_ids=person_ids, by=by, again=again))
