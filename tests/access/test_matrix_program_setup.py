"""The access matrix for the program's guided set-up: resuming it, each of its steps, saving
a step and finishing.

The set-up designs the company's program, so it is HR admins' alone: everyone else gets 404
on every step, by GET or POST, and a refused POST changes nothing. A step that does not
exist is 404 for everyone, HR admins included (never 500)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.program import setup as guided
from tandem.program.models import ProgramChange, ProgramSetup
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

NOBODY: tuple[str, ...] = ()

MATRIX: tuple[Row, ...] = (
    Row(
        "program:setup",
        "resume at the first step not done",
        lambda o: url("program:setup"),
        expect(HR_ADMIN, ok=302),
    ),
    *(
        Row(
            "program:setup_step",
            f"the {step.key} step",
            lambda o, key=step.key: url("program:setup_step", key),
            expect(HR_ADMIN),
        )
        for step in guided.STEPS
    ),
    Row(
        "program:setup_step",
        "a step that does not exist",
        lambda o: url("program:setup_step", "no-such-step"),
        expect(NOBODY),
    ),
    Row(
        "program:setup_step",
        "save the why step with nothing filled in",
        lambda o: url("program:setup_step", "why"),
        expect(HR_ADMIN),
        method="POST",
    ),
    Row(
        "program:setup_step",
        "save the why step",
        lambda o: url("program:setup_step", "why"),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"purposes": ["growth"], "purpose_statement": "Matrix"},
    ),
    Row(
        "program:setup_step",
        "save the visibility step below the anonymity floor",
        lambda o: url("program:setup_step", "visibility"),
        expect(HR_ADMIN),
        method="POST",
        data={"anonymity_minimum": "2"},
    ),
    Row(
        "program:setup_step",
        "add people later",
        lambda o: url("program:setup_step", "people"),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "program:setup_step",
        "finish with steps not done",
        lambda o: url("program:setup_step", "review"),
        expect(HR_ADMIN),
        method="POST",
    ),
)

register_tables(ProgramSetup, ProgramChange)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_case(row, role, org)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
