"""Reads about feedback, always starting from the access scope of the viewer."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from tandem.access.rules import actor_for, can, scope
from tandem.core import anonymity, pagination
from tandem.core.pagination import BadCursor
from tandem.feedback.models import (
    REACTION_EMOJI,
    REACTION_ICONS,
    AskStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackValue,
    Reaction,
    ReactionKind,
    UpwardBatch,
    UpwardFeedback,
    UpwardMarker,
    Visibility,
)
from tandem.feedback.rules import feedback_reader_branches, hr_reads_private
from tandem.org.models import Company, CompanyValue, Person, PersonStatus
from tandem.org.queries import people_queryset
from tandem.program.models import Program

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_ID = 2**63 - 1


__all__ = ["BadCursor"]


def person_of(user: Any) -> Person:
    """The signed-in person behind a request's user (the API's auth guarantees one)."""
    actor = actor_for(user)
    if actor is None:
        raise Http404("Not signed in.")
    return actor.person


# --- Keyset pages over (created_at, id), newest first ------------------------------------------


def encode_cursor(created_at: datetime, pk: int) -> str:
    return pagination.encode_cursor(created_at, pk)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    return pagination.decode_time_cursor(cursor)


@dataclass
class FeedbackPage:
    items: list[Feedback]
    next_cursor: str | None
    reactions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # The goals (of those the page's feedback is about) the viewer may see: one query.
    visible_goal_ids: set[int] = field(default_factory=set)


def _with_people(feedback: QuerySet[Feedback]) -> QuerySet[Feedback]:
    return feedback.select_related("giver", "recipient", "recipient_manager").prefetch_related(
        "values"
    )


def feedback_page(
    feedback: QuerySet[Feedback],
    *,
    cursor: str | None,
    limit: int = PAGE_SIZE,
    viewer: Any = None,
    branches: list[Q] | None = None,
) -> FeedbackPage:
    """One page, newest first; page 1,000 costs what page 1 costs (index seek).

    `branches` (from `reader_branches`) split the viewer's access filter, an OR, into its
    parts: the page's first rows of each part are found apart, each from its own index,
    then merged. PostgreSQL cannot read one index in order for the OR, so it sorted every
    row the viewer may read (which grows with the company's public praise)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    if cursor:
        at, pk = decode_cursor(cursor)
        feedback = feedback.filter(created_at__lte=at).filter(Q(created_at__lt=at) | Q(pk__lt=pk))
    if branches:
        feedback = _newest_of_branches(feedback, branches, limit + 1)
    rows = list(_with_people(feedback).order_by("-created_at", "-pk")[: limit + 1])
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1].created_at, items[-1].pk) if len(rows) > limit else None
    page = FeedbackPage(items=items, next_cursor=next_cursor)
    if viewer is not None:
        page.reactions = reaction_summary([f for f in items if f.is_praise], viewer)
        for item in items:
            item.reaction_list = page.reactions.get(item.pk, [])  # type: ignore[attr-defined]
        page.visible_goal_ids = visible_goal_ids(viewer, {f.goal_id for f in items if f.goal_id})
    return page


def reader_branches(user: Any) -> list[Q]:
    """The parts of the viewer's access filter, for `feedback_page`; none for an HR admin
    who reads everything (there is no OR to split)."""
    actor = actor_for(user)
    if actor is None or hr_reads_private(actor):
        return []
    return feedback_reader_branches(actor)


def _newest_of_branches(
    feedback: QuerySet[Feedback], branches: list[Q], count: int
) -> QuerySet[Feedback]:
    """The `count` newest of `feedback`: the newest `count` of each branch (one indexed,
    ordered, limited query each), merged. The rows keep every filter of `feedback`."""
    keys: set[tuple[datetime, int]] = set()
    for branch in branches:
        newest = feedback.filter(branch).order_by("-created_at", "-pk")
        keys.update(newest.values_list("created_at", "pk")[:count])
    chosen = sorted(keys, reverse=True)[:count]
    return Feedback.objects.filter(pk__in=[pk for _, pk in chosen])


