"""The ratings history import, part two: write a checked plan as closed, imported cycles.

Each cycle of the file becomes a `Cycle` that is closed from the start and marked imported
(`imported_at`, `import_source`), so every write on it is refused (`phases.not_running`)
while every analysis reads it like a native cycle: per relationship a frozen template
version with one overall rating question on the file's scale (`versions.freeze`), a
`Participant` per person rated (snapshot of their department, manager, title and level as
they are today — the file does not say what they were then), one shared `Review` per
rating with the rating as its answer, and its `SubmittedRating`, which is what
`queries.ratings`, scores and the analyses read.

All or nothing, in one transaction, written in bulk (batches of `BATCH`): a 500,000-row
history is a few hundred queries. Re-importing a file adds only the ratings that are not
there yet; the same file twice adds "0 new ratings" and writes nothing, not even an
audit entry. HR admins only (`reviews.manage`); one audit entry per import with counts.

The web page uses `check_upload` → `confirm_upload`: the upload is kept in a
`RatingsImport` and the confirmation imports it only if it still adds exactly what the
check showed (same fingerprint).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Model
from django.http import Http404
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.bulk import RowSink, next_id
from tandem.org import importer as org_importer
from tandem.org.importer import ImportFileError, Problem, stored_upload_problem
from tandem.org.models import Person
from tandem.reviews import importer, tally, versions
from tandem.reviews.importer import ExistingCycle, Plan, Progress, Snapshot
from tandem.reviews.models import (
    Cycle,
    CycleForm,
    CycleStatus,
    Participant,
    QuestionKind,
    RatingScale,
    RatingsImport,
    RatingsImportStatus,
    Review,
    ReviewState,
    SubmittedRating,
    Template,
    TemplateQuestion,
    TemplateSection,
    TemplateVersion,
    UseFor,
)
from tandem.reviews.services import stored_ratings
from tandem.reviews.services.launch import SNAPSHOT_COLUMNS, _participant

BATCH = 5_000
ID_CHUNK = 500  # ids per "IN (...)" list, well under SQLite's parameter limit
QUESTION_KEY = "q1"  # the one question of an imported form (versions number them q1, q2…)
CYCLES_SHOWN = 50
# A row per rating: a 100,000-person company's history of several cycles is ~500,000 rows
# a cycle (self, manager, peers); longer files are split, by cycle or by year.
MAX_ROWS = 1_000_000
# The command reads a file already on the server, so the web upload's limit does not apply;
# this one keeps a wrong file from filling the memory (1,000,000 rows are ~70 MB of CSV).
COMMAND_MAX_BYTES = 200 * 1024 * 1024


@dataclass
class RatingsImportResult:
    """What an import did (or, checked only, would do), or why the file was refused."""

    file_name: str = ""
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_cycles: int = 0
    new_ratings: int = 0
    skipped: int = 0
    # [{"name", "period_start", "period_end", "points", "new", "ratings"}] (first 50)
    cycles: list[dict[str, Any]] = field(default_factory=list)
    fingerprint: str = ""
    dry_run: bool = True
    applied: bool = False
    stale: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        return (
            f"{self.new_cycles} new cycle{'s' if self.new_cycles != 1 else ''}, "
            f"{self.new_ratings} new rating{'s' if self.new_ratings != 1 else ''}, "
            f"{self.skipped} already imported"
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RatingsImportResult:
        values = dict(data)
        values["problems"] = [Problem(**p) for p in values.get("problems", [])]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in known})


# --- The snapshot ----------------------------------------------------------------------------


def _chunks(values: Sequence[Any], size: int = ID_CHUNK) -> list[Sequence[Any]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def load_snapshot(table: org_importer.Table) -> Snapshot:
    """The people the file names, the cycles with a name and period of the file, and the
    ratings already in those of them that were imported."""
    people: dict[str, int] = {}
    for chunk in _chunks(sorted(importer.people_ids(table))):
        for employee_id, pk in (
            Person.objects.filter(employee_id__in=chunk).order_by().values_list("employee_id", "pk")
        ):
            if employee_id:
                people[employee_id] = pk
    keys = importer.cycle_keys(table)
    names = sorted({name for name, _, _ in keys})
    cycles: dict[tuple[str, date, date], ExistingCycle] = {}
    imported: list[int] = []
    for chunk in _chunks(names):
        for pk, name, start, end, imported_at in Cycle.objects.filter(name__in=chunk).values_list(
            "pk", "name", "period_start", "period_end", "imported_at"
        ):
            key = (name, start, end)
            if key not in keys:
                continue
            # Two cycles of one name and period: an imported one is the one to add to.
            if key in cycles and cycles[key].imported:
                continue
            cycles[key] = ExistingCycle(pk=pk, imported=imported_at is not None, points=None)
            if imported_at is not None:
                imported.append(pk)
    existing: dict[tuple[int, int, int, str], int] = {}
    if imported:
        scales = dict(
            SubmittedRating.objects.filter(cycle_id__in=imported)
            .order_by()
            .values("cycle_id")
            .annotate(points=Max("points"))
            .values_list("cycle_id", "points")
        )
        for key, found in list(cycles.items()):
            if found.pk in scales:
                cycles[key] = ExistingCycle(pk=found.pk, imported=True, points=scales[found.pk])
        rows = (
            SubmittedRating.objects.filter(cycle_id__in=imported, question_key=QUESTION_KEY)
            .order_by()
            .values_list(
                "cycle_id", "participant__person_id", "review__reviewer_id", "relationship", "value"
            )
        )
        for cycle_id, person_id, reviewer_id, relationship, value in rows.iterator(
            chunk_size=BATCH
        ):
            existing[(cycle_id, person_id, reviewer_id, relationship)] = value
    return Snapshot(people=people, cycles=cycles, existing=existing)


# --- Importing -------------------------------------------------------------------------------


def import_ratings(
    *,
    by: Any,
    data: bytes | None = None,
    rows: Sequence[Mapping[str, Any]] | None = None,
    file_name: str = "",
    dry_run: bool = False,
    expected_fingerprint: str | None = None,
    progress: Progress | None = None,
    audit: bool = True,
    max_bytes: int | None = None,
) -> RatingsImportResult:
    """Import past ratings from a CSV or XLSX file (bytes) or from rows (dicts).

    All or nothing: any bad row and nothing is written; `problems` lists every bad row.
    With `dry_run` nothing is written either way; with `expected_fingerprint` the import
    happens only if it adds exactly what that check showed (else `stale`). `audit=False`
    is for the demo only, whose whole load is one audit entry of its own. `max_bytes` is
    the upload limit (TANDEM_IMPORT_MAX_MB) unless the caller gives its own."""
    require(by, "reviews.manage")
    started = time.perf_counter()
    result = RatingsImportResult(file_name=file_name, dry_run=dry_run)
    try:
        if data is not None:
            table = org_importer.read_table(
                data,
                max_bytes=settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes,
                max_rows=MAX_ROWS,
            )
        elif rows is not None:
            table = org_importer.table_from_rows(rows)
        else:
            raise TypeError("import_ratings() needs data= (file bytes) or rows=")
    except ImportFileError as error:
        result.problems = [Problem(None, "", str(error))]
        return result
    if progress:
        progress("Reading", 1, 1)

    # A check only reads: it need not hold SQLite's write lock while it runs.
    with nullcontext() if dry_run else transaction.atomic():
        snapshot = load_snapshot(table)
        plan = importer.plan(table, snapshot, progress=progress)
        _fill(result, plan)
        if dry_run or not plan.ok:
            pass
        elif expected_fingerprint and plan.fingerprint != expected_fingerprint:
            result.stale = True
        else:
            if plan.cycles:
                _apply(plan, by=by, file_name=file_name, progress=progress, audit=audit)
            result.applied = True
            result.dry_run = False
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _fill(result: RatingsImportResult, plan: Plan) -> None:
    result.rows = plan.rows
    result.problems = plan.problems
    result.warnings = plan.warnings
    if not plan.ok:
        return
    result.new_cycles = plan.new_cycles
    result.new_ratings = plan.new_ratings
    result.skipped = plan.skipped
    result.fingerprint = plan.fingerprint
    result.cycles = [
        {
            "name": c.name,
            "period_start": c.period_start.isoformat(),
            "period_end": c.period_end.isoformat(),
            "points": c.points,
            "new": c.existing_pk is None,
            "ratings": len(c.ratings),
        }
        for c in plan.cycles[:CYCLES_SHOWN]
    ]


def _scale(points: int, now: Any) -> RatingScale:
    """The archived "Imported history" scale of `points` points (1 to `points`, no labels:
    the file gives numbers only)."""
    wanted = [{"value": v, "label": str(v), "description": ""} for v in range(1, points + 1)]
    name = f"Imported history, {points} points"
    scale = RatingScale.objects.filter(name=name).first()
    if scale is None:
        return RatingScale.objects.create(
            name=name,
            description="Ratings imported from another tool; numbers only.",
            points=wanted,
            archived_at=now,
        )
    if scale.points != wanted:
        scale.points = wanted
        scale.save(update_fields=["points", "updated_at"])
    return scale


def _version(relationship: str, points: int, *, by: Any, now: Any) -> TemplateVersion:
    """A frozen version of the archived template with one overall rating question on a
    `points`-point scale, for one relationship (reused across imports)."""
    name = f"Imported history, {points} points"
    template = Template.objects.filter(name=name, relationship=relationship).first()
    if template is None:
        template = Template.objects.create(
            name=name,
            relationship=relationship,
            description="The one overall rating imported from another tool.",
            archived_at=now,
        )
        section = TemplateSection.objects.create(template=template, title="Overall")
        TemplateQuestion.objects.create(
            section=section,
            kind=QuestionKind.RATING,
            prompt="Overall rating",
            required=True,
            allow_comment=False,
            scale=_scale(points, now),
            is_overall=True,
        )
    else:
        _scale(points, now)  # put back the scale's points if someone changed them
    return versions.freeze(template, by=by)


PARTICIPANT_COLUMNS = (
    "id", "cycle", "person", "title", "level", "department", "department_name", "manager",
    "manager_name", "path", "added_at", "added_late", "removed_reason", "shared_at",
    "shared_by", "acknowledgement_comment", "score_parts",
)  # fmt: skip
REVIEW_COLUMNS = (
    "id", "cycle", "participant", "reviewee", "reviewer", "relationship", "template_version",
    "state", "answers", "version", "active_seconds", "saved_at", "submitted_at", "shared_at",
    "created_at",
)  # fmt: skip
RATING_COLUMNS = (
    "review", "cycle", "participant", "relationship", "question_key", "question_kind",
    "item_key", "value", "points", "normalised",
)  # fmt: skip


class _Sink(RowSink):
    """Rows written BATCH at a time, reporting progress after each write."""

    def __init__(
        self,
        model: type[Model],
        names: Sequence[str],
        progress: Progress | None,
        total: int,
        stage: str,
    ) -> None:
        super().__init__(model, names, chunk=BATCH)
        self.progress = progress
        self.total = total
        self.stage = stage

    def flushed(self, written: int) -> None:
        if self.progress:
            self.progress(self.stage, self.count, self.total)


def _reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` ids no one else will use for `model`. PostgreSQL hands them out from the
    table's sequence; SQLite has one writer at a time (Tandem begins every transaction
    IMMEDIATE), so the ids after the highest one stay free until this one commits."""
    if count == 0:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    first = next_id(model)
    return list(range(first, first + count))


