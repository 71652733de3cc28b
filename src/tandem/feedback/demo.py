"""Demo feedback: months of feedback and praise tied to the company's values, reactions,
requests (answered, declined, pending), and anonymous upward feedback in released and
still-waiting batches.

Runs inside the org demo's transaction (registered with org.demo.register_demo), after the people
exist. Everything is drawn in Python from the seed and streamed as plain rows (RowSink: COPY
on PostgreSQL); the few upward-feedback rows use bulk_create. The volume
grows with the company but more slowly than it (a few items per person up to 5,000 people,
fewer per person beyond), so 100,000 people stay quick to load.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import models

from tandem.core.bulk import RowSink, next_id, reset_sequences
from tandem.feedback.models import (
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
from tandem.feedback.queries import marker_digest, window_of
from tandem.org.demo import DEMO_DOMAIN, register_demo
from tandem.org.models import CompanyValue, Person, PersonStatus
from tandem.program.models import Program

BATCH_SIZE = 2000
HISTORY_DAYS = 180
FULL_RATE_PEOPLE = 5000
ITEMS_PER_PERSON = 4.0
ITEMS_PER_PERSON_BEYOND = 0.6
MAX_UPWARD_TEAMS = 300

Progress = Callable[[str, int, int], None]

PRAISE = (
    "Thank you for staying late to get the release over the line — customers noticed.",
    "Your write-up of the incident was so clear that the whole team learned from it.",
    "You turned an angry customer call into a renewal. Brilliant listening.",
    "The way you onboarded our new colleague made their first week easy.",
    "You spotted the pricing bug before it reached a single invoice. Thank you!",
    "Great demo today: simple, honest about the gaps, and the customer loved it.",
    "You asked the question nobody dared to ask, and it saved us a month.",
    "Thanks for sharing what failed in the experiment; it changed our roadmap.",
)
FEEDBACK = (
    "In the planning meeting you jumped to the solution before we agreed on the problem; "
    "next time, could you start with the customer's words?",
    "Your code reviews are thorough. They would land better with one sentence on why each "
    "change matters.",
    "I'd love to see you present your own work at the all-hands — you know it best.",
    "The estimate slipped twice without a heads-up. An early note helps me plan.",
    "Your status updates are concise and useful; please keep the format.",
    "When the discussion got heated you kept it on the facts. That helped a lot.",
    "Consider pairing with the support team for a day; it would sharpen your priorities.",
)
QUESTIONS = (
    "What should I keep doing, and what should I change?",
    "How did I do leading the migration project?",
    "How clear are my written updates?",
    "",
)
DECLINES = (
    "I have not worked with them closely enough this quarter.",
    "On leave until the due date, sorry.",
)
UPWARD = (
    "Our 1:1s get cancelled too often; I would like them to be protected.",
    "Thank you for shielding the team from the reorganisation noise.",
    "Decisions sometimes change after we have started; please tell us why.",
    "I appreciate how you celebrate small wins.",
    "I'd like more context on how my work connects to the company goals.",
    "Feedback on my work comes late; earlier and smaller would help.",
    "You are a great listener. Keep it up.",
)


def _bulk(model: type[models.Model], objs: list[Any], progress: Progress) -> None:
    for start in range(0, len(objs), BATCH_SIZE):
        model._default_manager.bulk_create(objs[start : start + BATCH_SIZE])
        progress(f"feedback: {model._meta.verbose_name_plural}", start + BATCH_SIZE, len(objs))


class _Sink(RowSink):
    """Rows for one table, BATCH_SIZE at a time, reporting progress after each write."""

    def __init__(self, model: type[models.Model], names: Sequence[str], progress: Progress):
        super().__init__(model, names, chunk=BATCH_SIZE)
        self.label = f"feedback: {model._meta.verbose_name_plural}"
        self.progress = progress

    def flushed(self, written: int) -> None:
        self.progress(self.label, self.count, self.count)


FEEDBACK_FIELDS = (
    "id", "giver", "recipient", "recipient_manager", "visibility", "text", "request", "created_at",
)  # fmt: skip


def volume(people: int) -> int:
    """How many feedback items a company of this size gets in the demo."""
    full = min(people, FULL_RATE_PEOPLE) * ITEMS_PER_PERSON
    return int(full + max(0, people - FULL_RATE_PEOPLE) * ITEMS_PER_PERSON_BEYOND)


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    rng = random.Random(seed * 7919 + 4)  # noqa: S311 (demo data: reproducible from the seed)
    rows = list(
        Person.objects.exclude(status=PersonStatus.LEFT)
        .order_by("pk")
        .values_list("pk", "manager_id", "email")
    )
    if len(rows) < 2:
        return
    ids = [r[0] for r in rows]
    manager_of = {r[0]: r[1] for r in rows}
    teams: dict[int, list[int]] = defaultdict(list)
    for pk, manager_id, _ in rows:
        if manager_id is not None:
            teams[manager_id].append(pk)
    logins = {email.split("@")[0]: pk for pk, _, email in rows if email.endswith(DEMO_DOMAIN)}
    value_ids = list(CompanyValue.objects.values_list("pk", flat=True))
    program = Program.current()

    def colleague_of(pk: int) -> int:
        manager = manager_of.get(pk)
        roll = rng.random()
        if manager is not None and roll < 0.25:
            return manager
        if manager is not None and roll < 0.55:
            team = teams[manager]
            if len(team) > 1:
                return rng.choice(team)
        if roll < 0.7 and teams.get(pk):
            return rng.choice(teams[pk])
        return rng.choice(ids)

    def moment(days_ago: int) -> datetime:
        day = today - timedelta(days=days_ago)
        return datetime.combine(day, time(rng.randrange(7, 19), rng.randrange(60)), tzinfo=UTC)

    # --- Feedback and praise -------------------------------------------------------------
    feedback_base = next_id(Feedback)
    feedback = _Sink(Feedback, FEEDBACK_FIELDS, progress)
    links = _Sink(
        FeedbackValue, ("feedback", "value", "recipient", "is_public", "created_at"), progress
    )
    reactions = _Sink(Reaction, ("feedback", "person", "kind", "created_at"), progress)
    kinds = list(ReactionKind.values)
    focus = [pk for key, pk in logins.items() if key in ("employee", "manager", "director")]
    for index in range(volume(len(ids))):
        giver = rng.choice(ids)
        recipient = colleague_of(giver)
        if index < 40 and focus:
            # The demo log-ins get some of each, so every page has something to show.
            recipient = focus[index % len(focus)]
            giver = rng.choice(ids)
        if giver == recipient:
            continue
        roll = rng.random()
        visibility = (
            Visibility.PUBLIC
            if roll < 0.45
            else Visibility.WITH_MANAGER
            if roll < 0.8
            else Visibility.PRIVATE
        )
        pk = feedback_base + feedback.added
        created = moment(rng.randrange(HISTORY_DAYS))
        public = visibility == Visibility.PUBLIC
        feedback.add(
            (
                pk,
                giver,
                recipient,
                manager_of.get(recipient) if visibility == Visibility.WITH_MANAGER else None,
                str(visibility),
                rng.choice(PRAISE if public else FEEDBACK),
                None,
                created,
            )
        )
        if value_ids and (public or rng.random() < 0.3):
            for value_id in rng.sample(value_ids, k=min(len(value_ids), 1 + (rng.random() < 0.3))):
                links.add((pk, value_id, recipient, public, created))
        if public:
            for reactor in {rng.choice(ids) for _ in range(rng.randrange(4))}:
                reactions.add((pk, reactor, str(rng.choice(kinds)), created))
    links.flush()
    reactions.flush()

    # --- Requests --------------------------------------------------------------------------
    request_base = next_id(FeedbackRequest)
    requests = _Sink(
        FeedbackRequest,
        ("id", "requester", "subject", "questions", "due_date", "visibility", "created_at"),
        progress,
    )
    asks = _Sink(
        FeedbackAsk,
        ("request", "person", "status", "due_date", "feedback", "decline_reason", "responded_at"),
        progress,
    )
    n_requests = min(max(len(ids) // 10, 5), 3000)
    for index in range(n_requests):
        requester = rng.choice(ids)
        subject = requester
        if teams.get(requester) and rng.random() < 0.3:
            subject = rng.choice(teams[requester])
        pending = rng.random() < 0.5 or index < 6
        created = moment(rng.randrange(3, 20) if pending else rng.randrange(20, HISTORY_DAYS))
        due = (
            today + timedelta(days=rng.randrange(1, 15))
            if pending
            else created.date() + timedelta(days=14)
        )
        pk = request_base + requests.added
        visibility = rng.choice([Visibility.PRIVATE, Visibility.WITH_MANAGER])
        requests.add((pk, requester, subject, rng.choice(QUESTIONS), due, str(visibility), created))
        chosen = {colleague_of(subject) for _ in range(3)} - {subject, requester}
        if index < 6 and focus:
            chosen = ({focus[index % len(focus)]} | chosen) - {subject, requester}
        for person in chosen:
            status = AskStatus.PENDING
            answer_id = None
            if not pending:
                status = AskStatus.ANSWERED if rng.random() < 0.85 else AskStatus.DECLINED
            if status == AskStatus.ANSWERED:
                # Answers are feedback too, numbered after the feedback drawn above.
                answer_id = feedback_base + feedback.added
                feedback.add(
                    (
                        answer_id,
                        person,
                        subject,
                        manager_of.get(subject) if visibility == Visibility.WITH_MANAGER else None,
                        str(visibility),
                        rng.choice(FEEDBACK),
                        pk,
                        created + timedelta(days=rng.randrange(1, 10)),
                    )
                )
            asks.add(
                (
                    pk,
                    person,
                    str(status),
                    due,
                    answer_id,
                    rng.choice(DECLINES) if status == AskStatus.DECLINED else "",
                    created + timedelta(days=5) if not pending else None,
                )
            )
    feedback.flush()
    requests.flush()
    asks.flush()
    reset_sequences([Feedback, FeedbackRequest])

    # --- Anonymous upward feedback --------------------------------------------------------------
    minimum = program.anonymity_minimum
    days = program.upward_feedback_window_days
    current_start, _ = window_of(today, days)
    previous_start, previous_end = window_of(current_start - timedelta(days=1), days)
    big_teams = [m for m, team in teams.items() if len(team) >= minimum]
    rng.shuffle(big_teams)
    chosen_teams = big_teams[:MAX_UPWARD_TEAMS]
    manager_login = logins.get("manager")
    if manager_login in teams and manager_login not in chosen_teams:
        chosen_teams.insert(0, manager_login)
    messages: list[UpwardFeedback] = []
    markers: list[UpwardMarker] = []
    batches: list[UpwardBatch] = []

    def write(manager: int, writers: list[int], start: date, *, released: bool = False) -> None:
        for author in writers:
            # A released round keeps no markers (the release deletes them).
            if not released:
                digest = marker_digest(
                    author_id=author, manager_id=manager, window_start=start, round_=0
                )
                markers.append(
                    UpwardMarker(
                        id=uuid.uuid4(), digest=digest, manager_id=manager, window_start=start
                    )
                )
            messages.append(
                UpwardFeedback(
                    id=uuid.uuid4(),
                    manager_id=manager,
                    window_start=start,
                    text=rng.choice(UPWARD),
                )
            )

    for manager in chosen_teams:
        team = teams[manager]
        # Last window: enough people wrote (released); this window: some, not enough yet.
        if len(team) >= minimum and previous_end <= today:
            write(
                manager,
                rng.sample(team, k=min(len(team), minimum + rng.randrange(3))),
                previous_start,
                released=True,
            )
            batches.append(
                UpwardBatch(
                    manager_id=manager,
                    window_start=previous_start,
                    window_end=previous_end,
                    released_on=min(previous_end, today),
                )
            )
        write(manager, rng.sample(team, k=min(len(team), minimum - 1)), current_start)
    _bulk(UpwardBatch, batches, progress)
    released = {
        (b.manager_id, b.window_start): b.pk
        for b in UpwardBatch.objects.filter(window_start=previous_start)
    }
    for message in messages:
        if message.window_start == previous_start:
            message.batch_id = released.get((message.manager_id, previous_start))
    rng.shuffle(messages)
    _bulk(UpwardFeedback, messages, progress)
    rng.shuffle(markers)
    _bulk(UpwardMarker, markers, progress)
