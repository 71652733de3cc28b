"""Who may see and do what with career frameworks and placements.

Everyone signed in reads every framework: what the next level looks like is no secret, in
one's own track or another. HR admins edit frameworks, import and export them, map the
people import's level labels onto levels and place people. Where someone stands (their
track and level) is seen by whoever may see the person, like their job title."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.growth.models import Competency, Level, Placement, Track
from tandem.org.models import Person
from tandem.org.rules import scope_people


@rule("growth.framework.view")
def _framework_view(actor: Actor, obj: Any = None) -> bool:
    """Reading career frameworks (tracks, levels, competencies, expectations): everyone
    signed in."""
    return True


@rule("growth.framework.manage")
def _framework_manage(actor: Actor, obj: Any = None) -> bool:
    """Editing, importing and exporting career frameworks, and mapping level labels onto
    them: HR admins."""
    return actor.is_hr_admin


@rule("growth.placement.manage")
def _placement_manage(actor: Actor, obj: Any = None) -> bool:
    """Placing a person on a track and level by hand: HR admins."""
    return actor.is_hr_admin


@scope_for(Track)
def scope_tracks(actor: Actor, queryset: QuerySet[Track], **_: Any) -> QuerySet[Track]:
    """Every track in use for everyone; archived ones for HR admins too."""
    return queryset if actor.is_hr_admin else queryset.filter(archived_at=None)


@scope_for(Level)
def scope_levels(actor: Actor, queryset: QuerySet[Level], **_: Any) -> QuerySet[Level]:
    """The levels of the tracks one sees."""
    return queryset if actor.is_hr_admin else queryset.filter(track__archived_at=None)


@scope_for(Competency)
def scope_competencies(
    actor: Actor, queryset: QuerySet[Competency], **_: Any
) -> QuerySet[Competency]:
    """The competencies of the tracks one sees."""
    return queryset if actor.is_hr_admin else queryset.filter(track__archived_at=None)


@scope_for(Placement)
def scope_placements(actor: Actor, queryset: QuerySet[Placement], **_: Any) -> QuerySet[Placement]:
    """The placements of the people one may see."""
    if actor.is_hr_admin:
        return queryset
    return queryset.filter(person__in=scope_people(actor, Person.objects.all()))
