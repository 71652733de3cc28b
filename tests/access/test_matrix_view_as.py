"""The access matrix for "view as": the picker and the preview pages.

Only HR admins preview; everyone else — HR partners, executives, managers, the person
previewed themselves — gets 404, as does anyone previewing a colleague who left, or a page
that does not exist. A preview is a GET that writes one row, its audit record (checked here
with that one write allowed); a POST to it is refused (405, for everyone: before anything is
looked up) and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.access.matrix import (
    ANONYMOUS,
    GET_WRITES_ALLOWED,
    HR_ADMIN,
    Org,
    Row,
    assert_no_text_by_get,
    assert_rows_build_their_own_urls,
    case_ids,
    cases,
    check_case,
    client_as,
    expect,
    fingerprint,
    matches,
    matrix_org,
    no_writes,
    url,
)

NOBODY: tuple[str, ...] = ()

# The one write a preview makes: its audit record (docs/anonymity.md, "View as").
PREVIEW_WRITES_ALLOWED = {
    **GET_WRITES_ALLOWED,
    ("INSERT", "audit_auditevent"): "the audit record of a preview: who previewed whom, which page",
}

PICKER: tuple[Row, ...] = (
    Row("site:view_as", "the picker", lambda o: url("site:view_as"), expect(HR_ADMIN)),
    Row(
        "site:view_as",
        "pick a role",
        lambda o: url("site:view_as"),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"who": "employee", "page": "home"},
    ),
    Row(
        "site:view_as",
        "pick nothing",
        lambda o: url("site:view_as"),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
)

PREVIEWS: tuple[Row, ...] = (
    Row(
        "site:view_as_page",
        "the owner's home page",
        lambda o: url("site:view_as_page", o.owner.pk, "home"),
        expect(HR_ADMIN),
    ),
    Row(
        "site:view_as_page",
        "another team's person's feedback form",
        lambda o: url("site:view_as_page", o.people["employee"].pk, "feedback-private"),
        expect(HR_ADMIN),
    ),
    Row(
        "site:view_as_page",
        "the manager's manager review form",
        lambda o: url("site:view_as_page", o.manager.pk, "review-manager"),
        expect(HR_ADMIN),
    ),
    Row(
        "site:view_as_page",
        "a colleague who left",
        lambda o: url("site:view_as_page", o.leaver.pk, "home"),
        expect(NOBODY),
    ),
    Row(
        "site:view_as_page",
        "a page that does not exist",
        lambda o: url("site:view_as_page", o.owner.pk, "salaries"),
        expect(NOBODY),
    ),
    Row(
        "site:view_as_page",
        "an id that names nobody",
        lambda o: url("site:view_as_page", 2**31 - 7, "home"),
        expect(NOBODY),
    ),
    Row(
        "site:view_as_page",
        "post to a preview",
        lambda o: url("site:view_as_page", o.owner.pk, "review-self"),
        # Refused before anything is looked up: 405 for everyone signed in, revealing nothing.
        expect(ok=405),
        method="POST",
        data={"q1-comment": "typed in a preview"},
    ),
)

MATRIX: tuple[Row, ...] = PICKER + PREVIEWS


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker) as built:
        yield built


def check_preview(row: Row, role: str, org: Org) -> None:
    """`check_case` for a preview page: its GET may write its audit record and nothing
    else; a POST is refused and changes nothing."""
    client = client_as(org, role)
    target = row.url(org)
    expected = row.expected[role]
    with no_writes(f"GET {target} as {role}", allowed=PREVIEW_WRITES_ALLOWED):
        got = client.get(target)
    assert got.status_code < 500
    if row.method == "GET":
        response = got
        if response.status_code == 200:
            assert_no_text_by_get(response, row.name, target)
    else:
        before = fingerprint()
        response = client.post(target, dict(row.data))
        assert fingerprint() == before, f"a POST to {target} changed the database"
    assert matches(response.status_code, expected), (
        f"{row.method} {target} as {role}: expected {expected}, got {response.status_code}"
    )
    if role == ANONYMOUS:
        assert response["Location"].startswith("/login/"), response["Location"]


@pytest.mark.parametrize(("row", "role"), cases(PICKER), ids=case_ids(PICKER))
def test_role_gets_the_expected_status_on_the_picker(
    row: Row, role: str, org: Org, db: None
) -> None:
    check_case(row, role, org)


@pytest.mark.parametrize(("row", "role"), cases(PREVIEWS), ids=case_ids(PREVIEWS))
def test_role_gets_the_expected_status_on_a_preview(
    row: Row, role: str, org: Org, db: None
) -> None:
    check_preview(row, role, org)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(list(MATRIX), org)
