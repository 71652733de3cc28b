"""Review pages: running (see views/running.py and exports.py)."""

from django.urls import URLPattern, path

from tandem.reviews import exports
from tandem.reviews.views import running as views_running

urlpatterns: list[URLPattern] = [
    path("reviews/", views_running.mine, name="mine"),
    path("reviews/cycles/", views_running.cycles, name="cycles"),
    path("reviews/cycles/<int:cycle_id>/", views_running.cycle, name="cycle"),
    path("reviews/cycles/<int:cycle_id>/overdue/", views_running.overdue, name="overdue"),
    path("reviews/cycles/<int:cycle_id>/remind/", views_running.remind, name="remind"),
    path(
        "reviews/cycles/<int:cycle_id>/progress.csv",
        exports.progress_csv,
        name="export_progress_csv",
    ),
    path(
        "reviews/cycles/<int:cycle_id>/progress.xlsx",
        exports.progress_xlsx,
        name="export_progress_xlsx",
    ),
    path(
        "reviews/cycles/<int:cycle_id>/results.csv",
        exports.results_csv,
        name="export_results_csv",
    ),
    path(
        "reviews/cycles/<int:cycle_id>/results.xlsx",
        exports.results_xlsx,
        name="export_results_xlsx",
    ),
]
