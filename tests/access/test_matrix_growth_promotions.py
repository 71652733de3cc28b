"""The access matrix for promotions: windows, the committee view, cases and their writes;
pages and API.

Window W (the executive sits on its committee) holds case A: the owner, opened by their
manager, in review. Window W2 (no committee) holds case B: the outsider, opened by their
own manager — another team's case, which nobody of the cast but HR admins sees. Window W0
holds case C, the owner's decided case from before, which the owner now reads (the decision
and its reason). Nobody of the cast holds the people-analytics role, so the promotion
fairness figures answer 404 to every role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tandem.growth.models import (
    CaseComment,
    CaseStatus,
    Level,
    LevelChange,
    Outcome,
    Placement,
    PromotionCase,
    PromotionWindow,
    Track,
)
from tests.access.matrix import (
    EXECUTIVE,
    HR_ADMIN,
    MANAGER,
    OWNER,
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

NO_ONE: tuple[str, ...] = ()
SEES_A = (MANAGER, SKIP_MANAGER, HR_ADMIN, EXECUTIVE)
DECIDES_A = (HR_ADMIN, EXECUTIVE)
SEES_C = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN)
OPENERS = (MANAGER, SKIP_MANAGER)
TRACK_KEY = "matrix-promotions"


def _window_body(o: Org) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "name": "Matrix API window",
        "opens_on": today.isoformat(),
        "cases_due_on": (today + timedelta(days=5)).isoformat(),
        "decisions_due_on": (today + timedelta(days=9)).isoformat(),
    }


MATRIX: tuple[Row, ...] = (
    Row(
        "growth:promotions", "windows and one's cases", lambda o: url("growth:promotions"), expect()
    ),
    Row(
        "growth:promotions",
        "open a window with no data",
        lambda o: url("growth:promotions"),
        expect(HR_ADMIN, ok=400),
        method="POST",
    ),
    Row(
        "growth:promotion_window",
        "the committee view of W",
        lambda o: url("growth:promotion_window", pk(o, "window")),
        expect(DECIDES_A),
    ),
    Row(
        "growth:promotion_window",
        "W filtered",
        lambda o: url("growth:promotion_window", pk(o, "window")) + "?status=in_review&track=1",
        expect(DECIDES_A),
    ),
    Row(
        "growth:promotion_window",
        "W2 (another team's case, no committee)",
        lambda o: url("growth:promotion_window", pk(o, "window_2")),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:promotion_window_committee",
        "W with no data",
        lambda o: url("growth:promotion_window_committee", pk(o, "window")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "growth:promotion_window_close",
        "close W2",
        lambda o: url("growth:promotion_window_close", pk(o, "window_2")),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
    Row(
        "growth:promotion_case_new",
        "the form in W",
        lambda o: url("growth:promotion_case_new", pk(o, "window")),
        expect(OPENERS),
    ),
    Row(
        "growth:promotion_case_new",
        "open with no data",
        lambda o: url("growth:promotion_case_new", pk(o, "window")),
        expect(OPENERS, ok=400),
        method="POST",
    ),
    Row(
        "growth:promotion_case",
        "case A",
        lambda o: url("growth:promotion_case", pk(o, "case_a")),
        expect(SEES_A),
    ),
    Row(
        "growth:promotion_case",
        "case B (another team's)",
        lambda o: url("growth:promotion_case", pk(o, "case_b")),
        expect(HR_ADMIN),
    ),
    Row(
        "growth:promotion_case",
        "case C (decided)",
        lambda o: url("growth:promotion_case", pk(o, "case_c")),
        expect(SEES_C),
    ),
    Row(
        "growth:promotion_case_write",
        "case A",
        lambda o: url("growth:promotion_case_write", pk(o, "case_a")),
        expect(MANAGER, ok=302),
        method="POST",
        data={"text": "Matrix text", "action": "save"},
    ),
    Row(
        "growth:promotion_case_withdraw",
        "case A",
        lambda o: url("growth:promotion_case_withdraw", pk(o, "case_a")),
        expect(MANAGER, ok=302),
        method="POST",
    ),
    Row(
        "growth:promotion_case_comment",
        "case A",
        lambda o: url("growth:promotion_case_comment", pk(o, "case_a")),
        expect(SEES_A, ok=302),
        method="POST",
        data={"text": "Matrix comment"},
    ),
    Row(
        "growth:promotion_case_comment",
        "case B",
        lambda o: url("growth:promotion_case_comment", pk(o, "case_b")),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"text": "Matrix comment"},
    ),
    Row(
        "growth:promotion_case_decide",
        "case A with no data",
        lambda o: url("growth:promotion_case_decide", pk(o, "case_a")),
        expect(DECIDES_A, ok=302),
        method="POST",
    ),
    Row(
        "growth:promotion_case_decide",
        "case B",
        lambda o: url("growth:promotion_case_decide", pk(o, "case_b")),
        expect(HR_ADMIN, ok=302),
        method="POST",
        data={"outcome": "not_yet", "reason": "Matrix", "development_actions": "More scope"},
    ),
    Row("api:list_promotion_windows", "all", lambda o: url("api:list_promotion_windows"), api()),
    Row(
        "api:create_promotion_window",
        "a valid window",
        lambda o: url("api:create_promotion_window"),
        api(HR_ADMIN, ok=201),
        method="POST",
        data=body(_window_body),
    ),
    Row("api:list_promotion_cases", "scoped", lambda o: url("api:list_promotion_cases"), api()),
    Row(
        "api:get_promotion_case",
        "case A",
        lambda o: url("api:get_promotion_case", pk(o, "case_a")),
        api(SEES_A),
    ),
    Row(
        "api:get_promotion_case",
        "case B (another team's)",
        lambda o: url("api:get_promotion_case", pk(o, "case_b")),
        api(HR_ADMIN),
    ),
    Row(
        "api:get_promotion_case",
        "case C (decided)",
        lambda o: url("api:get_promotion_case", pk(o, "case_c")),
        api(SEES_C),
    ),
    Row(
        "api:get_promotion_case_evidence",
        "case A",
        lambda o: url("api:get_promotion_case_evidence", pk(o, "case_a")),
        api(SEES_A),
    ),
    Row(
        "api:get_promotion_case_evidence",
        "case B (another team's)",
        lambda o: url("api:get_promotion_case_evidence", pk(o, "case_b")),
        api(HR_ADMIN),
    ),
    Row(
        "api:get_promotion_case_evidence",
        "case C (decided: the person reads the decision, not the evidence)",
        lambda o: url("api:get_promotion_case_evidence", pk(o, "case_c")),
        api((MANAGER, SKIP_MANAGER, HR_ADMIN)),
    ),
    Row(
        "api:create_promotion_case",
        "the owner in W2",
        lambda o: url("api:create_promotion_case"),
        api(OPENERS, ok=201),
        method="POST",
        data=body(
            lambda o: {
                "window_id": pk(o, "window_2"),
                "person_id": o.owner.pk,
                "target_level_id": pk(o, "level_3"),
            }
        ),
    ),
    Row(
        "api:submit_promotion_case",
        "case A (already submitted: 422 once allowed)",
        lambda o: url("api:submit_promotion_case", pk(o, "case_a")),
        api(MANAGER, ok=422),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:withdraw_promotion_case",
        "case A",
        lambda o: url("api:withdraw_promotion_case", pk(o, "case_a")),
        api(MANAGER),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:comment_promotion_case",
        "case A",
        lambda o: url("api:comment_promotion_case", pk(o, "case_a")),
        api(SEES_A, ok=201),
        method="POST",
        data=body(lambda o: {"text": "Matrix comment"}),
    ),
    Row(
        "api:comment_promotion_case",
        "case B",
        lambda o: url("api:comment_promotion_case", pk(o, "case_b")),
        api(HR_ADMIN, ok=201),
        method="POST",
        data=body(lambda o: {"text": "Matrix comment"}),
    ),
    Row(
        "api:decide_promotion_case",
        "case A not yet",
        lambda o: url("api:decide_promotion_case", pk(o, "case_a")),
        api(DECIDES_A),
        method="POST",
        data=body(
            lambda o: {"outcome": "not_yet", "reason": "Matrix", "development_actions": "More"}
        ),
    ),
    Row(
        "api:decide_promotion_case",
        "case B promoted",
        lambda o: url("api:decide_promotion_case", pk(o, "case_b")),
        api(HR_ADMIN),
        method="POST",
        data=body(
            lambda o: {
                "outcome": "promoted",
                "reason": "Matrix",
                "effective_on": timezone.localdate().isoformat(),
            }
        ),
    ),
    Row(
        "api:get_promotion_window_fairness",
        "by gender",
        lambda o: url("api:get_promotion_window_fairness", pk(o, "window")) + "?attribute=gender",
        api(NO_ONE),
    ),
)

register_tables(PromotionWindow, PromotionCase, CaseComment, Placement, LevelChange)


def _build(org: Org) -> None:
    # Written directly: the services audit, and the audit trail is append-only while the
    # matrix's org outlives its tests.
    today = timezone.localdate()
    track = Track.objects.create(key=TRACK_KEY, name="Matrix track")
    levels = [
        Level.objects.create(track=track, position=i, code=f"MX{i + 1}", title=f"Matrix {i + 1}")
        for i in range(4)
    ]
    org.extras["level_3"] = levels[2]
    outsider = org.people["employee"]
    for person in (org.owner, outsider):
        Placement.objects.create(
            person=person, track=track, level=levels[1], since=date(2024, 1, 1)
        )
    dates = {
        "opens_on": today - timedelta(days=5),
        "cases_due_on": today + timedelta(days=20),
        "decisions_due_on": today + timedelta(days=40),
    }
    window = PromotionWindow.objects.create(name="Matrix W", **dates)
    window.committee.set([org.people[EXECUTIVE]])
    window_2 = PromotionWindow.objects.create(name="Matrix W2", **dates)
    window_0 = PromotionWindow.objects.create(
        name="Matrix W0",
        opens_on=today - timedelta(days=200),
        cases_due_on=today - timedelta(days=180),
        decisions_due_on=today - timedelta(days=150),
        closed_at=timezone.now() - timedelta(days=140),
    )
    org.extras.update(window=window, window_2=window_2, window_0=window_0)
    common = {"from_level": levels[1], "target_level": levels[2], "submitted_at": timezone.now()}
    org.extras["case_a"] = PromotionCase.objects.create(
        window=window,
        person=org.owner,
        author=org.manager,
        status=CaseStatus.IN_REVIEW,
        text="Matrix case A",
        **common,
    )
    org.extras["case_b"] = PromotionCase.objects.create(
        window=window_2,
        person=outsider,
        author=org.outsider_manager,
        status=CaseStatus.IN_REVIEW,
        text="Matrix case B",
        **common,
    )
    org.extras["case_c"] = PromotionCase.objects.create(
        window=window_0,
        person=org.owner,
        author=org.manager,
        status=CaseStatus.DECIDED,
        outcome=Outcome.NOT_YET,
        decision_reason="Matrix reason",
        development_actions="Matrix actions",
        **common,
    )


def _tear_down(org: Org) -> None:
    windows = PromotionWindow.objects.filter(name__startswith="Matrix ")
    cases = PromotionCase.objects.filter(window__in=windows)
    LevelChange.objects.filter(promotion_case__in=cases).delete()
    CaseComment.objects.filter(case__in=cases).delete()
    cases.delete()
    windows.delete()
    Placement.objects.filter(track__key=TRACK_KEY).delete()
    LevelChange.objects.filter(to_level__track__key=TRACK_KEY).delete()
    Level.objects.filter(track__key=TRACK_KEY).delete()
    Track.objects.filter(key=TRACK_KEY).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_api_case(row, role, org)
    assert_unseen(text, role, row.url(org), {})


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)
