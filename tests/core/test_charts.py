"""Chart geometry: scales, stacked sums, tree order, and the edge cases a chart must draw."""

from datetime import UTC, date, datetime
from decimal import Decimal

from django.http import QueryDict

from tandem.core.charts import (
    BarInput,
    bar_chart,
    bar_sort,
    percent_of,
    progress_line,
    sort_links,
    tree_order,
)


def test_percent_of_scales_to_the_maximum():
    assert percent_of(25, 200) == 12.5


def test_percent_of_a_zero_maximum_is_zero():
    assert percent_of(5, 0) == 0.0


def test_percent_of_clamps_above_the_maximum_and_below_zero():
    assert (percent_of(150, 100), percent_of(-3, 100)) == (100.0, 0.0)


def test_percent_of_takes_decimals():
    assert percent_of(Decimal("0.5"), Decimal("2")) == 25.0


def test_the_longest_bar_fills_the_row():
    chart = bar_chart([BarInput("a", "A", 10), BarInput("b", "B", 40)], sort="name")
    assert [bar.width for bar in chart.bars] == [25.0, 100.0]


def test_a_fixed_maximum_scales_every_bar_to_it():
    chart = bar_chart([BarInput("a", "A", 40)], maximum=100)
    assert chart.bars[0].width == 40.0


def test_an_empty_chart_has_no_bars():
    chart = bar_chart([])
    assert chart.is_empty and chart.maximum == 0


def test_all_zero_values_draw_empty_bars_without_dividing_by_zero():
    chart = bar_chart([BarInput("a", "A", 0), BarInput("b", "B", 0)])
    assert [bar.width for bar in chart.bars] == [0.0, 0.0]


def test_one_bar_fills_the_row():
    assert bar_chart([BarInput("a", "A", 3)]).bars[0].width == 100.0


def test_value_sort_puts_the_biggest_first_and_ties_by_name():
    rows = [BarInput("1", "Beta", 2), BarInput("2", "Alpha", 2), BarInput("3", "Gamma", 9)]
    assert [bar.label for bar in bar_chart(rows, sort="value").bars] == ["Gamma", "Alpha", "Beta"]


def test_name_sort_ignores_case():
    rows = [BarInput("1", "beta", 1), BarInput("2", "Alpha", 1)]
    assert [bar.label for bar in bar_chart(rows, sort="name").bars] == ["Alpha", "beta"]


def test_given_order_keeps_the_callers_order():
    rows = [BarInput("1", "Zed", 1), BarInput("2", "Alpha", 1)]
    assert [bar.label for bar in bar_chart(rows, sort="given").bars] == ["Zed", "Alpha"]


def test_an_unknown_sort_falls_back_to_the_tree():
    assert bar_sort("'; DROP TABLE") == "tree" and bar_sort(None) == "tree"


def test_stacked_segments_start_where_the_previous_one_ends():
    chart = bar_chart([BarInput("a", "A", parts=(2, 3, 5))], series=("x", "y", "z"))
    bar = chart.bars[0]
    assert [(s.start, s.width) for s in bar.segments] == [(0.0, 20.0), (20.0, 30.0), (50.0, 50.0)]


def test_a_stacked_bars_value_is_the_sum_of_its_parts():
    chart = bar_chart([BarInput("a", "A", parts=(2, 3)), BarInput("b", "B", parts=(1, 1))])
    assert [bar.value for bar in chart.bars] == [5, 2]
    assert [bar.width for bar in chart.bars] == [100.0, 40.0]


def test_stacked_segments_carry_their_series_names():
    chart = bar_chart([BarInput("a", "A", parts=(1, 1))], series=("Done", "Not done"))
    assert [s.name for s in chart.bars[0].segments] == ["Done", "Not done"]


def test_normalized_stacks_fill_the_row_each():
    rows = [BarInput("a", "A", parts=(30, 10)), BarInput("b", "B", parts=(1, 3))]
    chart = bar_chart(rows, normalize=True, sort="given")
    assert [[s.width for s in bar.segments] for bar in chart.bars] == [[75.0, 25.0], [25.0, 75.0]]