def _normalised(value: int, points: int) -> Decimal:
    return (Decimal(value - 1) / Decimal(points - 1)).quantize(Decimal("0.0001"))


def _apply(plan: Plan, *, by: Any, file_name: str, progress: Progress | None, audit: bool) -> None:
    now = timezone.now()
    author = by if getattr(by, "pk", None) else None
    source = (file_name or "ratings import")[:255]
    frozen: dict[tuple[str, int], TemplateVersion] = {}
    for cycle_plan in plan.cycles:
        for relationship in {r.relationship for r in cycle_plan.ratings}:
            key = (relationship, cycle_plan.points)
            if key not in frozen:
                frozen[key] = _version(relationship, cycle_plan.points, by=by, now=now)

    # 1. Cycles, and each one's form per relationship.
    cycles: dict[int, Cycle] = {}  # index in plan.cycles → cycle
    new_cycles = [
        Cycle(
            name=c.name,
            description=f"Ratings imported from {source}.",
            period_start=c.period_start,
            period_end=c.period_end,
            status=CycleStatus.CLOSED,
            use_for=UseFor.CALIBRATION,
            launched_at=now,
            launched_by=author,
            closed_at=now,
            imported_at=now,
            import_source=source,
            created_by=author,
        )
        for c in plan.cycles
        if c.existing_pk is None
    ]
    Cycle.objects.bulk_create(new_cycles)
    created = iter(new_cycles)
    existing = Cycle.objects.in_bulk([c.existing_pk for c in plan.cycles if c.existing_pk])
    for index, cycle_plan in enumerate(plan.cycles):
        cycles[index] = (
            existing[cycle_plan.existing_pk] if cycle_plan.existing_pk else next(created)
        )
    has_form = set(
        CycleForm.objects.filter(cycle_id__in=[c.pk for c in cycles.values()]).values_list(
            "cycle_id", "relationship"
        )
    )
    forms = []
    for index, cycle_plan in enumerate(plan.cycles):
        cycle = cycles[index]
        for relationship in sorted({r.relationship for r in cycle_plan.ratings}):
            if (cycle.pk, relationship) in has_form:
                continue
            version = frozen[(relationship, cycle_plan.points)]
            forms.append(
                CycleForm(
                    cycle=cycle,
                    relationship=relationship,
                    template_id=version.template_id,
                    version=version,
                )
            )
    CycleForm.objects.bulk_create(forms)
    if progress:
        progress("Creating cycles", 1, 1)

    # 2. Participants: who each person is now (the file says nothing of then).
    participant_of: dict[tuple[int, int], int] = {}  # (cycle id, person id) → participant
    for cycle_id, person_id, pk in Participant.objects.filter(
        cycle_id__in=[c.pk for c in cycles.values()]
    ).values_list("cycle_id", "person_id", "pk"):
        participant_of[(cycle_id, person_id)] = pk
    needed: dict[int, set[int]] = defaultdict(set)
    for index, cycle_plan in enumerate(plan.cycles):
        cycle_id = cycles[index].pk
        for rating in cycle_plan.ratings:
            if (cycle_id, rating.person_id) not in participant_of:
                needed[rating.person_id].add(index)
    people: dict[int, Mapping[str, Any]] = {}
    for chunk in _chunks(sorted(needed)):
        for row in Person.objects.filter(pk__in=chunk).order_by().values(*SNAPSHOT_COLUMNS):
            people[row["pk"]] = row
    wanted = [(index, person_id) for person_id, indexes in needed.items() for index in indexes]
    wanted.sort()
    participant_ids = iter(_reserve_ids(Participant, len(wanted)))
    participants = _Sink(Participant, PARTICIPANT_COLUMNS, progress, len(wanted), "Adding people")
    for index, person_id in wanted:
        cycle = cycles[index]
        # The launch's snapshot of a person (services.launch), written as a plain row.
        snap = _participant(cycle, people[person_id])
        pk = next(participant_ids)
        participant_of[(cycle.pk, person_id)] = pk
        participants.add(
            (
                pk,
                cycle.pk,
                person_id,
                snap.title,
                snap.level,
                snap.department_id,
                snap.department_name,
                snap.manager_id,
                snap.manager_name,
                snap.path,
                now,
                False,
                "",
                now,
                author.pk if author else None,
                "",
                "{}",
            )
        )
    participants.flush()
    participants_added = len(wanted)

    # 3. One shared review per rating, and its submitted rating: plain rows written in
    # chunks (COPY on PostgreSQL), with ids reserved first, because building a model
    # instance per row for bulk_create was two thirds of the time of a large import.
    total = plan.new_ratings
    review_ids = iter(_reserve_ids(Review, total))
    reviews = _Sink(Review, REVIEW_COLUMNS, progress, total, "Writing ratings")
    ratings = RowSink(SubmittedRating, RATING_COLUMNS, chunk=BATCH)
    for index, cycle_plan in enumerate(plan.cycles):
        cycle = cycles[index]
        points = cycle_plan.points
        for rating in cycle_plan.ratings:
            review_id = next(review_ids)
            participant_id = participant_of[(cycle.pk, rating.person_id)]
            answers = {QUESTION_KEY: {"rating": rating.rating, "comment": ""}}
            reviews.add(
                (
                    review_id,
                    cycle.pk,
                    participant_id,
                    rating.person_id,
                    rating.reviewer_id,
                    rating.relationship,
                    frozen[(rating.relationship, points)].pk,
                    ReviewState.SHARED,
                    json.dumps(answers),
                    1,
                    0,
                    now,
                    now,
                    now,
                    now,
                )
            )
            ratings.add(
                (
                    review_id,
                    cycle.pk,
                    participant_id,
                    rating.relationship,
                    QUESTION_KEY,
                    QuestionKind.RATING,
                    "",
                    rating.rating,
                    points,
                    _normalised(rating.rating, points),
                )
            )
    reviews.flush()
    ratings.flush()

    # 4. Progress counters and scores, set-based per cycle.
    from tandem.reviews.scores import refresh_cycle

    for done, cycle in enumerate(cycles.values(), start=1):
        tally.refresh(cycle_id=cycle.pk)
        stored_ratings.ratings_changed(cycle.pk)
        refresh_cycle(cycle)
        if progress:
            progress("Counting and scoring", done, len(cycles))

    if not audit:
        return
    record(
        actor=by,
        kind="review.ratings_import",
        object_type="reviews.cycle",
        object_label=source,
        changes={
            "cycles_created": plan.new_cycles,
            "cycles_added_to": len(plan.cycles) - plan.new_cycles,
            "ratings_added": plan.new_ratings,
            "rows_already_imported": plan.skipped,
            "participants_added": participants_added,
        },
        note=f"Ratings history imported from {source}",
    )


