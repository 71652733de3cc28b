"""The access matrix for the HR setup pages of review cycles: scales, templates, cycles,
the launch and participants. HR admins only; every other signed-in role gets a 404 (also
for a POST, which then changes nothing) and a visitor is sent to sign in. Allowed writes
run inside the test's transaction and are rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.reviews.models import (
    Cycle,
    CycleForm,
    Participant,
    Phase,
    RatingScale,
    RatingsImport,
    Template,
    TemplateQuestion,
    TemplateSection,
    TemplateVersion,
)
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
    pk,
    register_tables,
    url,
)
from tests.access.reviews_cleanup import delete_cycles
from tests.factories import hr_admin
from tests.reviews.factories import (
    CycleFactory,
    RatingScaleFactory,
    open_phases,
    running_cycle,
    template_with_questions,
)

HR = expect(HR_ADMIN)
FORM = expect(HR_ADMIN, ok=(200, 302))
REDIRECT = expect(HR_ADMIN, ok=302)


register_tables(
    RatingScale,
    Template,
    TemplateSection,
    TemplateQuestion,
    TemplateVersion,
    Cycle,
    CycleForm,
    Phase,
    Participant,
    RatingsImport,
)

MATRIX: tuple[Row, ...] = (
    Row("reviews:admin", "overview", lambda o: url("reviews:admin"), HR),
    # --- Scales ------------------------------------------------------------------------------
    Row("reviews:scales", "list", lambda o: url("reviews:scales"), HR),
    Row("reviews:scale_new", "form", lambda o: url("reviews:scale_new"), HR),
    Row("reviews:scale_new", "empty", lambda o: url("reviews:scale_new"), FORM, method="POST"),
    Row(
        "reviews:scale_edit",
        "form",
        lambda o: url("reviews:scale_edit", pk(o, "setup_scale")),
        HR,
    ),
    Row(
        "reviews:scale_edit",
        "empty",
        lambda o: url("reviews:scale_edit", pk(o, "setup_scale")),
        FORM,
        method="POST",
    ),
    Row(
        "reviews:scale_archive",
        "archive",
        lambda o: url("reviews:scale_archive", pk(o, "setup_scale")),
        REDIRECT,
        method="POST",
    ),
    # --- Templates ---------------------------------------------------------------------------
    Row("reviews:templates", "list", lambda o: url("reviews:templates"), HR),
    Row("reviews:template_new", "form", lambda o: url("reviews:template_new"), HR),
    Row(
        "reviews:template_new", "empty", lambda o: url("reviews:template_new"), FORM, method="POST"
    ),
    Row(
        "reviews:template_edit",
        "editor",
        lambda o: url("reviews:template_edit", pk(o, "setup_template")),
        HR,
    ),
    Row(
        "reviews:template_edit",
        "empty",
        lambda o: url("reviews:template_edit", pk(o, "setup_template")),
        FORM,
        method="POST",
    ),
    Row(
        "reviews:template_duplicate",
        "copy",
        lambda o: url("reviews:template_duplicate", pk(o, "setup_template")),
        REDIRECT,
        method="POST",
    ),
    Row(
        "reviews:template_archive",
        "archive",
        lambda o: url("reviews:template_archive", pk(o, "setup_template")),
        REDIRECT,
        method="POST",
    ),
    Row(
        "reviews:template_section_add",
        "empty",
        lambda o: url("reviews:template_section_add", pk(o, "setup_template")),
        FORM,
        method="POST",
    ),
    Row(
        "reviews:template_section_edit",
        "rename",
        lambda o: url("reviews:template_section_edit", pk(o, "setup_section")),
        FORM,
        method="POST",
    ),
    Row(
        "reviews:template_section_move",
        "down",
        lambda o: url("reviews:template_section_move", pk(o, "setup_section")),
        REDIRECT,
        method="POST",
        data={"direction": "down"},
    ),
    Row(
        "reviews:template_section_delete",
        "delete",
        lambda o: url("reviews:template_section_delete", pk(o, "setup_section")),
        REDIRECT,
        method="POST",
    ),
    Row(
        "reviews:template_question_add",
        "form",
        lambda o: url("reviews:template_question_add", pk(o, "setup_section")),
        HR,
    ),
    Row(
        "reviews:template_question_add",
        "empty",
        lambda o: url("reviews:template_question_add", pk(o, "setup_section")),
        FORM,
        method="POST",
    ),
    Row(
        "reviews:template_question_edit",
        "form",
        lambda o: url("reviews:template_question_edit", pk(o, "setup_question")),
        HR,
    ),
    Row(
        "reviews:template_question_edit",
        "empty",
        lambda o: url("reviews:template_question_edit", pk(o, "setup_question")),
        FORM,
        method="POST",
    ),
    Row(
        "reviews:template_question_move",
        "up",
        lambda o: url("reviews:template_question_move", pk(o, "setup_question")),
        REDIRECT,
        method="POST",
        data={"direction": "up"},
    ),
    Row(
        "reviews:template_question_delete",
        "delete",
        lambda o: url("reviews:template_question_delete", pk(o, "setup_question")),
        REDIRECT,
        method="POST",
    ),
    # --- Cycles ------------------------------------------------------------------------------
    Row("reviews:cycle_new", "form", lambda o: url("reviews:cycle_new"), HR),
    Row("reviews:cycle_new", "empty", lambda o: url("reviews:cycle_new"), FORM, method="POST"),
    Row(
        "reviews:cycle_edit",
        "a draft",
        lambda o: url("reviews:cycle_edit", pk(o, "setup_draft")),
        HR,
    ),
    Row(
        "reviews:cycle_edit",
        "empty",
        lambda o: url("reviews:cycle_edit", pk(o, "setup_draft")),
        FORM,
        method="POST",
        data={"part": "basics"},
    ),
    Row(
        "reviews:cycle_setup",
        "a draft",
        lambda o: url("reviews:cycle_setup", pk(o, "setup_draft")),
        HR,
    ),
    Row(
        "reviews:cycle_setup",
        "a running cycle",
        lambda o: url("reviews:cycle_setup", pk(o, "setup_running")),
        HR,
    ),
    Row(
        "reviews:cycle_launch",
        "the confirmation of a draft",
        lambda o: url("reviews:cycle_launch", pk(o, "setup_draft")),
        HR,
    ),
    Row(
        "reviews:cycle_launch",
        "a draft that is not ready",
        lambda o: url("reviews:cycle_launch", pk(o, "setup_draft")),
        REDIRECT,
        method="POST",
    ),
    Row(
        "reviews:cycle_launch_progress",
        "a running cycle",
        lambda o: url("reviews:cycle_launch_progress", pk(o, "setup_running")),
        HR,
    ),
    Row(
        "reviews:cycle_phases",
        "a running cycle",
        lambda o: url("reviews:cycle_phases", pk(o, "setup_running")),
        HR,
    ),
    Row(
        "reviews:cycle_phases",
        "empty",
        lambda o: url("reviews:cycle_phases", pk(o, "setup_running")),
        FORM,
        method="POST",
    ),
    Row(
        "reviews:cycle_close",
        "a running cycle",
        lambda o: url("reviews:cycle_close", pk(o, "setup_running")),
        REDIRECT,
        method="POST",
    ),
    # --- Past ratings from a file ---------------------------------------------------------------
    Row("reviews:ratings_import", "upload form", lambda o: url("reviews:ratings_import"), HR),
    Row(
        "reviews:ratings_import",
        "no file",
        lambda o: url("reviews:ratings_import"),
        HR,
        method="POST",
        data={"action": "upload"},
    ),
    Row(
        "reviews:ratings_import",
        "own check",
        lambda o: url("reviews:ratings_import") + f"?upload={pk(o, 'setup_import_own')}",
        HR,
    ),
    # Another HR admin's upload: private to them, so a 404 even for this HR admin.
    Row(
        "reviews:ratings_import",
        "another admin's check",
        lambda o: url("reviews:ratings_import") + f"?upload={pk(o, 'setup_import_other')}",
        expect(()),
    ),
    # --- Participants ------------------------------------------------------------------------
    Row(
        "reviews:cycle_participants",
        "a running cycle",
        lambda o: url("reviews:cycle_participants", pk(o, "setup_running")),
        HR,
    ),
    Row(
        "reviews:participant_add",
        "empty",
        lambda o: url("reviews:participant_add", pk(o, "setup_running")),
        FORM,
        method="POST",
    ),
    Row(
        "reviews:participant_remove",
        "with a reason",
        lambda o: url("reviews:participant_remove", pk(o, "setup_participant")),
        REDIRECT,
        method="POST",
        data={"reason": "Left"},
    ),
    Row(
        "reviews:participant_reassign",
        "empty",
        lambda o: url("reviews:participant_reassign", pk(o, "setup_participant")),
        REDIRECT,
        method="POST",
    ),
)


def _build(org: Org) -> None:
    """Written directly, not through the services: no audit event may outlive the module."""
    running = running_cycle([org.owner])
    draft = CycleFactory()
    open_phases(draft)
    template = template_with_questions("self", scale=RatingScaleFactory())
    CycleForm.objects.create(cycle=draft, relationship="self", template=template)
    section = template.sections.get()
    org.extras.update(
        setup_running=running,
        setup_draft=draft,
        setup_template=template,
        setup_section=section,
        setup_question=section.questions.order_by("position").last(),
        setup_scale=section.questions.exclude(scale=None).first().scale,
        setup_participant=Participant.objects.get(cycle=running, person=org.owner),
        setup_import_own=_upload(org.people[HR_ADMIN]),
    )
    # Another HR admin, made here at module scope: the tear-down deletes them and the
    # department their factory made, or these would outlive the module and every later test
    # of this worker would find one more person and department.
    other_admin = hr_admin()
    org.extras.update(setup_import_admin=other_admin, setup_import_other=_upload(other_admin))


def _upload(by: object) -> RatingsImport:
    return RatingsImport.objects.create(
        created_by=by, file_name="history.csv", sha256="0" * 64, content=b"", result={}
    )


def _tear_down(org: Org) -> None:
    keys = ("setup_running", "setup_draft")
    delete_cycles([pk(org, key) for key in keys if key in org.extras])
    RatingsImport.objects.filter(file_name="history.csv").delete()
    if "setup_import_admin" in org.extras:
        admin = org.extras["setup_import_admin"]
        department = admin.department
        admin.delete()
        if department is not None:
            department.delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check_case(row, role, org)


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
