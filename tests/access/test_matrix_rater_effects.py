"""The access matrix for rater effects: HR admins only; the owner's managers, HR partners
(even covering the owner), executives and everyone else get 404, like a missing cycle.

The owner is reviewed in a running cycle by themselves and their manager (both submitted,
with ratings), so there is an estimate to compute: the first allowed GET computes it (a
small cycle, at once) and caches it, one of the writes a GET may make (GET_WRITES_ALLOWED).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.fairness.models import RaterEffects
from tandem.reviews.models import Relationship
from tests.access.matrix import (
    HR_ADMIN,
    MANAGER,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    case_ids,
    cases,
    check_api_case,
    matrix_org,
    pk,
    register_tables,
    url,
)
from tests.access.reviews_cleanup import delete_cycles
from tests.reviews.factories import review_of, running_cycle
from tests.reviews.running_helpers import submit

register_tables(RaterEffects)

MATRIX: tuple[Row, ...] = (
    Row(
        "api:get_cycle_rater_effects",
        "a cycle with ratings",
        lambda o: url("api:get_cycle_rater_effects", pk(o, "rater_effects_cycle")),
        api(HR_ADMIN),
    ),
)


def _build(org: Org) -> None:
    cycle = running_cycle([org.owner])
    submit(review_of(cycle, org.owner, Relationship.SELF), {"q1": 4})
    submit(review_of(cycle, org.owner, Relationship.MANAGER, org.people[MANAGER]), {"q1": 3})
    org.extras["rater_effects_cycle"] = cycle


def _tear_down(org: Org) -> None:
    if "rater_effects_cycle" in org.extras:
        delete_cycles([pk(org, "rater_effects_cycle")])


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_api_case(row, role, org)


def test_every_matrix_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