def test_normalized_value_sort_orders_by_the_first_share():
    rows = [BarInput("a", "Big", parts=(30, 70)), BarInput("b", "Small", parts=(3, 1))]
    assert [b.label for b in bar_chart(rows, normalize=True, sort="value").bars] == [
        "Small",
        "Big",
    ]


def test_a_normalized_stack_of_zeros_draws_nothing():
    chart = bar_chart([BarInput("a", "A", parts=(0, 0))], normalize=True)
    assert [s.width for s in chart.bars[0].segments] == [0.0, 0.0]


def test_tree_order_puts_children_under_their_parent_indented():
    rows = [
        BarInput("3", "Backend", path="/1/3/"),
        BarInput("2", "Sales", path="/2/"),
        BarInput("1", "Engineering", path="/1/"),
        BarInput("4", "API", path="/1/3/4/"),
        BarInput("5", "Apps", path="/1/5/"),
    ]
    placed = [(row.label, depth) for row, depth in tree_order(rows)]
    assert placed == [
        ("Engineering", 0),
        ("Apps", 1),
        ("Backend", 1),
        ("API", 2),
        ("Sales", 0),
    ]


def test_tree_order_hangs_a_row_under_its_nearest_shown_ancestor():
    rows = [BarInput("1", "Top", path="/1/"), BarInput("9", "Deep", path="/1/5/9/")]
    assert [(r.label, d) for r, d in tree_order(rows)] == [("Top", 0), ("Deep", 1)]


def test_tree_order_puts_rows_without_a_path_at_the_top():
    rows = [BarInput("x", "No department", path=""), BarInput("1", "Eng", path="/1/")]
    assert [(r.label, d) for r, d in tree_order(rows)] == [("Eng", 0), ("No department", 0)]


def test_value_sort_flattens_the_tree():
    rows = [BarInput("1", "Eng", 1, path="/1/"), BarInput("2", "Web", 5, path="/1/2/")]
    assert [(b.label, b.depth) for b in bar_chart(rows, sort="value").bars] == [
        ("Web", 0),
        ("Eng", 0),
    ]


def test_depth_is_capped_for_drawing():
    path = ""
    rows = []
    for pk in range(1, 9):
        path = f"{path or '/'}{pk}/"
        rows.append(BarInput(str(pk), f"Level {pk}", path=path))
    assert max(bar.depth for bar in bar_chart(rows).bars) == 4


def test_sort_links_keep_other_filters_and_mark_the_current_one():
    links = sort_links(QueryDict("period=3&sort=name"), "value")
    assert [link.key for link in links] == ["tree", "value", "name"]
    assert links[1].current and "period=3" in links[1].query and "sort=value" in links[1].query


