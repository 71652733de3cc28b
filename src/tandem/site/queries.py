"""What the home page shows, by role."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from tandem.access.rules import actor_for, scope
from tandem.notifications.inbox import inbox_for
from tandem.org.models import Company, Department, Person, PersonStatus


def home_context(user: Any) -> dict[str, Any]:
    actor = actor_for(user)
    assert actor is not None
    person = actor.person
    context: dict[str, Any] = {
        "company": Company.current(),
        "manager": Person.objects.filter(pk=person.manager_id).first()
        if person.manager_id
        else None,
        # Every inbox provider runs a fixed number of queries (notifications/inbox.py).
        "things_waiting": inbox_for(person),
    }
    if actor.is_manager:
        reports = scope(user, Person.objects.filter(manager=person)).select_related("department")
        context["direct_reports"] = list(reports[:50])
        context["team_size"] = (
            Person.objects.filter(path__startswith=person.path)
            .exclude(pk=person.pk)
            .exclude(status=PersonStatus.LEFT)
            .count()
        )
    if actor.is_executive or actor.is_hr_admin:
        context["headcount"] = Person.objects.aggregate(
            active=Count("pk", filter=Q(status=PersonStatus.ACTIVE)),
            on_leave=Count("pk", filter=Q(status=PersonStatus.ON_LEAVE)),
            left=Count("pk", filter=Q(status=PersonStatus.LEFT)),
        )
        # Everyone in the department or any department below it, in one query: the
        # materialized path makes "below" a prefix match.
        in_subtree = (
            Person.objects.filter(department__path__startswith=OuterRef("path"))
            .exclude(status=PersonStatus.LEFT)
            .order_by()
            .values(unit=Value(1))
            .annotate(total=Count("pk"))
            .values("total")
        )
        context["top_departments"] = list(
            Department.objects.filter(parent__isnull=True)
            .annotate(people=Coalesce(Subquery(in_subtree), 0))
            .order_by("name")[:20]
        )
    return context