def visible_goal_ids(user: Any, ids: set[int]) -> set[int]:
    """Which of these goals the user may see, in one query (a private goal stays hidden)."""
    if not ids:
        return set()
    goal_model = apps.get_model("goals", "Goal")
    return set(scope(user, goal_model.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def reaction_summary(items: list[Feedback], viewer: Any) -> dict[int, list[dict[str, Any]]]:
    """Per praise: each reaction kind with its count and whether the viewer chose it. One
    query for the whole page."""
    ids = [f.pk for f in items]
    summary: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return summary
    counts = (
        Reaction.objects.filter(feedback_id__in=ids)
        .values("feedback_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(person_id=viewer.pk)))
    )
    found = {(row["feedback_id"], row["kind"]): row for row in counts}
    for pk in ids:
        summary[pk] = [
            {
                "kind": kind.value,
                "emoji": REACTION_EMOJI[kind],
                "icon": REACTION_ICONS[kind],
                "label": kind.label,
                "count": found.get((pk, kind.value), {}).get("n", 0),
                "mine": bool(found.get((pk, kind.value), {}).get("mine", 0)),
            }
            for kind in ReactionKind
        ]
    return summary


def _search(feedback: QuerySet[Feedback], q: str) -> QuerySet[Feedback]:
    q = q.replace("\x00", " ").strip()
    return feedback.filter(text__icontains=q) if q else feedback


def visible_feedback(user: Any) -> QuerySet[Feedback]:
    return scope(user, Feedback.objects.all())


def received(user: Any, person: Person, *, q: str = "") -> QuerySet[Feedback]:
    return _search(visible_feedback(user).filter(recipient=person), q)


def given(user: Any, person: Person, *, q: str = "") -> QuerySet[Feedback]:
    return _search(visible_feedback(user).filter(giver=person), q)


def search(user: Any, *, q: str = "", about: int | None = None) -> QuerySet[Feedback]:
    """Everything the user may read, optionally about one person and matching words."""
    feedback = visible_feedback(user)
    if about is not None:
        feedback = feedback.filter(Q(recipient_id=about) | Q(giver_id=about))
    return _search(feedback, q)


def feedback_for(user: Any, pk: int) -> Feedback:
    """The feedback with this id, or 404 when it does not exist or the user may not read it."""
    found = _with_people(visible_feedback(user).filter(pk=pk)).select_related("goal").first()
    if found is None or not can(user, "feedback.view", found):
        raise Http404("No such feedback.")
    return found


def goal_visible_to(user: Any, feedback: Feedback) -> Any:
    goal = feedback.goal
    return goal if goal is not None and can(user, "goal.view", goal) else None


# --- Praise ---------------------------------------------------------------------------------


def praise_feed(user: Any, *, value_id: int | None = None) -> QuerySet[Feedback]:
    """Public praise between people who are still here, newest first."""
    feed = visible_feedback(user).filter(visibility=Visibility.PUBLIC)
    feed = feed.exclude(giver__status=PersonStatus.LEFT).exclude(
        recipient__status=PersonStatus.LEFT
    )
    if value_id is not None:
        feed = feed.filter(
            pk__in=FeedbackValue.objects.filter(value_id=value_id, is_public=True).values(
                "feedback_id"
            )
        )
    return feed


def month_start(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today.replace(day=1)


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def praise_counts_per_value(since: date, until: date | None = None) -> list[CompanyValue]:
    """Each company value with how much public praise showed it in [since, until). One SQL
    query: per value, a count over its range of feedback_value_idx (value, is_public,
    created_at), never a pass over every praise in the company's history."""
    links = FeedbackValue.objects.filter(
        value_id=OuterRef("pk"), is_public=True, created_at__gte=_start_of_day(since)
    )
    if until is not None:
        links = links.filter(created_at__lt=_start_of_day(until))
    counted = links.order_by().values("value_id").annotate(n=Count("*")).values("n")
    return list(
        CompanyValue.objects.annotate(
            praise=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
        )
    )


def value_leaders(value: CompanyValue, *, since: date, limit: int = 20) -> list[dict[str, Any]]:
    """Who lived this value since `since`: people praised for it, most praised first."""
    rows = list(
        FeedbackValue.objects.filter(
            value=value, is_public=True, created_at__gte=_start_of_day(since)
        )
        .exclude(recipient__status=PersonStatus.LEFT)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .order_by("-n", "recipient_id")[:limit]
    )
    people = Person.objects.in_bulk([r["recipient_id"] for r in rows])
    return [{"person": people[r["recipient_id"]], "count": r["n"]} for r in rows]


def value_for(pk: int) -> CompanyValue:
    found = CompanyValue.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("No such value.")
    return found


# --- Who will read this ------------------------------------------------------------------------


def audience(*, giver: Any, recipient: Person | None, visibility: str) -> str:
    """The plain sentence shown before sending: who will read it, with names."""
    program = Program.current()
    hr = (
        " HR admins may also read it (company policy, stated on the program page)."
        if program.hr_reads_private_feedback and visibility != Visibility.PUBLIC
        else ""
    )
    name = recipient.display_name if recipient is not None else "your recipient"
    if visibility == Visibility.PRIVATE:
        return f"Only {name} will read this.{hr}"
    if visibility == Visibility.WITH_MANAGER:
        manager = (
            Person.objects.filter(pk=recipient.manager_id).first()
            if recipient is not None and recipient.manager_id
            else None
        )
        if recipient is None:
            return f"Your recipient and their manager will read this.{hr}"
        if manager is None:
            return f"{name} has no manager, so only {name} will read this.{hr}"
        return f"{name} and their manager, {manager.display_name}, will read this.{hr}"
    if visibility == Visibility.PUBLIC:
        found = Company.objects.filter(pk=1).first()
        company = found.name if found is not None else "the company"
        return f"Everyone at {company} will see this on the praise feed and on {name}'s profile."
    return "Choose who may read this."


def allowed_visibilities(program: Program | None = None) -> list[tuple[str, str]]:
    from tandem.feedback.models import VISIBILITY_SWITCH

    program = program or Program.current()
    return [(v.value, v.label) for v in Visibility if getattr(program, VISIBILITY_SWITCH[v])]


def resolve_person(user: Any, raw: str | int | None, *, field: str = "recipient") -> Person:
    """A colleague named by id, work e-mail or (unambiguous) name, as the user may see them.

    People who left are named as such, so the message says why rather than "not found"."""
    raw = str(raw or "").replace("\x00", " ").strip()
    if not raw:
        raise ValidationError({field: "Name a colleague: their work e-mail or name."})
    visible = scope(user, Person.objects.all())
    if raw.isdigit() and int(raw) <= MAX_ID:
        match = visible.filter(pk=int(raw)).first()
        left = Person.objects.filter(pk=int(raw), status=PersonStatus.LEFT).exists()
    elif "@" in raw:
        match = visible.filter(email=raw.lower()).first()
        left = Person.objects.filter(email=raw.lower(), status=PersonStatus.LEFT).exists()
    else:
        found = list(people_queryset(user, q=raw).exclude(status=PersonStatus.LEFT)[:6])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError({field: f"No colleague matches “{raw[:100]}”."})
        names = "; ".join(f"{p.display_name} ({p.email})" for p in found[:5])
        raise ValidationError(
            {field: f"Several people match “{raw[:100]}”: {names}. Type the work e-mail."}
        )
    if match is not None:
        return match
    if left:
        raise ValidationError({field: "This person has left the company."})
    raise ValidationError({field: f"No colleague with “{raw[:100]}” as work e-mail or number."})


def resolve_people(user: Any, raw: str, *, field: str = "asked") -> list[Person]:
    """Colleagues listed one per line or separated by commas."""
    parts = [p.strip() for chunk in raw.splitlines() for p in chunk.split(",")]
    return [resolve_person(user, p, field=field) for p in parts if p][:50]


# --- Requests ------------------------------------------------------------------------------


def pending_asks(person: Any, *, limit: int = 50) -> list[FeedbackAsk]:
    """Requests waiting for `person` to answer, soonest due first (undated last)."""
    # Through the scope (the same rows for the person), so a "view as" preview lists only
    # what the previewing HR admin may read too.
    return list(
        scope(person, FeedbackAsk.objects.filter(person_id=person.pk, status=AskStatus.PENDING))
        .exclude(request__subject__status=PersonStatus.LEFT)
        .select_related("request__requester", "request__subject")
        .order_by(
            "due_date",
            "pk",
        )[:limit]
    )


def pending_requests_for(person: Any) -> list[FeedbackAsk]:
    """For the "Things waiting for you" inbox (also registered as its provider)."""
    return pending_asks(person)


def my_requests(user: Any, *, limit: int = 50) -> list[FeedbackRequest]:
    """Requests the user made, or that are about them, newest first, with their asks."""
    me = user.pk
    return list(
        scope(user, FeedbackRequest.objects.filter(Q(requester_id=me) | Q(subject_id=me)))
        .select_related("requester", "subject")
        .prefetch_related("asks__person")
        .order_by("-created_at", "-pk")[:limit]
    )


def request_for(user: Any, pk: int) -> FeedbackRequest:
    found = (
        scope(user, FeedbackRequest.objects.filter(pk=pk))
        .select_related("requester", "subject")
        .first()
    )
    if found is None or not can(user, "feedback_request.view", found):
        raise Http404("No such request.")
    return found


def asks_of(user: Any, request: FeedbackRequest) -> list[FeedbackAsk]:
    """Who was asked and whether they answered (everyone who sees the request sees this);
    the answer's text only travels as feedback, under its own visibility."""
    return list(
        scope(user, FeedbackAsk.objects.filter(request=request))
        .select_related("person", "feedback")
        .order_by("person__sort_name", "pk")
    )


def asks_by_request(user: Any, requests: list[FeedbackRequest]) -> dict[int, list[FeedbackAsk]]:
    """`asks_of` for many requests at once: one query whatever their number."""
    found: dict[int, list[FeedbackAsk]] = {r.pk: [] for r in requests}
    if found:
        for ask in (
            scope(user, FeedbackAsk.objects.filter(request_id__in=list(found)))
            .select_related("person", "feedback")
            .order_by("person__sort_name", "pk")
        ):
            found[ask.request_id].append(ask)
    return found


def readable_answers(user: Any, asks: list[FeedbackAsk]) -> set[int]:
    """Which answers (feedback ids) among these asks the user may read: one query."""
    ids = [a.feedback_id for a in asks if a.feedback_id]
    if not ids:
        return set()
    return set(visible_feedback(user).filter(pk__in=ids).values_list("pk", flat=True))


def my_ask(user: Any, request: FeedbackRequest) -> FeedbackAsk | None:
    return FeedbackAsk.objects.filter(request=request, person_id=user.pk).first()


# --- Upward ----------------------------------------------------------------------------------


@dataclass
class ReleasedBatch:
    batch: UpwardBatch
    texts: list[str]

    @property
    def last_day(self) -> date:
        return self.batch.window_end - timedelta(days=1)


def released_batches(user: Any, *, limit: int = 12) -> list[ReleasedBatch]:
    """The user's released batches, newest window first: text only, in shuffled order, with
    no count of people and no date finer than the window."""
    batches = list(
        scope(user, UpwardBatch.objects.all()).order_by("-window_start", "-round")[:limit]
    )
    texts: dict[int, list[str]] = {b.pk: [] for b in batches}
    for batch_id, text in scope(
        user, UpwardFeedback.objects.filter(batch_id__in=list(texts))
    ).values_list("batch_id", "text"):
        texts[batch_id].append(text)
    shuffle = random.SystemRandom().shuffle
    for items in texts.values():
        shuffle(items)
    return [ReleasedBatch(batch=b, texts=texts[b.pk]) for b in batches]


@dataclass
class UpwardStatus:
    enabled: bool
    manager: Person | None
    window_start: date | None
    window_end: date | None
    wrote_this_window: bool
    minimum: int


def upward_status(user: Any, today: date | None = None) -> UpwardStatus:
    """What the writer may know: their manager, the window, whether they wrote in it. Never
    how many others wrote (that would help guess who)."""
    program = Program.current()
    manager = (
        Person.objects.filter(pk=user.manager_id).exclude(status=PersonStatus.LEFT).first()
        if user.manager_id
        else None
    )
    start, end = window_of(today or timezone.localdate(), program.upward_feedback_window_days)
    wrote = False
    if manager is not None:
        round_ = upward_round(manager.pk, start)
        digest = marker_digest(
            author_id=user.pk, manager_id=manager.pk, window_start=start, round_=round_
        )
        wrote = UpwardMarker.objects.filter(
            manager=manager, window_start=start, round=round_, digest=digest
        ).exists()
    return UpwardStatus(
        enabled=program.upward_feedback_enabled,
        manager=manager,
        window_start=start,
        window_end=end - timedelta(days=1),
        wrote_this_window=wrote,
        minimum=program.anonymity_minimum,
    )


# --- Home ------------------------------------------------------------------------------------


def home_summary(user: Any) -> dict[str, Any]:
    """The home card: recent feedback received, requests waiting, a link to praise."""
    since = timezone.now() - timedelta(days=30)
    latest = list(received(user, user).select_related("giver").order_by("-created_at", "-pk")[:3])
    # Counted through the scope too: in a "view as" preview the count is what HR may read.
    counts = received(user, user).filter(created_at__gte=since).aggregate(received=Count("id"))
    waiting = scope(
        user, FeedbackAsk.objects.filter(person_id=user.pk, status=AskStatus.PENDING)
    ).count()
    actor = actor_for(user)
    return {
        "latest": latest,
        "received_30d": counts["received"],
        "waiting": waiting,
        "is_manager": bool(actor and actor.is_manager),
    }


# --- Anonymous upward feedback: windows and markers ---------------------------------------

# Upward feedback windows are counted from a fixed Monday, so "the window" is the same for
# everyone and does not depend on when the first message was written.
WINDOW_EPOCH = date(2024, 1, 1)

# The writers' markers are keyed with the anonymity key (tandem.core.anonymity): a dedicated
# random secret, never SECRET_KEY and never a constant, so the code and the settings alone
# cannot recompute whose marker is whose. Markers live only while their round is open: the
# release deletes them (docs/anonymity.md).
MARKER_PURPOSE = "upward-feedback-marker"


def week_of(day: date) -> date:
    """The Monday of the week."""
    return day - timedelta(days=day.weekday())


def window_of(day: date, days: int) -> tuple[date, date]:
    """The upward-feedback window holding `day`'s week: [start, end). Its start is the only
    date an upward message keeps."""
    offset = (week_of(day) - WINDOW_EPOCH).days // days
    start = WINDOW_EPOCH + timedelta(days=offset * days)
    return start, start + timedelta(days=days)


def marker_digest(*, author_id: int, manager_id: int, window_start: date, round_: int) -> str:
    """HMAC-SHA256 of (author, manager, window, round) under the anonymity key: the same for
    the same person in the same window and round, meaningless without the key."""
    return anonymity.digest(MARKER_PURPOSE, author_id, manager_id, window_start.isoformat(), round_)


def upward_round(manager_id: int, window_start: date) -> int:
    """Release rounds so far in the window: messages after a release wait for the next one."""
    return UpwardBatch.objects.filter(manager_id=manager_id, window_start=window_start).count()


# --- The team hub: counts, never text -------------------------------------------------------


@dataclass(frozen=True)
class FeedbackFigures:
    received_30: int = 0
    received_60: int = 0
    received_90: int = 0
    given_30: int = 0
    given_90: int = 0


def team_feedback_figures(
    user: Any, person_ids: list[int], *, now: datetime | None = None
) -> dict[int, FeedbackFigures]:
    """How much feedback each person received and gave in the last 30, 60 and 90 days,
    counting only what the viewer may read (`visible_feedback`): praise, feedback shared
    with them as the recipient's manager, their own; private feedback is not counted, so
    no count reveals what a manager may not read. Anonymous upward feedback lives in its
    own tables and is never counted here. Two grouped queries for the whole page."""
    if not person_ids:
        return {}
    now = now or timezone.now()
    since_30, since_60, since_90 = (now - timedelta(days=d) for d in (30, 60, 90))
    visible = visible_feedback(user).filter(created_at__gte=since_90).order_by()
    received_rows = (
        visible.filter(recipient_id__in=person_ids)
        .values("recipient_id")
        .annotate(
            r30=Count("id", filter=Q(created_at__gte=since_30)),
            r60=Count("id", filter=Q(created_at__gte=since_60)),
            r90=Count("id"),
        )
    )
    given_rows = (
        visible.filter(giver_id__in=person_ids)
        .values("giver_id")
        .annotate(g30=Count("id", filter=Q(created_at__gte=since_30)), g90=Count("id"))
    )
    received = {row["recipient_id"]: row for row in received_rows}
    given = {row["giver_id"]: row for row in given_rows}
    figures: dict[int, FeedbackFigures] = {}
    for pk in set(received) | set(given):
        r, g = received.get(pk, {}), given.get(pk, {})
        figures[pk] = FeedbackFigures(
            received_30=r.get("r30", 0),
            received_60=r.get("r60", 0),
            received_90=r.get("r90", 0),
            given_30=g.get("g30", 0),
            given_90=g.get("g90", 0),
        )
    return figures


def received_since(user: Any, since: datetime) -> Exists:
    """For a query of people: whether the person (OuterRef "pk") received feedback the
    viewer may read since `since` — the hub's "no feedback" flag, in SQL."""
    return Exists(visible_feedback(user).filter(recipient_id=OuterRef("pk"), created_at__gte=since))


def received_as_their_manager_sees(
    person_ids: list[int], *, now: datetime | None = None
) -> dict[int, FeedbackFigures]:
    """Feedback each person received in the last 30, 60 and 90 days that their current
    manager may read — public praise, feedback written "with manager" while that manager
    was theirs, and the manager's own — for many managers' reports at once (the weekly team
    digest): the counts `team_feedback_figures` gives each manager on their hub, in one
    grouped query. Private feedback is never counted; `given_*` are left at 0."""
    if not person_ids:
        return {}
    now = now or timezone.now()
    since_30, since_60, since_90 = (now - timedelta(days=d) for d in (30, 60, 90))
    manager = F("recipient__manager_id")
    readable = (
        Q(visibility=Visibility.PUBLIC)
        | Q(giver_id=manager)
        | Q(visibility=Visibility.WITH_MANAGER, recipient_manager_id=manager)
    )
    rows = (
        Feedback.objects.filter(recipient_id__in=person_ids, created_at__gte=since_90)
        .filter(readable)
        .order_by()
        .values("recipient_id")
        .annotate(
            r30=Count("id", filter=Q(created_at__gte=since_30)),
            r60=Count("id", filter=Q(created_at__gte=since_60)),
            r90=Count("id"),
        )
    )
    return {
        row["recipient_id"]: FeedbackFigures(
            received_30=row["r30"], received_60=row["r60"], received_90=row["r90"]
        )
        for row in rows
    }


def recent_about(user: Any, person_id: int, *, since: datetime, limit: int = 50) -> list[Feedback]:
    """Feedback the person received or gave since `since` that the viewer may read, newest
    first (for a timeline: who, to whom, when; the page shows no text)."""
    return list(
        visible_feedback(user)
        .filter(Q(recipient_id=person_id) | Q(giver_id=person_id), created_at__gte=since)
        .select_related("giver", "recipient")
        .order_by("-created_at", "-pk")[:limit]
    )
