"""The access matrix for protected attributes and fairness figures: HR admins who hold the
people-analytics role only, and no one in the matrix's cast holds it — so every role,
HR admins included, is answered 404 like a missing page (tests/fairness/ checks that a
people analyst opens them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tests.access.matrix import (
    Org,
    Row,
    api,
    case_ids,
    cases,
    check_api_case,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)
from tests.access.reviews_cleanup import delete_cycles
from tests.reviews.factories import running_cycle

NO_ONE: tuple[str, ...] = ()

MATRIX: tuple[Row, ...] = (
    Row(
        "fairness:attributes",
        "groups and upload",
        lambda o: url("fairness:attributes"),
        expect(NO_ONE),
    ),
    Row(
        "fairness:attributes",
        "an upload without a file",
        lambda o: url("fairness:attributes"),
        expect(NO_ONE),
        method="POST",
        data={"action": "import"},
    ),
    Row(
        "fairness:cycle",
        "a running cycle",
        lambda o: url("fairness:cycle", pk(o, "fairness_cycle")),
        expect(NO_ONE),
    ),
    Row(
        "api:get_cycle_fairness",
        "by gender",
        lambda o: url("api:get_cycle_fairness", pk(o, "fairness_cycle")) + "?attribute=gender",
        api(NO_ONE),
    ),
)

register_tables(ProtectedAttribute, PersonAttribute)


def _build(org: Org) -> None:
    cycle = running_cycle([org.owner])
    gender = ProtectedAttribute.objects.create(key="gender", label="Gender")
    PersonAttribute.objects.create(person=org.owner, attribute=gender, value="Zorblax")
    org.extras["fairness_cycle"] = cycle


def _tear_down(org: Org) -> None:
    ProtectedAttribute.objects.all().delete()
    if "fairness_cycle" in org.extras:
        delete_cycles([pk(org, "fairness_cycle")])


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_api_case(row, role, org)
