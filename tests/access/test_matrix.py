"""The access matrix: every URL in the project, for every role → the expected HTTP status.

Adding a URL? Add a row to MATRIX below (the meta-test at the bottom fails until you do).
Pages answer 302 to /login/ for anonymous visitors and 404 to anyone denied (never 403:
denial must not reveal that something exists); the API answers 401 without credentials.
Rows about one object say whose it is, so "another team's object fetched by id" is covered.
POST rows check that denied roles get 404 and that nothing in the database changed.
Every page or answer a role does get (200) is also searched for what that role must not
see: the colleague who left, and the owner's private fields.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.access.matrix import (
    EMPLOYEE,
    EXECUTIVE,
    FORM,
    HR_ADMIN,
    HR_PARTNER,
    IT_ADMIN,
    LEAVER_SURNAME,
    MANAGER,
    OTHER_PARTNER,
    OWNER,
    OWNER_EMPLOYEE_ID,
    OWNER_LEVEL,
    ROLES,
    SKIP_MANAGER,
    Org,
    Row,
    all_matrix_rows,
    all_routes,
    api,
    assert_rows_build_their_own_urls,
    assert_unseen,
    case_ids,
    cases,
    check_case,
    expect,
    matrix_org,
    public,
    url,
)

HR = (HR_ADMIN, HR_PARTNER, OTHER_PARTNER)
COVERING_HR = (HR_ADMIN, HR_PARTNER)  # HR who may see the owner's department
MANAGERS = (MANAGER, SKIP_MANAGER)
PRIVATE_VIEWERS = (OWNER, *MANAGERS, *COVERING_HR)  # who may see the owner's private fields
TEAM_VIEWERS = (*MANAGERS, *COVERING_HR)  # a person's team hub page: not the person themself


MATRIX: tuple[Row, ...] = (
    # --- Public: sign-in, password reset, health check, API description --------------------
    Row("login", "page", lambda o: url("login"), public(200, signed_in=302)),
    Row("logout", "sign out", lambda o: url("logout"), public(302), method="POST"),
    Row("password_reset", "page", lambda o: url("password_reset"), public(200)),
    Row("password_reset_done", "page", lambda o: url("password_reset_done"), public(200)),
    Row(
        "password_reset_confirm",
        "a link that is not valid",
        lambda o: url("password_reset_confirm", "MQ", "not-a-token"),
        public(200),
    ),
    Row("password_reset_complete", "page", lambda o: url("password_reset_complete"), public(200)),
    Row(
        "invitation_accept",
        "a link that is not valid",
        lambda o: url("invitation_accept", "MQ", "not-a-token"),
        public(200),
    ),
    Row("healthz", "probe", lambda o: url("healthz"), public(200)),
    Row("api:openapi-json", "schema", lambda o: url("api:openapi-json"), public(200)),
    Row("api:openapi-view", "docs", lambda o: url("api:openapi-view"), public(200)),
    # Ninja's root only exists so the API can find its own prefix; it is a 404 for everyone.
    Row("api:api-root", "root", lambda o: url("api:api-root"), public(404)),
    # Any other /api/ address (a path id that is not a number) is a JSON 404 for everyone.
    Row("api-not-found", "a path id not a number", lambda o: "/api/v1/goals/abc", public(404)),
    # --- Everyone signed in -----------------------------------------------------------------
    Row("home", "page", lambda o: url("home"), expect()),
    Row("nav_counts", "the sidebar's counts", lambda o: url("nav_counts"), expect()),
    # The design system's page: IT admins (and anyone with DEBUG on, which tests are not).
    Row("design", "page", lambda o: url("design"), expect(IT_ADMIN)),
    Row("org:directory", "page", lambda o: url("org:directory"), expect()),
    Row(
        "org:people_pick",
        "a search for the colleague who left (found for nobody: pickers leave leavers out)",
        lambda o: f"{url('org:people_pick')}?q={LEAVER_SURNAME[:5]}",
        expect(),
    ),
    Row(
        "org:people_pick",
        "a search including people who left (HR who cover them see them)",
        lambda o: f"{url('org:people_pick')}?q={LEAVER_SURNAME[:5]}&left=on",
        expect(),
    ),
    Row("org:person", "owner", lambda o: url("org:person", o.owner.pk), expect()),
    Row(
        "org:person",
        "someone who left",
        lambda o: url("org:person", o.leaver.pk),
        expect(COVERING_HR),
    ),
    Row("org:chart", "page", lambda o: url("org:chart"), expect()),
    Row(
        "org:chart_children",
        "the manager's reports",
        lambda o: url("org:chart_children", o.manager.pk),
        expect(),
    ),
    Row(
        "org:chart_children",
        "someone who left",
        lambda o: url("org:chart_children", o.leaver.pk),
        expect(COVERING_HR),
    ),
    Row("org:company", "page", lambda o: url("org:company"), expect()),
    Row("program:detail", "page", lambda o: url("program:detail"), expect()),
    Row("access:tokens", "own tokens", lambda o: url("access:tokens"), expect()),
    Row(
        "access:tokens",
        "create with no name",
        lambda o: url("access:tokens"),
        expect(ok=FORM),
        method="POST",
    ),
    # --- Managers -------------------------------------------------------------------------
    Row("team:hub", "page", lambda o: url("team:hub"), expect(MANAGERS)),
    Row("team:hub", "the whole subtree", lambda o: url("team:hub") + "?view=all", expect(MANAGERS)),
    Row(
        "team:hub",
        "a tampered page link",
        lambda o: url("team:hub") + "?view=all&cursor=bm90LWEtY3Vyc29y",
        expect(MANAGERS),
    ),
    Row("team:person", "owner", lambda o: url("team:person", o.owner.pk), expect(TEAM_VIEWERS)),
    Row(
        "team:person",
        "the outsider, from another team",
        lambda o: url("team:person", o.people[EMPLOYEE].pk),
        expect((HR_ADMIN, OTHER_PARTNER)),
    ),
    Row("team:person", "an id no one has", lambda o: url("team:person", 2**62), expect(())),
    # --- Tokens: your own, or any as IT admin -----------------------------------------------
    Row(
        "access:revoke_token",
        "the owner's token",
        lambda o: url("access:revoke_token", o.owner_token.pk),
        expect((OWNER, IT_ADMIN), ok=302),
        method="POST",
    ),
    Row("access:it_tokens", "page", lambda o: url("access:it_tokens"), expect(IT_ADMIN)),
    # --- HR: people (partners only inside their departments) ------------------------------
    Row("org:hr_people", "page", lambda o: url("org:hr_people"), expect(HR)),
    Row("org:hr_person_create", "form", lambda o: url("org:hr_person_create"), expect(HR)),
    Row(
        "org:hr_person_create",
        "empty form",
        lambda o: url("org:hr_person_create"),
        expect(HR, ok=FORM),
        method="POST",
    ),
    Row(
        "org:hr_people_invite",
        "everyone not invited yet",
        lambda o: url("org:hr_people_invite"),
        expect(HR, ok=302),
        method="POST",
        data={"sign_in": "not_invited"},
    ),
    Row(
        "org:hr_person_invite",
        "the owner (who has a password: refused with a message)",
        lambda o: url("org:hr_person_invite", o.owner.pk),
        expect(COVERING_HR, ok=302),
        method="POST",
    ),
    Row(
        "org:hr_person_edit",
        "the owner (Platform, inside Engineering)",
        lambda o: url("org:hr_person_edit", o.owner.pk),
        expect(COVERING_HR),
    ),
    Row(
        "org:hr_person_edit",
        "the owner, empty form",
        lambda o: url("org:hr_person_edit", o.owner.pk),
        expect(COVERING_HR, ok=FORM),
        method="POST",
    ),
    Row(
        "org:hr_person_edit",
        "someone who left",
        lambda o: url("org:hr_person_edit", o.leaver.pk),
        expect(COVERING_HR),
    ),
    Row(
        "org:hr_person_edit",
        "the outsider (Sales)",
        lambda o: url("org:hr_person_edit", o.people[EMPLOYEE].pk),
        expect((HR_ADMIN, OTHER_PARTNER)),
    ),
    Row(
        "org:hr_person_manager",
        "the owner",
        lambda o: url("org:hr_person_manager", o.owner.pk),
        expect(COVERING_HR),
    ),
    Row(
        "org:hr_person_manager",
        "the owner, empty form",
        lambda o: url("org:hr_person_manager", o.owner.pk),
        expect(COVERING_HR, ok=FORM),
        method="POST",
    ),
    Row(
        "org:hr_person_status",
        "the owner",
        lambda o: url("org:hr_person_status", o.owner.pk),
        expect(COVERING_HR),
    ),
    Row(
        "org:hr_person_status",
        "the owner, empty form",
        lambda o: url("org:hr_person_status", o.owner.pk),
        expect(COVERING_HR, ok=FORM),
        method="POST",
    ),
    Row(
        "org:hr_person_status",
        "someone who left (to bring back)",
        lambda o: url("org:hr_person_status", o.leaver.pk),
        expect(COVERING_HR),
    ),
    # --- HR admin only ------------------------------------------------------------------------
    Row("org:hr_departments", "page", lambda o: url("org:hr_departments"), expect(HR_ADMIN)),
    Row(
        "org:hr_department_create",
        "form",
        lambda o: url("org:hr_department_create"),
        expect(HR_ADMIN),
    ),
    Row(
        "org:hr_department_create",
        "empty form",
        lambda o: url("org:hr_department_create"),
        expect(HR_ADMIN, ok=FORM),
        method="POST",
    ),
    Row(
        "org:hr_department_edit",
        "Engineering",
        lambda o: url("org:hr_department_edit", o.engineering.pk),
        expect(HR_ADMIN),
    ),
    Row(
        "org:hr_department_edit",
        "Engineering, empty form",
        lambda o: url("org:hr_department_edit", o.engineering.pk),
        expect(HR_ADMIN, ok=FORM),
        method="POST",
    ),
    Row("org:hr_company", "form", lambda o: url("org:hr_company"), expect(HR_ADMIN)),
    Row(
        "org:hr_company",
        "empty form",
        lambda o: url("org:hr_company"),
        expect(HR_ADMIN, ok=FORM),
        method="POST",
    ),
    Row("org:hr_roles", "page", lambda o: url("org:hr_roles"), expect(HR_ADMIN)),
    Row(
        "org:hr_roles",
        "empty form",
        lambda o: url("org:hr_roles"),
        expect(HR_ADMIN, ok=FORM),
        method="POST",
    ),
    Row("org:hr_import", "upload form", lambda o: url("org:hr_import"), expect(HR_ADMIN)),
    Row(
        "org:hr_import",
        "no file",
        lambda o: url("org:hr_import"),
        expect(HR_ADMIN, ok=FORM),
        method="POST",
    ),
    Row("audit:log", "page", lambda o: url("audit:log"), expect(HR_ADMIN)),
    Row("program:edit", "form", lambda o: url("program:edit"), expect(HR_ADMIN)),
    Row(
        "program:edit",
        "empty form",
        lambda o: url("program:edit"),
        expect(HR_ADMIN, ok=FORM),
        method="POST",
    ),
    # --- API v1 -----------------------------------------------------------------------------
    Row("api:me", "self", lambda o: url("api:me"), api()),
    Row("api:team", "own team", lambda o: url("api:team"), api(MANAGERS)),
    Row(
        "api:team",
        "the owner's manager's team",
        lambda o: url("api:team") + f"?manager={o.manager.pk}",
        api((MANAGER, SKIP_MANAGER, HR_ADMIN, HR_PARTNER)),
    ),
    Row(
        "api:team",
        "another team's manager",
        lambda o: url("api:team") + f"?manager={o.outsider_manager.pk}&subtree=true",
        api((HR_ADMIN, OTHER_PARTNER)),
    ),
    Row(
        "api:team",
        "a tampered page link",
        lambda o: url("api:team") + "?cursor=bm90LWEtY3Vyc29y",
        api(MANAGERS, ok=422),
    ),
    Row(
        "api:team_person", "owner", lambda o: url("api:team_person", o.owner.pk), api(TEAM_VIEWERS)
    ),
    Row(
        "api:team_person",
        "the outsider, from another team",
        lambda o: url("api:team_person", o.people[EMPLOYEE].pk),
        api((HR_ADMIN, OTHER_PARTNER)),
    ),
    Row("api:list_people", "list", lambda o: url("api:list_people"), api()),
    Row("api:get_person", "owner", lambda o: url("api:get_person", o.owner.pk), api()),
    Row(
        "api:get_person",
        "the outsider, from another team",
        lambda o: url("api:get_person", o.people[EMPLOYEE].pk),
        api(),
    ),
    Row(
        "api:get_person",
        "someone who left",
        lambda o: url("api:get_person", o.leaver.pk),
        api(COVERING_HR),
    ),
    Row("api:list_departments", "list", lambda o: url("api:list_departments"), api()),
)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    """The org, and a signed-in session for each role, made once for the whole matrix."""
    with matrix_org(django_db_blocker) as built:
        yield built


# Denied objects stay invisible inside allowed pages too (lists, charts, counts): the person
# who left, and the owner's private fields.
READERS = {
    LEAVER_SURNAME: COVERING_HR,
    OWNER_EMPLOYEE_ID: PRIVATE_VIEWERS,
    OWNER_LEVEL: PRIVATE_VIEWERS,
}


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    assert_unseen(check_case(row, role, org), role, row.url(org), READERS)


# --- The meta-tests: the matrix keeps up with the URL configuration --------------------------


def test_every_url_in_the_project_is_in_the_access_matrix() -> None:
    covered = {row.name for row in all_matrix_rows()}
    missing = [
        f"URL name {route.name!r} (pattern {route.pattern!r}) is not in the access matrix — "
        "add a row in tests/access/test_matrix.py (or the feature's test_matrix_<app>.py)"
        for route in all_routes()
        if route.name not in covered
    ]
    assert not missing, "\n".join(missing)


def test_every_matrix_row_names_a_url_that_exists() -> None:
    names = {route.name for route in all_routes()}
    stale = sorted({row.name for row in all_matrix_rows()} - names)
    assert not stale, f"The access matrix has rows for URLs that no longer exist: {stale}"


def test_every_matrix_row_gives_a_status_for_every_role() -> None:
    incomplete = [row.label for row in all_matrix_rows() if set(row.expected) != set(ROLES)]
    assert not incomplete, f"Rows without an expected status for every role: {incomplete}"


def test_every_matrix_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)


def test_the_cast_has_the_relationships_the_matrix_assumes(org: Org, db: None) -> None:
    people = org.people
    assert people[OWNER].manager_id == people[MANAGER].pk
    assert people[MANAGER].manager_id == people[SKIP_MANAGER].pk
    assert org.leaver.manager_id == people[MANAGER].pk
    assert people[EMPLOYEE].department_id == org.sales.pk
    assert people[OWNER].department_id == org.platform.pk
    assert org.platform.parent_id == org.engineering.pk
    no_reports = (EMPLOYEE, OWNER, HR_ADMIN, HR_PARTNER, OTHER_PARTNER, EXECUTIVE, IT_ADMIN)
    assert all(not people[role].reports.exists() for role in no_reports)
