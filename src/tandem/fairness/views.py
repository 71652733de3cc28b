"""The fairness pages, for HR admins who hold the people-analytics role.

- `attributes` (fairness:attributes): upload a protected-attributes file (check it, or
  import it: all or nothing), and each attribute with its group counts. Only counts are
  shown, never a person's value, so the page itself reads no one's values.
- `cycle` (fairness:cycle): a cycle's fairness figures per group of an attribute, before
  and after calibration side by side, with the impact ratios, the chi-square test in plain
  words and a chart of the top-rating shares.

Thin: the reads are fairness.queries, the import fairness.services.attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from tandem.access.rules import require
from tandem.core import charts
from tandem.core.http import AuthedHttpRequest
from tandem.fairness.forms import AttributesUploadForm, FairnessChoiceForm
from tandem.fairness.queries import attributes as attribute_queries
from tandem.fairness.queries import groups as group_queries
from tandem.fairness.services.attributes import AttributeImportResult, import_attributes


@login_required
def attributes(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "fairness.attributes.manage")
    form = AttributesUploadForm()
    result: AttributeImportResult | None = None
    status = 200
    if request.method == "POST":
        form = AttributesUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_attributes(
                data=upload.read(),
                file_name=upload.name or "",
                by=request.user,
                dry_run=request.POST.get("action") != "import",
            )
            if result.ok and result.applied:
                form = AttributesUploadForm()
            status = 200 if result.ok else 400
        else:
            status = 400
    summaries, minimum = attribute_queries.summaries(request.user)
    return render(
        request,
        "fairness/attributes.html",
        {
            "form": form,
            "result": result,
            "summaries": summaries,
            "minimum": minimum,
            "cycles": group_queries.recent_cycles(request.user),
        },
        status=status,
    )


@dataclass(frozen=True)
class SideBySide:
    """One group's figures before and after calibration."""

    group: str
    before: group_queries.GroupFigures | None
    after: group_queries.GroupFigures | None

    @property
    def suppressed(self) -> bool:
        return all(f is None or f.suppressed for f in (self.before, self.after))


def _side_by_side(before: group_queries.Figures, after: group_queries.Figures) -> list[SideBySide]:
    by_group_before = {g.group: g for g in before.groups}
    by_group_after = {g.group: g for g in after.groups}
    order = [g.group for g in before.groups]
    order += [g.group for g in after.groups if g.group not in by_group_before]
    return [SideBySide(g, by_group_before.get(g), by_group_after.get(g)) for g in order]


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def _top_share_chart(rows: list[SideBySide]) -> charts.BarChart:
    bars = []
    for row in rows:
        if row.suppressed:
            continue
        for stage, figures in (("before", row.before), ("after", row.after)):
            if figures is None or figures.top_share is None:
                continue
            bars.append(
                charts.BarInput(
                    key=f"{row.group}-{stage}",
                    label=f"{row.group}, {stage} calibration",
                    value=round(figures.top_share * 100, 2),
                    display=_percent(figures.top_share),
                )
            )
    summary = "; ".join(f"{bar.label}: {bar.display} at the top rating" for bar in bars)
    return charts.bar_chart(bars, sort="given", maximum=100, summary=summary)


@login_required
def cycle(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    found_cycle = group_queries.cycle_of(request.user, cycle_id)
    choices = attribute_queries.attribute_choices(request.user)
    context: dict[str, Any] = {"cycle": found_cycle, "has_attributes": bool(choices), "rows": None}
    if not choices:
        return render(request, "fairness/cycle.html", context)
    data = request.GET if "attribute" in request.GET else {"attribute": choices[0][0]}
    form = FairnessChoiceForm(
        data, attributes=choices, departments=group_queries.top_level_departments()
    )
    context["form"] = form
    if not form.is_valid():
        return render(request, "fairness/cycle.html", context, status=400)
    attribute = group_queries.attribute_by_key(form.cleaned_data["attribute"])
    department = form.cleaned_data["department"]
    both = group_queries.before_and_after(
        request.user, found_cycle, attribute=attribute, department=department
    )
    before, after = both[group_queries.Stage.RAW], both[group_queries.Stage.CALIBRATED]
    rows = _side_by_side(before, after)
    context.update(
        {
            "attribute": attribute,
            "department": department,
            "before": before,
            "after": after,
            "rows": rows,
            "minimum": after.min_group_size,
            "suppressed": sum(1 for r in rows if r.suppressed),
            "before_words": group_queries.in_words(before.test),
            "after_words": group_queries.in_words(after.test),
            "chart": _top_share_chart(rows),
            "four_fifths": group_queries.FOUR_FIFTHS,
        }
    )
    return render(request, "fairness/cycle.html", context)
