"""The access matrix for the feedback coach: everyone signed in may have a text checked;
the counts are HR's (admins and partners); the company's words are managed by HR admins.
Playbooks: everyone signed in reads them and keeps their own progress; completion per
manager is HR's (admins and partners); editing and publishing is HR admins'."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.coach.models import (
    CoachTally,
    CoachWord,
    Playbook,
    PlaybookProgress,
    PlaybookQuestion,
    PlaybookStep,
)
from tandem.coach.services import playbooks as playbook_services
from tests.access.matrix import (
    HR_ADMIN,
    HR_PARTNER,
    OTHER_PARTNER,
    Org,
    Row,
    api,
    body,
    case_ids,
    cases,
    check_api_case,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)

HR = (HR_ADMIN, HR_PARTNER, OTHER_PARTNER)
SBI = "giving-feedback-sbi"

MATRIX: tuple[Row, ...] = (
    Row(
        "coach:panel",
        "a text being written",
        lambda o: url("coach:panel"),
        expect(),
        method="POST",
        data={"kind": "feedback", "field": "text", "text": "She is abrasive. Good job."},
    ),
    Row("coach:stats", "the counts", lambda o: url("coach:stats"), expect(HR)),
    Row(
        "coach:add_word",
        "an empty word",
        lambda o: url("coach:add_word"),
        expect(HR_ADMIN, ok=400),
        method="POST",
        data={"word": ""},
    ),
    Row(
        "coach:remove_word",
        "a company word",
        lambda o: url("coach:remove_word", pk(o, "word")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "api:check_text",
        "a text",
        lambda o: url("api:check_text"),
        api(),
        method="POST",
        data=body(lambda o: {"text": "You never listen.", "kind": "feedback"}),
    ),
    Row("coach:playbooks", "the list", lambda o: url("coach:playbooks"), expect()),
    Row("coach:playbook", "a published playbook", lambda o: url("coach:playbook", SBI), expect()),
    Row(
        "coach:step_done",
        "step 1",
        lambda o: url("coach:step_done", SBI, 1),
        expect(ok=302),
        method="POST",
    ),
    Row(
        "coach:quiz",
        "no answers",
        lambda o: url("coach:quiz", SBI),
        expect(),
        method="POST",
        data={"q1": "0"},
    ),
    Row("coach:hr_playbooks", "completion", lambda o: url("coach:hr_playbooks"), expect(HR)),
    Row(
        "coach:hr_playbook",
        "the edit form",
        lambda o: url("coach:hr_playbook", SBI),
        expect(HR_ADMIN),
    ),
    Row(
        "coach:hr_playbook",
        "an empty edit",
        lambda o: url("coach:hr_playbook", SBI),
        expect(HR_ADMIN, ok=400),
        method="POST",
        data={"title": ""},
    ),
    Row(
        "coach:hr_publish",
        "publish a published one",
        lambda o: url("coach:hr_publish", SBI),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"published": "1"},
    ),
    Row("api:list_playbooks", "my progress", lambda o: url("api:list_playbooks"), api()),
    Row(
        "api:answer_quiz",
        "one answer",
        lambda o: url("api:answer_quiz", SBI),
        api(),
        method="POST",
        data=body(lambda o: {"answers": [0]}),
    ),
    Row(
        "api:mark_step_done",
        "step 1",
        lambda o: url("api:mark_step_done", SBI, 1),
        api(),
        method="POST",
    ),
)

register_tables(CoachWord, CoachTally, Playbook, PlaybookStep, PlaybookQuestion, PlaybookProgress)


def _build(org: Org) -> None:
    org.extras["word"] = CoachWord.objects.create(word="grumpy", better="Say what happened.")
    playbook_services.load_shipped()  # idempotent: the migration loaded them already


def _tear_down(org: Org) -> None:
    CoachWord.objects.all().delete()
    CoachTally.objects.all().delete()
    PlaybookProgress.objects.all().delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_api_case(row, role, org)
