"""Goal pages. Views live with their use cases: views/goals.py (goals, periods),
views/checkins.py (check-ins, weekly check-ins, team) and views/tree.py (alignment tree,
coverage)."""

from django.urls import path

from tandem.goals import exports
from tandem.goals.views import checkins, goals, tree

app_name = "goals"
urlpatterns = [
    path("goals/", goals.my_goals, name="mine"),
    path("goals/company/", goals.company, name="company"),
    path("goals/new/", goals.create, name="create"),
    path("goals/pick/", goals.pick, name="pick"),
    path("goals/bulk-assign/", goals.bulk_assign, name="bulk_assign"),
    path("goals/periods/", goals.periods, name="periods"),
    path("goals/<int:goal_id>/", goals.detail, name="detail"),
    path("goals/<int:goal_id>/edit/", goals.edit, name="edit"),
    path("goals/<int:goal_id>/key-results/", goals.key_results, name="key_results"),
    path("goals/<int:goal_id>/comments/", goals.comment, name="comment"),
    path("goals/<int:goal_id>/close/", goals.close, name="close"),
    path("goals/<int:goal_id>/check-in/", checkins.checkin, name="checkin"),
    path("goals/weekly/", checkins.weekly, name="weekly"),
    path("goals/team/", checkins.team, name="team"),
    path("goals/tree/", tree.tree, name="tree"),
    path("goals/tree/<int:goal_id>/children/", tree.tree_children, name="tree_children"),
    path("goals/coverage/", tree.coverage, name="coverage"),
    path("goals/export.csv", exports.export_csv, name="export_csv"),
    path("goals/export.xlsx", exports.export_xlsx, name="export_xlsx"),
]
