"""The access matrix for the program's presets and change history: the presets page, a
preset's diff and its confirmation, saving, exporting, importing and deleting presets,
undoing a change; and the program API.

The program is the company's, not anyone's team's: HR admins design it (everyone else gets
404 on the presets and on undoing), everyone signed in reads it, its presets and its
history over the API. A preset key or change id that names nothing is 404 for everyone,
HR admins included (never 500)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.program import presets
from tandem.program.models import CompanyPreset, ProgramChange
from tests.access.matrix import (
    HR_ADMIN,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    body,
    case_ids,
    cases,
    check_api_case,
    check_case,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)

NOBODY: tuple[str, ...] = ()
MISSING_ID = 2**31 - 7
OWN_KEY = "matrix-own"

MATRIX: tuple[Row, ...] = (
    Row("program:presets", "the presets", lambda o: url("program:presets"), expect(HR_ADMIN)),
    Row(
        "program:preset",
        "a built-in preset's diff",
        lambda o: url("program:preset", "growth-first"),
        expect(HR_ADMIN),
    ),
    Row(
        "program:preset",
        "the company's own preset's diff",
        lambda o: url("program:preset", OWN_KEY),
        expect(HR_ADMIN),
    ),
    Row(
        "program:preset",
        "a key that names no preset",
        lambda o: url("program:preset", "no-such-preset"),
        expect(NOBODY),
    ),
    Row(
        "program:preset",
        "apply a built-in preset",
        lambda o: url("program:preset", "growth-first"),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"reason": "Matrix"},
    ),
    Row(
        "program:preset_export",
        "a built-in preset as JSON",
        lambda o: url("program:preset_export", "enterprise"),
        expect(HR_ADMIN),
    ),
    Row(
        "program:preset_delete",
        "confirm deleting the company's own preset",
        lambda o: url("program:preset_delete", OWN_KEY),
        expect(HR_ADMIN),
    ),
    Row(
        "program:preset_delete",
        "why a built-in preset cannot be deleted",
        lambda o: url("program:preset_delete", "growth-first"),
        expect(HR_ADMIN),
    ),
    Row(
        "program:preset_delete",
        "a key that names no preset",
        lambda o: url("program:preset_delete", "no-such-preset"),
        expect(NOBODY),
    ),
    Row(
        "program:preset_delete",
        "delete the company's own preset",
        lambda o: url("program:preset_delete", OWN_KEY),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "program:preset_delete",
        "delete a built-in preset (refused)",
        lambda o: url("program:preset_delete", "growth-first"),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "program:preset_save",
        "save with no data",
        lambda o: url("program:preset_save"),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "program:preset_save",
        "save the program as a preset",
        lambda o: url("program:preset_save"),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"name": "Matrix saved", "description": ""},
    ),
    Row(
        "program:preset_import",
        "import with no file",
        lambda o: url("program:preset_import"),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "program:change_revert",
        "confirm undoing a change",
        lambda o: url("program:change_revert", pk(o, "program_change")),
        expect(HR_ADMIN),
    ),
    Row(
        "program:change_revert",
        "undo a change",
        lambda o: url("program:change_revert", pk(o, "program_change")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "program:change_revert",
        "an id that names no change",
        lambda o: url("program:change_revert", MISSING_ID),
        expect(NOBODY),
    ),
    Row("api:get_program", "the switches", lambda o: url("api:get_program"), api()),
    Row(
        "api:list_program_presets", "the presets", lambda o: url("api:list_program_presets"), api()
    ),
    Row(
        "api:diff_program_preset",
        "a built-in preset",
        lambda o: url("api:diff_program_preset", "enterprise"),
        api(),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:diff_program_preset",
        "a key that names no preset",
        lambda o: url("api:diff_program_preset", "no-such-preset"),
        api(NOBODY),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:apply_program_preset",
        "a built-in preset",
        lambda o: url("api:apply_program_preset", "enterprise"),
        api(HR_ADMIN),
        method="POST",
        data=body(lambda o: {"reason": "Matrix"}),
    ),
    Row(
        "api:apply_program_preset",
        "the company's own preset",
        lambda o: url("api:apply_program_preset", OWN_KEY),
        api(HR_ADMIN),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:delete_program_preset",
        "the company's own preset",
        lambda o: url("api:delete_program_preset", OWN_KEY),
        api(HR_ADMIN, ok=204),
        method="DELETE",
        data=body(lambda o: {}),
    ),
    Row(
        "api:delete_program_preset",
        "a built-in preset (refused)",
        lambda o: url("api:delete_program_preset", "enterprise"),
        api(HR_ADMIN, ok=422),
        method="DELETE",
        data=body(lambda o: {}),
    ),
    Row(
        "api:delete_program_preset",
        "a key that names no preset",
        lambda o: url("api:delete_program_preset", "no-such-preset"),
        api(NOBODY),
        method="DELETE",
        data=body(lambda o: {}),
    ),
    Row(
        "api:list_program_changes",
        "the history",
        lambda o: url("api:list_program_changes"),
        api(),
    ),
    Row(
        "api:revert_program_change",
        "a change",
        lambda o: url("api:revert_program_change", pk(o, "program_change")),
        api(HR_ADMIN),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:revert_program_change",
        "an id that names no change",
        lambda o: url("api:revert_program_change", MISSING_ID),
        api(NOBODY),
        method="POST",
        data=body(lambda o: {}),
    ),
)

register_tables(ProgramChange, CompanyPreset)


def _build(org: Org) -> None:
    # Written directly: the services audit, and the audit trail is append-only while the
    # matrix's org outlives its tests. The change turned ratings on, so undoing it turns
    # them off (the program's default is on).
    org.extras["program_change"] = ProgramChange.objects.create(
        by=org.people[HR_ADMIN],
        by_label="Hana Admin",
        source="edit",
        changes={"review_ratings_enabled": [False, True]},
    )
    org.extras["own_preset"] = CompanyPreset.objects.create(
        key=OWN_KEY, name="Matrix own", values=dict(presets.ENTERPRISE.values)
    )


def _tear_down(org: Org) -> None:
    change = org.extras.get("program_change")
    if change is not None:
        ProgramChange.objects.filter(pk=change.pk).delete()
    CompanyPreset.objects.filter(key=OWN_KEY).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    if row.name.startswith("api:"):
        check_api_case(row, role, org)
    else:
        check_case(row, role, org)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)
