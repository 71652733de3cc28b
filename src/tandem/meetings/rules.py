"""Who may see and do what in 1:1s.

A 1:1 is between its two people. Its content (agenda, shared notes, action items) is
theirs alone: the manager chain above the manager does not read it, and neither does HR.
HR admins may see that a series exists and when its meetings happen (metadata), so they can
tell whether 1:1s take place at all. A private note is its author's alone, with no exception
(queries filter private notes by author; there is no rule that could grant more).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.meetings.models import Meeting, Series, SeriesStatus
from tandem.org.models import Person, PersonStatus


def _is_participant(actor: Actor, series: Series) -> bool:
    return actor.person.pk in (series.manager_id, series.report_id)


@rule("meetings.series.metadata")
def _series_metadata(actor: Actor, series: Series) -> bool:
    """That the series exists, who is in it, its cadence and meeting dates."""
    return _is_participant(actor, series) or actor.is_hr_admin


@rule("meetings.series.content")
def _series_content(actor: Actor, series: Series) -> bool:
    """Agenda, shared notes, action items: the two participants only."""
    return _is_participant(actor, series)


@rule("meetings.series.edit")
def _series_edit(actor: Actor, series: Series) -> bool:
    """Adding to the agenda, writing notes, action items, holding or moving a meeting."""
    return _is_participant(actor, series) and series.status == SeriesStatus.ACTIVE


@rule("meetings.series.create")
def _series_create(actor: Actor, report: Person) -> bool:
    """A manager starts a series with one of their current direct reports."""
    return report.manager_id == actor.person.pk and report.status != PersonStatus.LEFT


@rule("meetings.skip_level.request")
def _skip_level_request(actor: Actor, skip_manager: Person) -> bool:
    """A person asks their manager's manager for a skip-level series."""
    manager = actor.person.manager
    return (
        manager is not None
        and manager.manager_id is not None
        and manager.manager_id == skip_manager.pk
        and skip_manager.status != PersonStatus.LEFT
    )


@rule("meetings.series.answer")
def _series_answer(actor: Actor, series: Series) -> bool:
    """The manager's manager accepts or declines a skip-level request made to them."""
    return series.manager_id == actor.person.pk and series.status == SeriesStatus.REQUESTED


@scope_for(Series)
def scope_series(actor: Actor, queryset: QuerySet[Series], *, purpose: str = "metadata") -> Any:
    """Series the user takes part in; HR admins also see every series' metadata."""
    mine = Q(manager_id=actor.person.pk) | Q(report_id=actor.person.pk)
    if purpose == "metadata" and actor.is_hr_admin:
        return queryset
    return queryset.filter(mine)


@scope_for(Meeting)
def scope_meetings(actor: Actor, queryset: QuerySet[Meeting], *, purpose: str = "metadata") -> Any:
    """Meetings of the series the user takes part in; HR admins also see every meeting's
    metadata."""
    if purpose == "metadata" and actor.is_hr_admin:
        return queryset
    pk = actor.person.pk
    return queryset.filter(Q(series__manager_id=pk) | Q(series__report_id=pk))
