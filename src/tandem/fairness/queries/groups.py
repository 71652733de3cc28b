"""Fairness figures of a cycle per group of a protected attribute.

For a cycle, an attribute and a stage — `raw` (the manager's rating) or `calibrated` (the
rating of record: the final rating once calibrated, else the manager's) — each group gets
its number of rated people, mean rating, share at the top and at the bottom point of the
scale, and its impact ratio (its top share over the highest top share among the groups
shown; below 0.8 it is flagged, the four-fifths rule). A chi-square test of independence of
group and rating (scipy) says whether ratings differ between groups more than chance would.

The counts per (group, rating) cell are aggregated in SQL; everything else is arithmetic on
that small table. People with no value form the "Not given" group.

Small groups are never shown: a group with fewer rated people than the program's anonymity
minimum is "fewer than N", without figures, and left out of the ratios and the test.

Differencing: the views offered are the whole cycle and each top-level department (with its
sub-departments; the participant's department at launch). Any sum or difference of such
views is a union of "blocks" — the people of one top-level department, or those without a
department. A department view shows a group only when every block of that group holds no
one or at least the minimum, so no combination of views — the whole cycle minus a
department, minus two departments, … — isolates fewer people than the minimum. This implies
the simpler rule "the group, and the rest of it outside the view, are each empty or at least
the minimum". Sub-departments are not offered as filters: their blocks would be too small
for most groups to be shown at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from scipy.stats import chi2_contingency

from tandem.access.rules import require
from tandem.core import anonymity
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.org.models import Department
from tandem.program.models import Program
from tandem.reviews.queries import ratings
from tandem.reviews.queries.setup import cycle_for, cycles

NOT_GIVEN = "Not given"
FOUR_FIFTHS = 0.8


class Stage:
    RAW = "raw"
    CALIBRATED = "calibrated"


STAGES = {Stage.RAW: "Before calibration", Stage.CALIBRATED: "After calibration"}


class UnknownChoice(ValueError):
    """An attribute or stage that does not exist; `field` names the parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class GroupFigures:
    """One group's figures; every figure is None when the group is suppressed."""

    group: str
    n: int | None
    mean_rating: float | None
    top_share: float | None
    bottom_share: float | None
    impact_ratio: float | None
    suppressed: bool

    @property
    def flagged(self) -> bool:
        """Below the four-fifths rule."""
        return self.impact_ratio is not None and self.impact_ratio < FOUR_FIFTHS


@dataclass(frozen=True)
class ChiSquare:
    statistic: float | None
    dof: int | None
    p_value: float | None
    method: str = "chi-square"

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < 0.05


@dataclass
class Figures:
    attribute: ProtectedAttribute
    stage: str
    min_group_size: int
    points: int | None
    groups: list[GroupFigures] = field(default_factory=list)
    test: ChiSquare = field(default_factory=lambda: ChiSquare(None, None, None))

    @property
    def suppressed_count(self) -> int:
        return sum(1 for g in self.groups if g.suppressed)


def minimum_group_size() -> int:
    return anonymity.group_minimum(Program.current().anonymity_minimum)


def attribute_by_key(key: str) -> ProtectedAttribute:
    found = ProtectedAttribute.objects.filter(key=key).first()
    if found is None:
        known = ", ".join(ProtectedAttribute.objects.values_list("key", flat=True)) or "none yet"
        raise UnknownChoice(
            "attribute", f"Unknown attribute “{key}”; the attributes imported are: {known}."
        )
    return found


def check_stage(stage: str) -> str:
    if stage not in STAGES:
        raise UnknownChoice("stage", f"Unknown stage “{stage}”; use raw or calibrated.")
    return stage


CYCLES_LISTED = 12


def recent_cycles(user: Any) -> list[Any]:
    """The latest launched cycles, newest first, to open their fairness figures from."""
    require(user, "fairness.view")
    return list(cycles(user).exclude(status="draft")[:CYCLES_LISTED])


def cycle_of(user: Any, cycle_id: int) -> Any:
    """The cycle, for a reader of fairness figures; 404 (NotAllowed) for anyone else."""
    require(user, "fairness.view")
    return cycle_for(user, cycle_id)


Cells = dict[str, dict[int, int]]  # {group: {rating: number of people}}
Blocks = dict[str, dict[int | None, int]]  # {group: {top-level department id: people}}


@dataclass
class _Counts:
    view: Cells = field(default_factory=lambda: defaultdict(dict))
    blocks: Blocks = field(default_factory=lambda: defaultdict(dict))


def top_level_departments() -> QuerySet[Department]:
    """The departments the fairness figures may be narrowed to (see the module docstring)."""
    return Department.objects.filter(parent=None).order_by("name")


def _counts(
    cycle: Any, attribute: ProtectedAttribute, department: Department | None
) -> dict[str, _Counts]:
    """{stage: counts}: the view's cells and the blocks of each group, from one SQL query
    grouped by (group, department at launch, manager's rating, rating of record)."""
    # Typed loosely: the plugin does not see rated_participants' annotations.
    participants: QuerySet[Any] = ratings.rated_participants(cycle)
    counts = {stage: _Counts() for stage in STAGES}
    prefix = department.path if department is not None else None
    for row in _grouped_rows(participants, attribute):
        group = row["group"] or NOT_GIVEN
        path = row["department__path"] or ""
        top = int(path.strip("/").split("/")[0]) if path.strip("/") else None
        in_view = prefix is None or path.startswith(prefix)
        raw, final = row["raw_rating"], row["final_rating"]
        of_record = final if final is not None else raw
        for stage, rating in ((Stage.RAW, raw), (Stage.CALIBRATED, of_record)):
            if rating is None:
                continue
            stage_counts = counts[stage]
            blocks = stage_counts.blocks[group]
            blocks[top] = blocks.get(top, 0) + row["people"]
            if in_view:
                cells = stage_counts.view[group]
                cells[int(rating)] = cells.get(int(rating), 0) + row["people"]
    return counts