def test_a_line_with_no_values_is_empty_and_says_so():
    chart = progress_line([], start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert chart.is_empty and chart.path == "" and "no check-ins" in chart.summary


def test_one_point_sits_in_the_middle_of_a_period_less_chart():
    chart = progress_line([(date(2026, 2, 1), Decimal("0.4"))])
    point = chart.points[0]
    assert point.x == chart.left + (chart.plot_right - chart.left) / 2
    assert chart.path == f"M{point.x},{point.y}"
    assert "one check-in, 40%" in chart.summary


def test_points_run_from_the_period_start_to_its_end():
    chart = progress_line(
        [(date(2026, 1, 1), 0), (date(2026, 1, 11), 1)],
        start=date(2026, 1, 1),
        end=date(2026, 1, 21),
    )
    middle = chart.left + (chart.plot_right - chart.left) / 2
    assert [p.x for p in chart.points] == [chart.left, middle]
    assert [p.y for p in chart.points] == [chart.plot_bottom, chart.top]


def test_points_are_sorted_by_date_whatever_order_they_come_in():
    chart = progress_line([(date(2026, 1, 9), 0.9), (date(2026, 1, 2), 0.2)])
    assert [p.value for p in chart.points] == [0.2, 0.9]


def test_values_above_100_percent_are_drawn_at_the_top_and_reported_as_they_are():
    chart = progress_line([(date(2026, 1, 9), 1.3)])
    assert chart.points[0].y == chart.top and "130%" in chart.points[0].label


def test_the_pace_runs_from_zero_at_the_start_to_full_at_the_end():
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    chart = progress_line([(date(2026, 2, 1), 0.5)], start=start, end=end)
    assert chart.pace == (chart.left, chart.plot_bottom, chart.plot_right, chart.top)


def test_no_pace_without_a_period():
    assert progress_line([(date(2026, 2, 1), 0.5)]).pace is None


def test_the_summary_compares_the_latest_value_with_the_expected_pace():
    chart = progress_line(
        [(date(2026, 1, 1), 0), (date(2026, 1, 6), 0.3)],
        start=date(2026, 1, 1),
        end=date(2026, 1, 11),
    )
    assert chart.summary == (
        "Progress from 0% on 1 Jan 2026 to 30% on 6 Jan 2026, over 2 check-ins. "
        "The expected pace by then was 50%."
    )


def test_datetimes_count_by_their_day():
    moment = datetime(2026, 1, 5, 23, 0, tzinfo=UTC)
    assert progress_line([(moment, 0.1)]).points[0].when == date(2026, 1, 5)


def test_the_y_axis_is_labelled_every_quarter():
    chart = progress_line([])
    assert [label for _, label in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_a_quarter_is_labelled_at_its_ends_and_the_months_inside():
    chart = progress_line([], start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert [label for _, label, _ in chart.x_labels] == ["1 Jan", "Feb", "Mar", "31 Mar"]


def test_month_labels_close_to_an_end_are_left_out():
    chart = progress_line([], start=date(2026, 1, 28), end=date(2026, 3, 3))
    assert [label for _, label, _ in chart.x_labels] == ["28 Jan", "Feb", "3 Mar"]


def test_a_year_keeps_at_most_five_month_labels_between_its_ends():
    chart = progress_line([], start=date(2026, 1, 1), end=date(2026, 12, 31))
    months = [label for _, label, anchor in chart.x_labels if anchor == "middle"]
    # Feb and Dec sit too close to the ends; Mar–Nov are nine, every other one is kept.
    assert months == ["Mar", "May", "Jul", "Sep", "Nov"]


def test_segments_take_the_css_class_named_for_their_series():
    chart = bar_chart(
        [BarInput("a", "A", parts=(1, 1))],
        series=("Done", "Left"),
        series_classes=("series-0", "series-2"),
    )
    assert [s.css for s in chart.bars[0].segments] == ["series-0", "series-2"]
    assert chart.legend == [("Done", "series-0"), ("Left", "series-2")]


def test_segments_are_coloured_by_their_position_by_default():
    chart = bar_chart([BarInput("a", "A", parts=(1, 1))], series=("x", "y"))
    assert [s.css for s in chart.bars[0].segments] == ["series-0", "series-1"]


def test_bar_rows_escape_labels_and_format_widths_with_a_dot():
    from tandem.core.templatetags.tandem_charts import bar_rows

    chart = bar_chart([BarInput("a", '<b>"R&D"</b>', 1), BarInput("b", "Ops", 3)], sort="given")
    html = str(bar_rows(chart))
    assert "<b>" not in html and "&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;" in html
    assert 'class="bar-fill" width="33.33"' in html


def test_bar_rows_leave_out_empty_segments():
    from tandem.core.templatetags.tandem_charts import bar_rows

    chart = bar_chart([BarInput("a", "A", parts=(0, 2))], series=("Done", "Left"))
    html = str(bar_rows(chart))
    assert 'class="series-0"' not in html and 'class="series-1" x="0.00" width="100.00"' in html