# --- The check → import flow of the web page -------------------------------------------------


def check_upload(
    *, data: bytes, file_name: str, by: Any
) -> tuple[RatingsImport | None, RatingsImportResult]:
    """Check an upload and keep it for confirmation. A refused file is not kept."""
    require(by, "reviews.manage")
    result = import_ratings(data=data, file_name=file_name, by=by, dry_run=True)
    if not result.ok:
        return None, result
    with transaction.atomic():
        # Uploads nobody confirmed within a day are not kept: they hold people's ratings.
        RatingsImport.objects.filter(
            status=RatingsImportStatus.CHECKED,
            created_at__lt=timezone.now() - timedelta(days=1),
        ).delete()
        upload = RatingsImport.objects.create(
            created_by=by if getattr(by, "pk", None) else None,
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            fingerprint=result.fingerprint,
            result=result.as_json(),
        )
    return upload, result


def upload_for(user: Any, upload_id: int) -> RatingsImport:
    """An upload of this user's, or 404: checks are private to the HR admin who made them."""
    require(user, "reviews.manage")
    upload = RatingsImport.objects.filter(
        pk=upload_id, created_by_id=getattr(user, "pk", None)
    ).first()
    if upload is None:
        raise Http404("No such import.")
    return upload


@transaction.atomic
def confirm_upload(*, upload: RatingsImport, by: Any) -> RatingsImportResult:
    """Import a checked upload if it still adds exactly what the check showed; otherwise
    keep the new check (or the new problems) for HR to confirm again."""
    require(by, "reviews.manage")
    upload = RatingsImport.objects.select_for_update().get(pk=upload.pk)
    data = bytes(upload.content)
    refused = stored_upload_problem(
        done=upload.status == RatingsImportStatus.IMPORTED, content=data, sha256=upload.sha256
    )
    if refused is not None:
        return RatingsImportResult(file_name=upload.file_name, problems=[refused])
    result = import_ratings(
        data=data,
        file_name=upload.file_name,
        by=by,
        expected_fingerprint=upload.fingerprint,
    )
    upload.result = result.as_json()
    if result.applied:
        upload.status = RatingsImportStatus.IMPORTED
        upload.imported_at = timezone.now()
        upload.content = b""
        upload.save(update_fields=["result", "status", "imported_at", "content"])
    else:
        upload.fingerprint = result.fingerprint
        upload.save(update_fields=["result", "fingerprint"])
    return result
