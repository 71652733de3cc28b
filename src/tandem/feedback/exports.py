"""Feedback export: a person's feedback received and given, as CSV, streamed.

The rows are exactly what the viewer may read, through the feedback queries (which start
from the feedback access scope), never a second copy of the rules:

- your own export holds everything you received and gave;
- a manager exporting a report's feedback reads public praise and the feedback written
  "for the recipient and their manager" naming them — never private feedback;
- HR admins read non-public feedback only when the company's policy
  (`Program.hr_reads_private_feedback`, stated on the program page) says so.

Only you, your manager chain and HR (admins, and partners covering your department) may ask
for someone else's export (`person.view_private`); anyone else is answered 404.
Anonymous upward feedback lives in tables of its own with no author; it is never exported.
Each export is audited as a sensitive read, with the person and the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core import exports
from tandem.core.http import AuthedHttpRequest
from tandem.feedback import queries
from tandem.feedback.models import Feedback, Visibility
from tandem.org.models import Person
from tandem.org.queries import person_for

CHUNK_SIZE = 2000
MAX_ID = 2**63 - 1

HEADER = (
    "Feedback id",
    "Date",
    "Direction",
    "From",
    "From e-mail",
    "To",
    "To e-mail",
    "Who may read it",
    "Values",
    "Text",
)

VISIBILITY_LABELS = dict(Visibility.choices)


def exportable_feedback(user: Any, person: Person) -> QuerySet[Feedback]:
    """The feedback `person` received or gave that `user` may read, oldest first."""
    return (
        queries.search(user, about=person.pk)
        .select_related("giver", "recipient")
        .prefetch_related("values")
        .order_by("created_at", "pk")
    )


def feedback_rows(
    feedback: QuerySet[Feedback], *, person: Person, tz: tzinfo
) -> Iterator[list[Any]]:
    """One list per piece of feedback, in HEADER's order, read 2,000 at a time (the values
    of each chunk in one more query)."""
    for item in feedback.iterator(chunk_size=CHUNK_SIZE):
        yield [
            item.pk,
            item.created_at.astimezone(tz).date().isoformat(),
            "received" if item.recipient_id == person.pk else "given",
            item.giver.display_name,
            item.giver.email,
            item.recipient.display_name,
            item.recipient.email,
            VISIBILITY_LABELS.get(item.visibility, item.visibility),
            "; ".join(value.name for value in item.values.all()),
            item.text,
        ]


def _person(request: AuthedHttpRequest) -> Person | None:
    """Whose feedback: ?person=<id>, or the viewer. None when the id is not a number."""
    raw = request.GET.get("person", "").strip()
    if not raw:
        return request.user
    if not raw.isdigit() or int(raw) > MAX_ID:
        return None
    if int(raw) == request.user.pk:
        return request.user
    person = person_for(request.user, int(raw))
    require(request.user, "person.view_private", person)
    return person


@login_required
@require_GET
def export_csv(request: AuthedHttpRequest) -> HttpResponseBase:
    """My feedback (or, for their managers and HR, a person's) as CSV."""
    person = _person(request)
    if person is None:
        return HttpResponseBadRequest(
            "The export was not made. Person: give the number of a colleague.",
            content_type="text/plain; charset=utf-8",
        )
    feedback = exportable_feedback(request.user, person)
    record(
        actor=request.user,
        kind="feedback.export",
        object_type="feedback.feedback",
        object_label="Feedback export (CSV)",
        subject=person,
        changes={"format": "csv", "person": person.pk, "rows": feedback.count()},
    )
    # The stream is read after the view returns: fix the viewer's time zone now.
    rows = feedback_rows(feedback, person=person, tz=timezone.get_current_timezone())
    filename = exports.export_filename(
        "feedback", person.display_name, timezone.localdate().isoformat(), extension="csv"
    )
    return exports.csv_response(filename=filename, header=HEADER, rows=rows)
