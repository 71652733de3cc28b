"""The access matrix for calibration: the sessions of a cycle, a session, moving a person,
the guideline, locking, taking someone out; pages and API.

Session A discusses the owner (Olu, reported to the manager) and the outsider (Eve, in
Sales); the skip-level manager facilitates it and the manager takes part, so the manager
sees Olu's row and not Eve's. Session B discusses the colleague who left, facilitated by
the outsider's manager (not a role of the cast): nobody of the cast but HR admins sees it.
Everyone else — the people discussed, HR partners, executives, IT — gets 404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.calibration.models import Adjustment, Entry, ScopeKind, Session
from tests.access.matrix import (
    HR_ADMIN,
    MANAGER,
    SKIP_MANAGER,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    assert_unseen,
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
from tests.access.reviews_cleanup import delete_cycles
from tests.reviews.factories import participant_of, running_cycle

SEES_A = (HR_ADMIN, SKIP_MANAGER, MANAGER)
DECIDES_A = (HR_ADMIN, SKIP_MANAGER)
# Eve's surname is on session A only for those who see every row of it.
READERS = {"Outsider": DECIDES_A}
MOVE = {"rating": 3, "category": "evidence", "reason": "Matrix move"}


def _entry(key: str):  # type: ignore[no-untyped-def]
    return lambda o: pk(o, key)


MATRIX: tuple[Row, ...] = (
    # Everyone signed in opens the list: it shows only the sessions they see (an empty
    # state for most), and HR admins the cycles to create sessions in.
    Row("calibration:index", "the sessions one sees", lambda o: url("calibration:index"), expect()),
    Row(
        "calibration:cycle",
        "sessions of the cycle",
        lambda o: url("calibration:cycle", pk(o, "calibration_cycle")),
        expect(SEES_A),
    ),
    Row(
        "calibration:cycle",
        "create with no data",
        lambda o: url("calibration:cycle", pk(o, "calibration_cycle")),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "calibration:session",
        "session A",
        lambda o: url("calibration:session", pk(o, "session_a")),
        expect(SEES_A),
    ),
    Row(
        "calibration:session",
        "session A filtered",
        lambda o: url("calibration:session", pk(o, "session_a")) + "?level=L1&tenure=1-3",
        expect(SEES_A),
    ),
    Row(
        "calibration:session",
        "session B (another team's)",
        lambda o: url("calibration:session", pk(o, "session_b")),
        expect(HR_ADMIN),
    ),
    Row(
        "calibration:guideline",
        "session A with no data",
        lambda o: url("calibration:guideline", pk(o, "session_a")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "calibration:lock",
        "confirm session A",
        lambda o: url("calibration:lock", pk(o, "session_a")),
        expect(DECIDES_A),
    ),
    Row(
        "calibration:lock",
        "lock session A",
        lambda o: url("calibration:lock", pk(o, "session_a")),
        expect(DECIDES_A, ok=302),
        method="POST",
    ),
    Row(
        "calibration:lock",
        "lock session B",
        lambda o: url("calibration:lock", pk(o, "session_b")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "calibration:adjust",
        "the owner's row, no data",
        lambda o: url("calibration:adjust", pk(o, "entry_owner")),
        expect(DECIDES_A, ok=302),
        method="POST",
    ),
    Row(
        "calibration:adjust",
        "the outsider's row",
        lambda o: url("calibration:adjust", pk(o, "entry_outsider")),
        expect(DECIDES_A, ok=302),
        method="POST",
        data=MOVE,
    ),
    Row(
        "calibration:adjust",
        "the leaver's row in session B",
        lambda o: url("calibration:adjust", pk(o, "entry_leaver")),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data=MOVE,
    ),
    Row(
        "calibration:add",
        "session A with no data",
        lambda o: url("calibration:add", pk(o, "session_a")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "calibration:remove",
        "the owner's row",
        lambda o: url("calibration:remove", pk(o, "entry_owner")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "api:list_calibration_sessions",
        "sessions of the cycle",
        lambda o: url("api:list_calibration_sessions", pk(o, "calibration_cycle")),
        api(SEES_A),
    ),
    Row(
        "api:get_calibration_session",
        "session A",
        lambda o: url("api:get_calibration_session", pk(o, "session_a")),
        api(SEES_A),
    ),
    Row(
        "api:get_calibration_session",
        "session B",
        lambda o: url("api:get_calibration_session", pk(o, "session_b")),
        api(HR_ADMIN),
    ),
    Row(
        "api:adjust_calibration_entry",
        "the owner's row",
        lambda o: url("api:adjust_calibration_entry", pk(o, "entry_owner")),
        api(DECIDES_A),
        method="POST",
        data=body(lambda o: MOVE),
    ),
    Row(
        "api:adjust_calibration_entry",
        "the leaver's row in session B",
        lambda o: url("api:adjust_calibration_entry", pk(o, "entry_leaver")),
        api(HR_ADMIN),
        method="POST",
        data=body(lambda o: MOVE),
    ),
    Row(
        "api:lock_calibration_session",
        "session A (an unrated row: refused with 422 once allowed)",
        lambda o: url("api:lock_calibration_session", pk(o, "session_a")),
        api(DECIDES_A, ok=422),
        method="POST",
        data=body(lambda o: {}),
    ),
)

register_tables(Session, Entry, Adjustment)


def _build(org: Org) -> None:
    # Written directly: the services audit, and the audit trail is append-only while the
    # matrix's org outlives its tests.
    cycle = running_cycle([org.owner, org.people["employee"], org.leaver])
    org.extras["calibration_cycle"] = cycle
    a = Session.objects.create(cycle=cycle, name="Matrix A", scope_kind=ScopeKind.MANUAL)
    a.facilitators.set([org.people[SKIP_MANAGER]])
    a.managers.set([org.manager, org.outsider_manager])
    b = Session.objects.create(cycle=cycle, name="Matrix B", scope_kind=ScopeKind.MANUAL)
    b.facilitators.set([org.outsider_manager])
    org.extras["session_a"], org.extras["session_b"] = a, b
    for key, session, person in (
        ("entry_owner", a, org.owner),
        ("entry_outsider", a, org.people["employee"]),
        ("entry_leaver", b, org.leaver),
    ):
        org.extras[key] = Entry.objects.create(
            session=session,
            cycle=cycle,
            participant=participant_of(cycle, person),
            rating=2 if key != "entry_owner" else None,
        )


def _tear_down(org: Org) -> None:
    Session.objects.filter(name__in=["Matrix A", "Matrix B"]).delete()
    cycle = org.extras.get("calibration_cycle")
    if cycle is not None:
        delete_cycles([cycle.pk])


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_api_case(row, role, org)
    assert_unseen(text, role, row.url(org), READERS if "session A" in row.case else {})


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)