def _grouped_rows(
    participants: QuerySet[Any], attribute: ProtectedAttribute
) -> list[dict[str, Any]]:
    """The participants counted by (group, department path at launch, manager's rating,
    rating of record). The group comes from a LEFT JOIN on the attribute's values: as a
    correlated subquery PostgreSQL looked it up once per participant (95,000 index probes,
    ~285 ms at 100,000 people), where the join reads the attribute's rows once."""
    inner = (
        participants.annotate(
            f_person=F("person_id"),
            f_path=F("department__path"),
            f_raw=F("raw_rating"),
            f_final=F("final_rating"),
        )
        .values("f_person", "f_path", "f_raw", "f_final")
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    table = PersonAttribute._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.value, p.f_path, p.f_raw, p.f_final, COUNT(*) FROM ({sql}) p "  # noqa: S608 -- Django's own SQL and a model's table name
            f"LEFT JOIN {table} a ON a.person_id = p.f_person AND a.attribute_id = %s "
            "GROUP BY a.value, p.f_path, p.f_raw, p.f_final",
            [*params, attribute.pk],
        )
        return [
            {
                "group": group,
                "department__path": path,
                "raw_rating": raw,
                "final_rating": final,
                "people": people,
            }
            for group, path, raw, final, people in cursor.fetchall()
        ]


def figures(
    user: Any,
    cycle: Any,
    *,
    attribute: ProtectedAttribute,
    stage: str = Stage.CALIBRATED,
    department: Department | None = None,
) -> Figures:
    """The fairness figures of `cycle` for `attribute` at `stage` (see the module docstring).
    `department` (top-level) narrows them to it and its sub-departments."""
    check_stage(stage)
    return before_and_after(user, cycle, attribute=attribute, department=department)[stage]


def before_and_after(
    user: Any,
    cycle: Any,
    *,
    attribute: ProtectedAttribute,
    department: Department | None = None,
) -> dict[str, Figures]:
    """The figures of both stages, {stage: Figures}, from the same counts."""
    require(user, "fairness.view", cycle)
    if department is not None and department.parent_id is not None:
        raise UnknownChoice(
            "department", "Fairness figures are narrowed to top-level departments only."
        )
    minimum = minimum_group_size()
    found = ratings.overall_question(cycle)
    points = found[1] if found else None
    if points is None:
        return {
            stage: Figures(attribute=attribute, stage=stage, min_group_size=minimum, points=None)
            for stage in STAGES
        }
    counts = _counts(cycle, attribute, department)
    return {
        stage: _figures(
            Figures(attribute=attribute, stage=stage, min_group_size=minimum, points=points),
            counts[stage].view,
            counts[stage].blocks if department is not None else None,
        )
        for stage in STAGES
    }


def _figures(result: Figures, cells: Cells, blocks: Blocks | None) -> Figures:
    """`blocks` is None for the whole cycle, else the blocks of a department view's groups."""
    minimum, points = result.min_group_size, result.points
    shown: Cells = {}
    for group, counts in cells.items():
        if sum(counts.values()) < minimum:
            continue
        if blocks is not None and any(0 < n < minimum for n in blocks[group].values()):
            continue
        shown[group] = counts

    top_shares = {g: c.get(points or 0, 0) / sum(c.values()) for g, c in shown.items()}
    highest = max(top_shares.values(), default=0.0)
    for group in sorted(cells, key=lambda g: (g == NOT_GIVEN, g.casefold())):
        if group not in shown:
            result.groups.append(GroupFigures(group, None, None, None, None, None, True))
            continue
        counts = shown[group]
        n = sum(counts.values())
        mean = sum(rating * people for rating, people in counts.items()) / n
        result.groups.append(
            GroupFigures(
                group=group,
                n=n,
                mean_rating=mean,
                top_share=top_shares[group],
                bottom_share=counts.get(1, 0) / n,
                impact_ratio=top_shares[group] / highest if highest else None,
                suppressed=False,
            )
        )
    result.test = chi_square(shown)
    return result


def chi_square(cells: Cells) -> ChiSquare:
    """Chi-square test of independence of group and rating over the groups shown; ratings
    nobody in these groups received are left out (they carry no information and would make
    an expected count zero). None when fewer than two groups or two ratings remain."""
    groups = sorted(cells)
    used = sorted({rating for counts in cells.values() for rating in counts})
    if len(groups) < 2 or len(used) < 2:
        return ChiSquare(None, None, None)
    table = [[cells[g].get(rating, 0) for rating in used] for g in groups]
    outcome = chi2_contingency(table)
    return ChiSquare(
        statistic=float(outcome.statistic),
        dof=int(outcome.dof),
        p_value=float(outcome.pvalue),
    )


def in_words(test: ChiSquare) -> str:
    """The test in plain words for the page."""
    if test.p_value is None:
        return "Not enough groups large enough to show to test whether ratings differ between them."
    p = f"p = {test.p_value:.2f}" if test.p_value >= 0.01 else "p < 0.01"
    if test.significant:
        return f"Ratings differ between groups more than chance would explain ({p})."
    return f"No evidence of a difference in ratings between groups ({p})."
