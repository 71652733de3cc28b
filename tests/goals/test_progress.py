from decimal import Decimal as D

import pytest

from tandem.goals import progress


def test_progress_is_the_share_of_the_way_from_start_to_target():
    assert progress.linear(start=D(10), target=D(20), current=D(15)) == D("0.5")


def test_progress_works_for_a_decreasing_target():
    # Churn from 5% down to 3%: at 4% we are half-way there.
    assert progress.linear(start=D(5), target=D(3), current=D(4)) == D("0.5")


def test_progress_is_clamped_between_zero_and_one():
    assert progress.linear(start=D(0), target=D(10), current=D(15)) == D(1)
    assert progress.linear(start=D(5), target=D(3), current=D(6)) == D(0)


def test_milestone_progress_is_the_share_of_steps_done():
    assert progress.milestones(1, 4) == D("0.25")
    assert progress.milestones(0, 0) == D(0)


def test_goal_progress_is_the_weighted_mean_of_its_key_results():
    assert progress.goal_progress([(D("1"), D(3)), (D("0"), D(1))], None) == D("0.75")


def test_a_goal_without_key_results_uses_its_manual_progress():
    assert progress.goal_progress([], D("0.4")) == D("0.4")
    assert progress.goal_progress([], None) == D(0)


def test_zero_weights_fall_back_to_the_manual_value():
    assert progress.goal_progress([(D("1"), D(0))], D("0.2")) == D("0.2")


def test_a_negative_weight_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="weight"):
        progress.weighted_mean([(D("1"), D(-1))])
