"""A cycle's fairness figures over the API: per group of a protected attribute, before or
after calibration. HR admins who hold the people-analytics role only; anyone else is
answered 404, exactly like a cycle that does not exist.

The shapes live here rather than in a shared schemas module: they belong to this one
operation, and the rater-effects operations keep theirs beside them.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from tandem.core.api import ERRORS, MAX_ID, NOT_FOUND
from tandem.fairness.queries import groups as group_queries

router = Router(tags=["fairness"])


class FairnessFilters(Schema):
    attribute: str = Field(
        max_length=50, description='The protected attribute\'s key, e.g. "gender", "age_band".'
    )
    stage: Literal["raw", "calibrated"] = Field(
        "calibrated",
        description="raw: the manager's rating; calibrated: the rating of record (the final "
        "rating once calibrated, else the manager's).",
    )


class GroupOut(Schema):
    group: str = Field(description='The value, or "Not given" for people without one.')
    n: int | None = Field(description="Rated people in the group; null when suppressed.")
    mean_rating: float | None
    top_share: float | None = Field(description="Share at the scale's top point, 0 to 1.")
    bottom_share: float | None = Field(description="Share at the scale's bottom point, 0 to 1.")
    impact_ratio: float | None = Field(
        description="top_share over the highest top_share among the groups shown; below 0.8 "
        "fails the four-fifths rule."
    )
    suppressed: bool = Field(
        description="True when the group has fewer people than min_group_size (its figures "
        "are null and it is left out of the ratios and the test)."
    )


class TestOut(Schema):
    method: str = Field(description='"chi-square": test of independence of group and rating.')
    statistic: float | None
    dof: int | None
    p_value: float | None = Field(description="Null when fewer than two groups are shown.")


class FairnessOut(Schema):
    attribute: str
    min_group_size: int
    groups: list[GroupOut]
    test: TestOut


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


@router.get(
    "/reviews/cycles/{cycle_id}/fairness",
    response={200: FairnessOut, **NOT_FOUND, **ERRORS},
    summary="Fairness figures of a cycle per group of a protected attribute",
    description="Per group: rated people, mean rating, shares at the top and bottom points, "
    "impact ratio; and a chi-square test of group × rating. Groups smaller than the "
    "program's anonymity minimum are suppressed. HR admins with the people-analytics role "
    "only (404 for anyone else); an unknown attribute answers 422.",
)
def get_cycle_fairness(
    request: HttpRequest, cycle_id: int, filters: Query[FairnessFilters]
) -> dict[str, Any]:
    cycle = group_queries.cycle_of(request.user, min(cycle_id, MAX_ID))
    try:
        attribute = group_queries.attribute_by_key(filters.attribute)
    except group_queries.UnknownChoice as error:
        raise _invalid(error.field, str(error)) from None
    found = group_queries.figures(request.user, cycle, attribute=attribute, stage=filters.stage)
    return {
        "attribute": attribute.key,
        "min_group_size": found.min_group_size,
        "groups": [
            {
                "group": g.group,
                "n": g.n,
                "mean_rating": g.mean_rating,
                "top_share": g.top_share,
                "bottom_share": g.bottom_share,
                "impact_ratio": g.impact_ratio,
                "suppressed": g.suppressed,
            }
            for g in found.groups
        ],
        "test": {
            "method": found.test.method,
            "statistic": found.test.statistic,
            "dof": found.test.dof,
            "p_value": found.test.p_value,
        },
    }
