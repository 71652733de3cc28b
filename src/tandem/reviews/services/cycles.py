"""Setting up and running a review cycle: its settings, who takes part, which forms, the
phase dates, the launch, and changes to who takes part once it runs.

A draft cycle can change in every respect. Once launched, only its name, description,
phase dates (extending a deadline is audited with the old and new dates) and the release
date change; the people and their reviews change through `add_participant`,
`remove_participant` and `reassign_manager_review`. HR admins only (`reviews.manage`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from tandem.access.rules import require
from tandem.audit.services import diff, record, snapshot
from tandem.core.queue import enqueue_on_commit
from tandem.core.validation import clean_text
from tandem.org.models import Department, Person
from tandem.program.models import Program
from tandem.reviews import defaults, phases
from tandem.reviews.models import (
    PHASE_ORDER,
    Cycle,
    CycleForm,
    CycleStatus,
    Phase,
    PhaseKind,
    QuestionKind,
    Relationship,
    ScoreMethod,
    Template,
    TemplateQuestion,
    UseFor,
)
from tandem.reviews.services.launch import (
    LaunchPreview,
    add_participant,
    launch_preview,
    reassign_manager_review,
    remove_participant,
    run_launch,
    selected_people,
)
from tandem.reviews.services.setup import NAME_MAX, TEXT_MAX
from tandem.reviews.services.starter import TEMPLATES

__all__ = [
    "PREVIEW_NAMES",
    "LaunchPreview",
    "Preview",
    "add_participant",
    "close_cycle",
    "create_cycle",
    "create_cycle_from_program",
    "launch_cycle",
    "launch_preview",
    "launch_problems",
    "preview_participants",
    "reassign_manager_review",
    "remove_participant",
    "run_launch",
    "save_setup",
    "selected_people",
    "set_forms",
    "set_participant_rules",
    "set_phases",
    "update_cycle",
]

PREVIEW_NAMES = 20
WEIGHT_FIELDS = (
    "weight_goals",
    "weight_competencies",
    "weight_manager",
    "weight_self",
    "weight_peers",
)
# Everything HR may set on a draft; after launch only LAUNCHED_FIELDS.
SETTING_FIELDS = (
    "name",
    "description",
    "period_start",
    "period_end",
    "use_for",
    "peers_anonymous_to_reviewee",
    "peer_names_hidden_from_hr",
    "reviewee_sees_peer_reviews",
    "peers_min",
    "peers_max",
    "peer_review_cap",
    "score_method",
    *WEIGHT_FIELDS,
    "release_on",
)
LAUNCHED_FIELDS = ("name", "description", "release_on")
BOOLEAN_FIELDS = (
    "peers_anonymous_to_reviewee",
    "peer_names_hidden_from_hr",
    "reviewee_sees_peer_reviews",
)


# --- Settings ------------------------------------------------------------------------------


def _int(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: f"{label} must be a whole number."})
    if not low <= value <= high:
        raise ValidationError({field: f"{label} must be between {low} and {high}."})
    return value


def _date(value: Any, *, field: str, label: str, required: bool = True) -> date | None:
    if value is None and not required:
        return None
    if not isinstance(value, date):
        raise ValidationError({field: f"Give {label} as a date."})
    return value


def check_settings(cycle: Cycle) -> None:
    """Every setting of the cycle makes sense on its own and together, or a message naming
    the field."""
    cycle.name = clean_text(cycle.name, field="name", label="The cycle's name", limit=NAME_MAX)
    cycle.description = clean_text(
        cycle.description,
        field="description",
        label="The description",
        limit=TEXT_MAX,
        required=False,
    )
    _date(cycle.period_start, field="period_start", label="the start of the review period")
    _date(cycle.period_end, field="period_end", label="the end of the review period")
    if cycle.period_end < cycle.period_start:
        raise ValidationError(
            {"period_end": "The review period ends before it starts; check the two dates."}
        )
    _date(cycle.release_on, field="release_on", label="the release date", required=False)
    if cycle.use_for not in UseFor.values:
        raise ValidationError({"use_for": "Choose what the results are used for."})
    for field in BOOLEAN_FIELDS:
        if not isinstance(getattr(cycle, field), bool):
            raise ValidationError({field: "Choose yes or no."})
    _int(cycle.peers_min, field="peers_min", label="The fewest peers", low=0, high=20)
    _int(cycle.peers_max, field="peers_max", label="The most peers", low=1, high=20)
    _int(
        cycle.peer_review_cap,
        field="peer_review_cap",
        label="The most peer reviews per person",
        low=1,
        high=50,
    )
    if cycle.peers_min > cycle.peers_max:
        raise ValidationError(
            {
                "peers_min": f"The fewest peers ({cycle.peers_min}) is more than the most "
                f"peers ({cycle.peers_max})."
            }
        )
    if cycle.score_method not in ScoreMethod.values:
        raise ValidationError({"score_method": "Choose how the overall score is worked out."})
    for field in WEIGHT_FIELDS:
        label = field.removeprefix("weight_").replace("_", " ")
        _int(getattr(cycle, field), field=field, label=f"The {label} weight", low=0, high=100)
    if cycle.score_method == ScoreMethod.WEIGHTED:
        total = sum(getattr(cycle, field) for field in WEIGHT_FIELDS)
        if total != 100:
            raise ValidationError(
                {"weights": f"The weights add up to {total}; they must add up to 100."}
            )


def _changes(cycle: Cycle, fields: Mapping[str, Any]) -> dict[str, list[Any]]:
    unknown = set(fields) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This is not a setting of a cycle."})
    before = snapshot(cycle, fields)
    return diff(before, fields)


@transaction.atomic
def create_cycle(
    *, by: Any, name: str, period_start: date, period_end: date, **settings: Any
) -> Cycle:
    """A draft cycle; everything else has defaults HR changes before launching."""
    require(by, "reviews.manage")
    cycle = Cycle(created_by=by if getattr(by, "pk", None) else None)
    fields = {"name": name, "period_start": period_start, "period_end": period_end, **settings}
    _changes(cycle, fields)
    for key, value in fields.items():
        setattr(cycle, key, value)
    check_settings(cycle)
    cycle.save()
    record(
        actor=by,
        kind="review.cycle_create",
        obj=cycle,
        changes={"period": [cycle.period_start, cycle.period_end]},
    )
    return cycle


def default_templates(taking_part: Iterable[str]) -> dict[str, Template | None]:
    """For each relationship, the template a new cycle starts with: the only one of its
    kind, or else the starter kit's (by its name); None leaves HR to choose."""
    chosen: dict[str, Template | None] = {}
    for relationship in taking_part:
        active = list(
            Template.objects.filter(relationship=relationship, archived_at__isnull=True)[:2]
        )
        if len(active) == 1:
            chosen[relationship] = active[0]
            continue
        name = TEMPLATES[relationship][0] if relationship in TEMPLATES else ""
        chosen[relationship] = Template.objects.filter(
            relationship=relationship, name=name, archived_at__isnull=True
        ).first()
    return chosen


