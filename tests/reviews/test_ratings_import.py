"""The ratings history import (reviews.services.imports): closed, imported cycles that
every analysis reads like native ones, all or nothing, idempotent, read-only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.reviews.models import (
    Cycle,
    CycleStatus,
    Participant,
    Review,
    ReviewState,
    SubmittedRating,
)
from tandem.reviews.queries.ratings import cycle_ratings, rated_participants
from tandem.reviews.services import cycles as cycle_services
from tandem.reviews.services import sharing, writing
from tandem.reviews.services.imports import import_ratings
from tests.factories import PersonFactory
from tests.reviews.imports_helpers import HEADER, csv_bytes, people, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> dict[str, Any]:
    return people()


def _import(hr: Any, records: list[dict[str, Any]], name: str = "history.csv") -> Any:
    return import_ratings(by=hr, data=csv_bytes(records), file_name=name)


def _nothing_saved() -> None:
    assert not Cycle.objects.exists()
    assert not Review.objects.exists()
    assert not SubmittedRating.objects.exists()
    assert not Participant.objects.exists()


# --- What an import creates -------------------------------------------------------------------


def test_it_creates_a_closed_cycle_marked_imported_from_the_file(hr: Any, org: Any) -> None:
    result = _import(hr, rows())

    assert result.ok and result.applied
    cycle = Cycle.objects.get()
    assert cycle.status == CycleStatus.CLOSED
    assert cycle.is_imported
    assert cycle.import_source == "history.csv"
    assert (str(cycle.period_start), str(cycle.period_end)) == ("2023-01-01", "2023-06-30")


def test_rated_participants_returns_the_imported_manager_ratings(hr: Any, org: Any) -> None:
    _import(hr, rows())

    found = {
        p.person.employee_id: (p.raw_rating, p.rating, p.points)
        for p in rated_participants(Cycle.objects.get()).select_related("person")
    }
    assert found == {"R1": (4, 4, 5), "R2": (2, 2, 5), "M1": (None, None, 5)}


def test_cycle_ratings_holds_every_relationship_with_its_reviewer(hr: Any, org: Any) -> None:
    _import(hr, rows())

    seen = {
        (r["relationship"], r["reviewer_id"], r["value"])
        for r in cycle_ratings(Cycle.objects.get()).values("relationship", "reviewer_id", "value")
    }
    assert seen == {
        ("manager", org["M1"].pk, 4),
        ("manager", org["M1"].pk, 2),
        ("self", org["R1"].pk, 5),
        ("upward", org["R2"].pk, 3),
    }


def test_imported_reviews_are_shared_with_the_rating_as_their_answer(hr: Any, org: Any) -> None:
    _import(hr, rows())

    review = Review.objects.get(reviewee=org["R1"], relationship="manager")
    assert review.state == ReviewState.SHARED
    assert review.answers == {"q1": {"rating": 4, "comment": ""}}
    assert review.template_version.content["sections"][0]["questions"][0]["is_overall"]


def test_participants_are_snapshots_of_who_people_are_now(hr: Any, org: Any) -> None:
    _import(hr, rows())

    participant = Participant.objects.get(person=org["R1"])
    assert participant.manager_id == org["M1"].pk
    assert participant.level == "IC3"
    assert participant.department_id == org["R1"].department_id
    assert participant.manager_total == 1 and participant.manager_done == 1
    assert participant.overall_score is not None


def test_an_empty_relationship_means_a_manager_rating(hr: Any, org: Any) -> None:
    _import(hr, rows())

    assert Review.objects.get(reviewee=org["R2"]).relationship == "manager"


def test_the_import_is_audited_once_with_its_counts(hr: Any, org: Any) -> None:
    _import(hr, rows())

    event = AuditEvent.objects.get(kind="review.ratings_import")
    assert event.changes["ratings_added"] == 4
    assert event.changes["cycles_created"] == 1


def test_an_xlsx_file_is_read_like_a_csv_file(hr: Any, org: Any) -> None:
    result = import_ratings(by=hr, data=_xlsx(rows()), file_name="history.xlsx")

    assert result.ok, result.problems
    assert SubmittedRating.objects.count() == 4


# --- Bad input: row-numbered, nothing saved ---------------------------------------------------


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    records = rows()
    records[index] = {**records[index], **changes}
    return records


BAD_FILES = {
    "rating above the scale": (_with(1, rating=6), 3, "rating"),
    "rating of zero": (_with(0, rating=0), 2, "rating"),
    "reviewer not in the org": (
        _with(0, reviewer_employee_id="NOBODY-1"),
        2,
        "reviewer_employee_id",
    ),
    "unknown employee": (_with(1, employee_id="GHOST-9"), 3, "employee_id"),
    "relationship not in the list": (_with(0, relationship="skip_level"), 2, "relationship"),
    "period ends before it starts": (
        [{**r, "period_end": "2022-12-31"} for r in rows()],
        2,
        "period_end",
    ),
    "one cycle with two periods": (_with(2, period_end="2023-07-31"), 4, "period_start"),
    "one cycle with two scales": (_with(1, scale_points=7), 3, "scale_points"),
    "a formula in a cell": (_with(0, rating="=2+2"), 2, "rating"),
    "a duplicate rating": ([*rows(), rows()[0]], 6, "employee_id"),
    "a scale of one point": ([{**r, "scale_points": 1} for r in rows()], 2, "scale_points"),
}


@pytest.mark.parametrize(("records", "row", "column"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_row_is_named_and_nothing_is_saved(
    hr: Any, org: Any, records: list[dict[str, Any]], row: int, column: str
) -> None:
    result = _import(hr, records)

    assert not result.ok and not result.applied
    assert any(p.row == row and p.field == column for p in result.problems), result.problems
    assert f"row {row}, {column}:" in [
        str(p)[: len(f"row {row}, {column}:")] for p in result.problems
    ]
    _nothing_saved()


def test_a_formula_in_an_xlsx_cell_is_refused(hr: Any, org: Any) -> None:
    records = rows()
    records[1] = {**records[1], "rating": "=1+1"}
    result = import_ratings(by=hr, data=_xlsx(records), file_name="history.xlsx")

    assert [(p.row, p.field) for p in result.problems] == [(3, "rating")]
    _nothing_saved()


def test_a_file_without_a_required_column_is_refused(hr: Any, org: Any) -> None:
    data = b"cycle,employee_id,rating\n2023,R1,3\n"
    result = import_ratings(by=hr, data=data, file_name="short.csv")

    assert {p.field for p in result.problems} >= {"period_start", "scale_points"}
    _nothing_saved()


def test_a_native_cycle_of_the_same_name_and_period_is_not_written_into(hr: Any, org: Any) -> None:
    from tests.reviews.factories import CycleFactory

    CycleFactory(name="2023 H1", period_start="2023-01-01", period_end="2023-06-30")
    result = _import(hr, rows())

    assert {(p.row, p.field) for p in result.problems} >= {(2, "cycle")}
    assert not Review.objects.exists()


def test_only_hr_admins_may_import(org: Any) -> None:
    with pytest.raises(NotAllowed):
        _import(org["M1"], rows())
    _nothing_saved()


# --- Idempotent -------------------------------------------------------------------------------


def test_importing_the_same_file_again_adds_nothing(hr: Any, org: Any) -> None:
    _import(hr, rows())
    again = _import(hr, rows())

    assert again.ok and again.new_ratings == 0 and again.skipped == 4
    assert "0 new ratings" in again.summary
    assert Cycle.objects.count() == 1
    assert SubmittedRating.objects.count() == 4
    assert AuditEvent.objects.filter(kind="review.ratings_import").count() == 1


def test_a_longer_file_adds_only_its_new_rows_to_the_same_cycle(hr: Any, org: Any) -> None:
    _import(hr, rows())
    extra = PersonFactory(employee_id="R3", manager=org["M1"])
    more = [*rows(), {**rows()[0], "employee_id": extra.employee_id, "rating": 1}]
    result = _import(hr, more, name="history-2.csv")

    assert (result.new_cycles, result.new_ratings, result.skipped) == (0, 1, 4)
    assert Cycle.objects.count() == 1
    assert Review.objects.filter(reviewee=extra).count() == 1


def test_a_changed_rating_of_an_imported_row_is_kept_and_noted(hr: Any, org: Any) -> None:
    _import(hr, rows())
    result = _import(hr, _with(0, rating=1))

    assert result.new_ratings == 0
    assert result.warnings
    assert (
        Review.objects.get(reviewee=org["R1"], relationship="manager").answers["q1"]["rating"] == 4
    )


# --- Read-only --------------------------------------------------------------------------------


@pytest.fixture
def imported(hr: Any, org: Any) -> Cycle:
    _import(hr, rows())
    return Cycle.objects.get()


def test_an_imported_cycle_refuses_sharing(hr: Any, org: Any, imported: Cycle) -> None:
    participant = Participant.objects.get(cycle=imported, person=org["R1"])
    with pytest.raises(ValidationError, match=r"imported from history\.csv"):
        sharing.share(participant, by=org["M1"])


def test_an_imported_cycle_refuses_release(hr: Any, imported: Cycle) -> None:
    with pytest.raises(ValidationError, match="imported"):
        sharing.release_all(imported, by=hr)


def test_an_imported_review_refuses_new_answers(hr: Any, org: Any, imported: Cycle) -> None:
    review = Review.objects.get(reviewee=org["R1"], relationship="manager")
    with pytest.raises(ValidationError):
        writing.save_draft(
            review, answers={"q1": {"rating": 1}}, version=review.version, by=org["M1"]
        )
    assert Review.objects.get(pk=review.pk).answers["q1"]["rating"] == 4


def test_an_imported_review_cannot_be_reopened(hr: Any, org: Any, imported: Cycle) -> None:
    review = Review.objects.get(reviewee=org["R1"], relationship="manager")
    with pytest.raises(ValidationError, match="imported"):
        sharing.reopen(review, reason="Try again", by=hr)
    assert Review.objects.get(pk=review.pk).state == ReviewState.SHARED


def test_an_imported_cycle_cannot_be_renamed(hr: Any, imported: Cycle) -> None:
    with pytest.raises(ValidationError, match="imported"):
        cycle_services.update_cycle(imported, by=hr, name="Renamed")
    assert Cycle.objects.get().name == "2023 H1"


def test_an_imported_cycle_cannot_be_closed_again(hr: Any, imported: Cycle) -> None:
    with pytest.raises(ValidationError):
        cycle_services.close_cycle(imported, by=hr)


# --- Helpers ----------------------------------------------------------------------------------


def _xlsx(records: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(HEADER))
    for record in records:
        sheet.append([record.get(key, "") for key in HEADER])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_raw_manager_ratings_match_rated_participants(hr: Any, org: Any) -> None:
    from tandem.reviews.queries.ratings import raw_manager_ratings

    _import(hr, rows())
    cycle = Cycle.objects.get()
    expected = {
        p.person_id: (p.raw_rating, p.points)
        for p in rated_participants(cycle)
        if p.raw_rating is not None  # type: ignore[attr-defined]
    }

    assert raw_manager_ratings(cycle) == expected
