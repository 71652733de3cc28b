"""Rating scales: 2 to 10 points, numbered in order, each with a label and a meaning."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.reviews.models import RatingScale
from tandem.reviews.services import setup
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import RatingScaleFactory, five_points

pytestmark = pytest.mark.django_db


def points(n: int) -> list[dict[str, Any]]:
    return [{"label": f"Level {i}", "description": f"What {i} means."} for i in range(1, n + 1)]


def test_hr_creates_a_scale_with_points_numbered_in_order() -> None:
    scale = setup.create_scale(by=hr_admin(), name="Five", points=points(5))
    assert [p["value"] for p in scale.points] == [1, 2, 3, 4, 5]
    assert AuditEvent.objects.filter(kind="review.scale_create").count() == 1


@pytest.mark.parametrize("n", [1, 11])
def test_a_scale_has_two_to_ten_points(n: int) -> None:
    with pytest.raises(ValidationError) as error:
        setup.create_scale(by=hr_admin(), name="Odd", points=points(n))
    assert f"this one has {n}" in error.value.message_dict["points"][0]
    assert not RatingScale.objects.exists()


def test_a_point_without_a_label_is_named_in_the_message() -> None:
    bad = points(4)
    bad[2]["label"] = " "
    with pytest.raises(ValidationError) as error:
        setup.create_scale(by=hr_admin(), name="Four", points=bad)
    assert error.value.message_dict == {"points": ["Point 3: give it a label."]}


def test_a_point_without_a_description_is_named_in_the_message() -> None:
    bad = points(3)
    bad[1]["description"] = ""
    with pytest.raises(ValidationError) as error:
        setup.create_scale(by=hr_admin(), name="Three", points=bad)
    assert error.value.message_dict == {"points": ["Point 2: say what it means."]}


def test_values_out_of_order_are_refused() -> None:
    bad = points(3)
    bad[0]["value"] = 2
    with pytest.raises(ValidationError) as error:
        setup.create_scale(by=hr_admin(), name="Three", points=bad)
    assert error.value.message_dict["points"][0].startswith("Point 1:")


def test_two_scales_cannot_share_a_name() -> None:
    RatingScaleFactory(name="Five")
    with pytest.raises(ValidationError) as error:
        setup.create_scale(by=hr_admin(), name="five", points=points(5))
    assert "name" in error.value.message_dict


def test_updating_a_scale_records_what_changed() -> None:
    scale = RatingScaleFactory(points=five_points())
    setup.update_scale(scale, by=hr_admin(), name=scale.name, points=points(3))
    scale.refresh_from_db()
    assert len(scale.points) == 3
    assert "points" in AuditEvent.objects.get(kind="review.scale_update").changes


def test_archiving_a_scale_keeps_it() -> None:
    scale = setup.archive_scale(RatingScaleFactory(), by=hr_admin())
    assert scale.archived_at is not None


def test_only_hr_admins_manage_scales() -> None:
    with pytest.raises(NotAllowed):
        setup.create_scale(by=PersonFactory(), name="Five", points=points(5))
    assert not RatingScale.objects.exists()