@transaction.atomic
def create_cycle_from_program(
    *,
    by: Any,
    name: str,
    period_start: date,
    period_end: date,
    starts_on: date | None,
    description: str = "",
) -> Cycle:
    """A draft cycle as the program would run it: its settings, the kinds of review taking
    part (each with its default template when there is one) and a phase schedule from
    `starts_on` (none without it), with the program's length for each phase
    (`reviews.defaults`)."""
    program = Program.current()
    cycle = create_cycle(
        by=by,
        name=name,
        period_start=period_start,
        period_end=period_end,
        description=description,
        **defaults.settings(program),
    )
    _date(starts_on, field="starts_on", label="the date the first phase opens", required=False)
    chosen = {r: t for r, t in default_templates(defaults.relationships(program)).items() if t}
    if chosen:
        set_forms(cycle, by=by, forms=chosen)
    if starts_on is not None:
        set_phases(cycle, by=by, dates=defaults.program_schedule(starts_on, program))
    return cycle


@transaction.atomic
def update_cycle(cycle: Cycle, *, by: Any, **fields: Any) -> Cycle:
    """Change settings. After launch, only the name, description and release date."""
    require(by, "reviews.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_imported:
        raise ValidationError({"name": phases.not_running(cycle, "it is a read-only record")})
    changes = _changes(cycle, fields)
    if cycle.status != CycleStatus.DRAFT:
        frozen = [field for field in changes if field not in LAUNCHED_FIELDS]
        if frozen:
            label = getattr(Cycle._meta.get_field(frozen[0]), "verbose_name", frozen[0])
            raise ValidationError(
                {frozen[0]: f"The cycle is launched, so its {label} can no longer change."}
            )
    for key, value in fields.items():
        setattr(cycle, key, value)
    check_settings(cycle)
    if changes:
        cycle.save(update_fields=list(fields))
        record(actor=by, kind="review.cycle_update", obj=cycle, changes=changes)
    return cycle


def _draft(cycle: Cycle, field: str) -> None:
    if cycle.status != CycleStatus.DRAFT:
        raise ValidationError(
            {field: "The cycle is launched; change who takes part from its participants page."}
        )


@transaction.atomic
def save_setup(
    cycle: Cycle,
    *,
    by: Any,
    settings: Mapping[str, Any],
    rules: Mapping[str, Any] | None = None,
    forms: Mapping[str, Template | None] | None = None,
    dates: Mapping[str, tuple[date, date] | None] | None = None,
) -> Cycle:
    """The cycle page's one Save: its settings, who takes part (`set_participant_rules`'s
    arguments), its templates and its phase dates, all or nothing. A refusal of any part
    names its field and leaves every part as it was, so nothing HR typed is half-saved or
    dropped."""
    update_cycle(cycle, by=by, **settings)
    if rules is not None:
        set_participant_rules(cycle, by=by, **rules)
    if forms is not None:
        set_forms(cycle, by=by, forms=forms)
    if dates is not None:
        # Saving is not launching: dates still missing are on the launch checklist.
        set_phases(cycle, by=by, dates=dates, partial=True)
    return Cycle.objects.get(pk=cycle.pk)


# --- Who takes part --------------------------------------------------------------------------


@transaction.atomic
def set_participant_rules(
    cycle: Cycle,
    *,
    by: Any,
    departments: Iterable[Department] = (),
    started_before: date | None = None,
    exclude_on_leave: bool = True,
    additions: Iterable[Person] = (),
    removals: Iterable[Person] = (),
) -> Cycle:
    """The rules that pick participants at launch; sub-departments count with their parent."""
    require(by, "reviews.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _draft(cycle, "departments")
    started_before = _date(
        started_before, field="started_before", label="the start-date rule", required=False
    )
    added = sorted({person.pk for person in additions})
    removed = sorted({person.pk for person in removals})
    both = set(added) & set(removed)
    if both:
        name = Person.objects.get(pk=min(both))
        raise ValidationError(
            {"removals": f"{name} is both added and left out; keep them in one list only."}
        )
    department_ids = sorted({department.pk for department in departments})
    before = {
        "departments": sorted(cycle.rule_departments.values_list("pk", flat=True)),
        "started_before": cycle.rule_started_before,
        "exclude_on_leave": cycle.rule_exclude_on_leave,
        "additions": sorted(cycle.manual_additions or []),
        "removals": sorted(cycle.manual_removals or []),
    }
    after = {
        "departments": department_ids,
        "started_before": started_before,
        "exclude_on_leave": bool(exclude_on_leave),
        "additions": added,
        "removals": removed,
    }
    changes = diff(before, after)
    if changes:
        cycle.rule_started_before = started_before
        cycle.rule_exclude_on_leave = bool(exclude_on_leave)
        cycle.manual_additions = added
        cycle.manual_removals = removed
        cycle.save(
            update_fields=[
                "rule_started_before",
                "rule_exclude_on_leave",
                "manual_additions",
                "manual_removals",
            ]
        )
        cycle.rule_departments.set(department_ids)
        record(actor=by, kind="review.cycle_rules", obj=cycle, changes=changes)
    return cycle


@dataclass(frozen=True)
class Preview:
    count: int
    names: list[str]


def preview_participants(cycle: Cycle) -> Preview:
    """How many people the rules pick today (counted in SQL) and the first names."""
    people = selected_people(cycle)
    first = people.order_by("sort_name", "pk").only("first_name", "preferred_name", "last_name")[
        :PREVIEW_NAMES
    ]
    return Preview(count=people.count(), names=[person.display_name for person in first])


# --- Forms ------------------------------------------------------------------------------------


@transaction.atomic
def set_forms(cycle: Cycle, *, by: Any, forms: Mapping[str, Template | None]) -> Cycle:
    """Which relationships take part and the template each uses (None: not taking part)."""
    require(by, "reviews.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _draft(cycle, "forms")
    for relationship, template in forms.items():
        if relationship not in Relationship.values:
            raise ValidationError({"forms": f"“{relationship}” is not a kind of review."})
        if template is None:
            continue
        label = Relationship(relationship).label
        if template.relationship != relationship:
            other = Relationship(template.relationship).label.lower()
            raise ValidationError(
                {relationship: f"{label}: “{template.name}” is a {other} template."}
            )
        if template.archived_at is not None:
            raise ValidationError({relationship: f"{label}: “{template.name}” is archived."})
    current = {form.relationship: form for form in CycleForm.objects.filter(cycle=cycle)}
    changes: dict[str, list[Any]] = {}
    for relationship, template in forms.items():
        form = current.get(relationship)
        old = form.template_id if form else None
        new = template.pk if template else None
        if old == new:
            continue
        changes[relationship] = [str(form.template) if form else None, str(template or "") or None]
        if template is None:
            assert form is not None
            form.delete()
        elif form is None:
            CycleForm.objects.create(cycle=cycle, relationship=relationship, template=template)
        else:
            form.template = template
            form.save(update_fields=["template"])
    if changes:
        record(actor=by, kind="review.cycle_forms", obj=cycle, changes=changes)
    return cycle


# --- Phases -----------------------------------------------------------------------------------


def _check_phases(dates: Mapping[str, tuple[date, date] | None], required: Iterable[str]) -> None:
    previous: tuple[str, date] | None = None
    needed = set(required)
    for kind in PHASE_ORDER:
        label = PhaseKind(kind).label
        window = dates.get(kind)
        if window is None:
            if kind not in needed:
                continue
            raise ValidationError({f"{kind}_opens_on": f"{label}: give the dates of this phase."})
        opens_on, due_on = window
        _date(opens_on, field=f"{kind}_opens_on", label=f"the {label.lower()} opening date")
        _date(due_on, field=f"{kind}_due_on", label=f"the {label.lower()} due date")
        if due_on < opens_on:
            raise ValidationError(
                {f"{kind}_due_on": f"{label}: the due date is before the phase opens."}
            )
        if previous is not None and opens_on < previous[1]:
            before = PhaseKind(previous[0]).label.lower()
            raise ValidationError(
                {
                    f"{kind}_opens_on": f"{label}: it opens before the {before} phase "
                    f"(on {date_format(previous[1], 'j F Y')}); phases run in order."
                }
            )
        previous = (kind, opens_on)


@transaction.atomic
def set_phases(
    cycle: Cycle,
    *,
    by: Any,
    dates: Mapping[str, tuple[date, date] | None],
    partial: bool = False,
) -> list[Phase]:
    """The dates of every phase the cycle needs (`defaults.required_phases`: the phases of
    kinds of review not taking part, and calibration, may stay undated). Works after launch
    too, to extend a deadline; each change is audited with the old and new dates. `partial`:
    phases of a draft may stay undated for now (the set-up page's one Save; launching
    still needs them), but the dates given must still make sense."""
    require(by, "reviews.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError({"phases": "The cycle is finished; its dates no longer change."})
    unknown = set(dates) - set(PHASE_ORDER)
    if unknown:
        raise ValidationError({"phases": f"“{sorted(unknown)[0]}” is not a phase."})
    # A running cycle keeps every phase it needs: its reviews are written in them.
    partial = partial and cycle.status == CycleStatus.DRAFT
    _check_phases(dates, () if partial else required_phases(cycle))
    current = {phase.kind: phase for phase in Phase.objects.filter(cycle=cycle)}
    changes: dict[str, list[Any]] = {}
    for kind in PHASE_ORDER:
        window = dates.get(kind)
        phase = current.get(kind)
        old = [phase.opens_on.isoformat(), phase.due_on.isoformat()] if phase else None
        new = [window[0].isoformat(), window[1].isoformat()] if window else None
        if old == new:
            continue
        changes[kind] = [old, new]
        if window is None:
            assert phase is not None
            phase.delete()
        elif phase is None:
            Phase.objects.create(cycle=cycle, kind=kind, opens_on=window[0], due_on=window[1])
        else:
            phase.opens_on, phase.due_on = window
            # A moved deadline may need its reminders again.
            phase.reminders_sent = []
            phase.save(update_fields=["opens_on", "due_on", "reminders_sent"])
    if changes:
        record(
            actor=by,
            kind="review.cycle_phases",
            obj=cycle,
            changes=changes,
            note="Phase dates changed after launch" if cycle.is_launched else "",
        )
    return list(Phase.objects.filter(cycle=cycle).order_by("opens_on", "id"))


def required_phases(cycle: Cycle) -> list[str]:
    """The phases this cycle must date, by the kinds of review taking part in it."""
    return defaults.required_phases(
        CycleForm.objects.filter(cycle=cycle).values_list("relationship", flat=True)
    )


# --- Launch -----------------------------------------------------------------------------------


def launch_problems(cycle: Cycle) -> dict[str, str]:
    """What stands between this draft and a launch, by field, in plain words."""
    problems: dict[str, str] = {}
    try:
        check_settings(cycle)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems[field] = messages[0]
    forms = list(CycleForm.objects.filter(cycle=cycle).select_related("template"))
    relationships = {form.relationship for form in forms}
    if not relationships & {Relationship.SELF, Relationship.MANAGER}:
        problems["forms"] = "Choose a template for the self review or the manager review."
    # Every question of the chosen templates (a few dozen), in their order: one query.
    questions = list(
        TemplateQuestion.objects.filter(
            section__template_id__in=[form.template_id for form in forms]
        )
        .order_by("section__position", "position", "pk")
        .values("section__template_id", "kind", "prompt", "scale_id", "is_overall")
    )
    with_questions = {question["section__template_id"] for question in questions}
    for form in forms:
        if form.template_id not in with_questions:
            problems.setdefault(
                "forms",
                f"{form.get_relationship_display()}: the template “{form.template.name}” has "
                "no questions yet.",
            )
    if Program.current().review_ratings_enabled:
        problems.update(_rating_problems(cycle, forms, questions))
    dated = set(Phase.objects.filter(cycle=cycle).values_list("kind", flat=True))
    needed = defaults.required_phases(relationships)
    missing = [k for k in needed if k not in dated]
    if missing:
        problems["phases"] = f"{PhaseKind(missing[0]).label}: give the dates of this phase."
    if not selected_people(cycle).exists():
        problems["participants"] = "The rules pick nobody; widen them or add people by hand."
    return problems


def uses_manager_rating(cycle: Cycle) -> bool:
    """Whether the overall score needs the manager's rating (reviews/scores.py): the
    manager-rating score, or a weighted one that gives the manager's rating a weight."""
    if cycle.score_method == ScoreMethod.MANAGER_RATING:
        return True
    return cycle.score_method == ScoreMethod.WEIGHTED and cycle.weight_manager > 0


def _rating_problems(
    cycle: Cycle, forms: Sequence[CycleForm], questions: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """What the ratings need: a scale on every rating question, and the manager template's
    question marked "overall" when the score is made of the manager's rating."""
    problems: dict[str, str] = {}
    by_template = {form.template_id: form for form in forms}
    rating = [q for q in questions if q["kind"] == QuestionKind.RATING]
    unrated = next((q for q in rating if q["scale_id"] is None), None)
    if unrated is not None:
        form = by_template[unrated["section__template_id"]]
        problems["questions"] = (
            f"{form.get_relationship_display()}: the rating question “{unrated['prompt']}” in "
            f"the template “{form.template.name}” has no rating scale. Choose a scale, or make "
            "it a free-text question."
        )
    manager = next((f for f in forms if f.relationship == Relationship.MANAGER), None)
    if manager is not None and uses_manager_rating(cycle):
        marked = any(
            q["is_overall"] and q["scale_id"] is not None
            for q in rating
            if q["section__template_id"] == manager.template_id
        )
        if not marked:
            score = (
                "the manager's rating"
                if cycle.score_method == ScoreMethod.MANAGER_RATING
                else f"weighted {cycle.weight_manager}% on the manager's rating"
            )
            problems["score"] = (
                f"The overall score is {score}, which is the manager review's question marked "
                f"“overall”, and the manager template “{manager.template.name}” has none. Mark "
                "one of its rating questions “This is the overall rating”, or choose a score "
                "without the manager's rating."
            )
    return problems


@transaction.atomic
def launch_cycle(cycle: Cycle, *, by: Any) -> Cycle:
    """Check the draft is ready, mark it launching and queue the launch after commit."""
    require(by, "reviews.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.DRAFT:
        raise ValidationError({"status": "This cycle has already been launched."})
    problems = launch_problems(cycle)
    if problems:
        raise ValidationError(problems)
    cycle.status = CycleStatus.LAUNCHING
    cycle.launched_by = by if getattr(by, "pk", None) else None
    cycle.launch_done = cycle.launch_total = 0
    cycle.launch_error = ""
    cycle.save(
        update_fields=["status", "launched_by", "launch_done", "launch_total", "launch_error"]
    )
    record(
        actor=by,
        kind="review.cycle_launch_start",
        obj=cycle,
        changes={"status": [CycleStatus.DRAFT, CycleStatus.LAUNCHING]},
    )
    enqueue_on_commit("tandem.reviews.tasks.launch_cycle_task", cycle.pk)
    return cycle


@transaction.atomic
def close_cycle(cycle: Cycle, *, by: Any) -> Cycle:
    """Finish a running cycle: nothing more is written, shared or acknowledged in it."""
    require(by, "reviews.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.ACTIVE:
        raise ValidationError({"status": "Only a running cycle can be finished."})
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    record(
        actor=by,
        kind="review.cycle_close",
        obj=cycle,
        changes={"status": [CycleStatus.ACTIVE, CycleStatus.CLOSED]},
    )
    return cycle
