"""The access matrix for a first cycle in minutes (issue 16, item 7): the starter kit.

HR admins only: every other signed-in role gets a 404 for the POST, which then creates
nothing (the matrix compares the setup tables before and after), and a visitor is sent
to sign in. The new-cycle page, the set-up page with its phase dates, the launch and
sharing keep their rows in test_matrix_reviews_setup.py and test_matrix_reviews_writing.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.reviews.models import (
    RatingScale,
    Template,
    TemplateQuestion,
    TemplateSection,
)
from tandem.reviews.services.starter import SCALE_NAME, TEMPLATES
from tests.access.matrix import (
    HR_ADMIN,
    Org,
    Row,
    assert_rows_build_their_own_urls,
    case_ids,
    cases,
    check_case,
    expect,
    matrix_org,
    register_tables,
    url,
)

MATRIX: tuple[Row, ...] = (
    Row(
        "reviews:starter_kit",
        "create the starter kit",
        lambda o: url("reviews:starter_kit"),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
)

register_tables(RatingScale, Template, TemplateSection, TemplateQuestion)


def _tear_down(org: Org) -> None:
    # The kit made by the HR admin's allowed POST (rolled back with the test) and nothing
    # else: the matrix's org outlives its tests.
    Template.objects.filter(name__in=[t[0] for t in TEMPLATES.values()]).delete()
    RatingScale.objects.filter(name=SCALE_NAME).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_case(row, role, org)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(list(MATRIX), org)
